#include "core/incident.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

namespace vitals::core {
namespace {

struct Rule {
  AlertSource source;
  std::string_view cause;
  std::string_view implied;
};

constexpr Rule kRules[] = {
    {AlertSource::kAgent, "heartbeat", "health"},
    {AlertSource::kAgent, "health", "failures"},
    {AlertSource::kAgent, "health", "error_rate"},
    {AlertSource::kAgent, "health", "slo_burn"},
    {AlertSource::kAgent, "health", "low_confidence"},
    {AlertSource::kIntegration, "integration_down", "integration_latency"},
    {AlertSource::kDatabase, "database_down", "database_round_trip"},
};

bool Implies(const Alert& cause, const Alert& alert) {
  for (const Rule& r : kRules) {
    if (r.source == alert.source_type && r.cause == cause.type && r.implied == alert.type) {
      return true;
    }
  }
  return false;
}

bool SameSource(const Alert& a, const Alert& b) {
  return a.source_type == b.source_type && a.source_id == b.source_id &&
         a.organization_id == b.organization_id;
}

// The n of "alert_<n>", or -1: orders alerts raised in the same microsecond as they were raised.
int64_t IdNumber(std::string_view id) {
  constexpr std::string_view kPrefix = "alert_";
  if (!id.starts_with(kPrefix)) return -1;
  int64_t n = -1;
  const char* begin = id.data() + kPrefix.size();
  auto [end, ec] = std::from_chars(begin, id.data() + id.size(), n);
  return ec == std::errc() && end == id.data() + id.size() ? n : -1;
}

const Alert* Worst(std::span<const Alert> alerts, bool open_causes_only) {
  const Alert* worst = nullptr;
  for (const Alert& a : alerts) {
    if (open_causes_only && (!a.open() || ImpliedBy(a, alerts))) continue;
    if (!worst || a.severity > worst->severity ||
        (a.severity == worst->severity && a.raised_at < worst->raised_at)) {
      worst = &a;
    }
  }
  return worst;
}

}  // namespace

std::string IncidentIdFor(std::string_view first_alert_id) {
  constexpr std::string_view kPrefix = "alert_";
  std::string id = "incident_";
  id +=
      first_alert_id.starts_with(kPrefix) ? first_alert_id.substr(kPrefix.size()) : first_alert_id;
  return id;
}

bool ImpliedBy(const Alert& alert, std::span<const Alert> others) {
  for (const Alert& o : others) {
    if (&o == &alert || o.id == alert.id || !o.open() || !SameSource(o, alert)) continue;
    if (o.severity >= alert.severity && Implies(o, alert)) return true;
  }
  return false;
}

const Alert* WorstCause(std::span<const Alert> alerts) {
  if (const Alert* w = Worst(alerts, true)) return w;
  return Worst(alerts, false);
}

std::optional<AlertSeverity> PagingSeverity(std::span<const Alert> alerts) {
  std::optional<AlertSeverity> s;
  for (const Alert& a : alerts) {
    if (!a.open() || ImpliedBy(a, alerts)) continue;
    if (!s || a.severity > *s) s = a.severity;
  }
  return s;
}

void Summarize(Incident& incident) {
  const std::vector<Alert>& alerts = incident.alerts;
  if (alerts.empty()) return;
  bool any_open = false, all_acked = true, flapping = false;
  std::optional<AlertSeverity> open_severity, any_severity;
  std::optional<Timestamp> last_resolved;
  for (const Alert& a : alerts) {
    if (!any_severity || a.severity > *any_severity) any_severity = a.severity;
    if (a.open()) {
      any_open = true;
      flapping = flapping || a.flapping;
      all_acked = all_acked && a.acknowledged();
      if (!open_severity || a.severity > *open_severity) open_severity = a.severity;
    } else if (!last_resolved || *a.resolved_at > *last_resolved) {
      last_resolved = a.resolved_at;
    }
  }
  if (!any_open) {
    all_acked =
        std::all_of(alerts.begin(), alerts.end(), [](const Alert& a) { return a.acknowledged(); });
  }
  incident.severity = any_open ? *open_severity : *any_severity;
  incident.acknowledged = all_acked;
  incident.flapping = flapping;
  incident.opened_at = alerts.front().raised_at;
  incident.resolved_at = any_open ? std::nullopt : last_resolved;
  const Alert* worst = WorstCause(alerts);
  incident.cause = worst->type;
  incident.title.assign(AlertSourceName(incident.source_type));
  incident.title += ' ';
  incident.title += incident.source_id;
  incident.title += ": ";
  incident.title += worst->message;
}

std::vector<Incident> GroupIncidents(std::vector<Alert> alerts) {
  using SourceKey = std::tuple<std::string, AlertSource, std::string>;
  std::map<SourceKey, std::vector<Alert>> by_source;
  for (Alert& a : alerts) {
    by_source[{a.organization_id, a.source_type, a.source_id}].push_back(std::move(a));
  }
  std::vector<Incident> out;
  for (auto& [key, list] : by_source) {
    std::sort(list.begin(), list.end(), [](const Alert& a, const Alert& b) {
      if (a.raised_at != b.raised_at) return a.raised_at < b.raised_at;
      return IdNumber(a.id) < IdNumber(b.id);
    });
    std::optional<Timestamp> holds_until;  // nullopt with an open alert in the current incident
    bool current = false;
    for (Alert& a : list) {
      const bool joins = current && (!holds_until || a.raised_at < *holds_until);
      if (!joins) {
        Incident incident;
        incident.id = IncidentIdFor(a.id);
        incident.organization_id = std::get<0>(key);
        incident.source_type = std::get<1>(key);
        incident.source_id = std::get<2>(key);
        out.push_back(std::move(incident));
        current = true;
        holds_until = a.resolved_at;
      } else if (holds_until) {
        holds_until = a.resolved_at ? std::max(*holds_until, *a.resolved_at) : a.resolved_at;
      }
      out.back().alerts.push_back(std::move(a));
    }
  }
  for (Incident& i : out) Summarize(i);
  std::sort(out.begin(), out.end(), [](const Incident& a, const Incident& b) {
    if (a.opened_at != b.opened_at) return a.opened_at > b.opened_at;
    return a.id > b.id;
  });
  return out;
}

}  // namespace vitals::core
