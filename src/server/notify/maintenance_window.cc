#include "server/notify/maintenance_window.h"

#include <algorithm>

#include "core/execution_event.h"

namespace vitals::server {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string LabelValue(const AlertSubject& s, const std::string& key) {
  const core::Alert& a = *s.alert;
  if (key == "source_type") return std::string(core::AlertSourceName(a.source_type));
  if (key == "source_id") return a.source_id;
  if (key == "type") return a.type;
  if (key == "severity") return std::string(core::AlertSeverityName(a.severity));
  if (key == "agent_type") return s.agent_type;
  if (key == "organization") return a.organization_id;
  return {};
}

}  // namespace

bool MaintenanceWindow::Covers(const AlertSubject& subject) const {
  const core::Alert& a = *subject.alert;
  if (agents.empty() && integrations.empty() && labels.empty()) return true;
  if (a.source_type == core::AlertSource::kAgent && Contains(agents, a.source_id)) return true;
  if (a.source_type == core::AlertSource::kIntegration && Contains(integrations, a.source_id)) {
    return true;
  }
  for (const std::string& dep : subject.depends_on) {
    if (Contains(integrations, dep)) return true;
  }
  if (labels.empty()) return false;
  return std::all_of(labels.begin(), labels.end(),
                     [&](const auto& kv) { return LabelValue(subject, kv.first) == kv.second; });
}

core::Status MaintenanceWindow::Validate() const {
  if (core::Status s = core::ValidateId("id", id, 256); !s.ok()) return s;
  if (ends_at <= starts_at) {
    return core::Status::InvalidArgument("ends_at: must be after starts_at");
  }
  for (const auto& [key, value] : labels) {
    if (key.empty()) return core::Status::InvalidArgument("labels: empty label name");
  }
  return core::Status::Ok();
}

}  // namespace vitals::server
