#include "server/api/incident_listing.h"

#include <unordered_set>

namespace vitals::server {

std::vector<core::Alert> AlertsForIncidents(std::vector<core::Alert> engine_open,
                                            std::vector<core::Alert> stored) {
  std::unordered_set<std::string> open_ids;
  for (const core::Alert& a : engine_open) open_ids.insert(a.id);
  std::vector<core::Alert> out = std::move(engine_open);
  for (core::Alert& a : stored) {
    if (a.open() || open_ids.contains(a.id)) continue;
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<core::Incident> SelectIncidents(std::vector<core::Alert> alerts, const AlertFilter& f) {
  std::vector<core::Incident> out;
  for (core::Incident& i : core::GroupIncidents(std::move(alerts))) {
    if (out.size() >= static_cast<size_t>(f.limit)) break;
    if (f.Matches(i)) out.push_back(std::move(i));
  }
  return out;
}

std::optional<core::Incident> FindIncident(std::vector<core::Alert> alerts,
                                           std::string_view incident_id) {
  for (core::Incident& i : core::GroupIncidents(std::move(alerts))) {
    if (i.id == incident_id) return std::move(i);
  }
  return std::nullopt;
}

std::vector<std::string> FirstAlertIdCandidates(std::string_view incident_id) {
  constexpr std::string_view kPrefix = "incident_";
  if (!incident_id.starts_with(kPrefix) || incident_id.size() == kPrefix.size()) return {};
  const std::string rest(incident_id.substr(kPrefix.size()));
  return {"alert_" + rest, rest};
}

}  // namespace vitals::server
