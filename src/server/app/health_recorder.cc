#include "server/app/health_recorder.h"

namespace vitals::server {

void HealthRecorder::OnEvents(std::span<const engine::EngineEvent> events) {
  std::vector<store::TransitionRecord> transitions;
  std::vector<core::Alert> alerts;
  {
    std::lock_guard lock(mu_);
    for (const engine::EngineEvent& e : events) {
      switch (e.kind) {
        case engine::EngineEventKind::kHealthUpdate:
          latest_[e.organization_id + '\x1f' + e.agent_id] =
              store::HealthRecord{e.organization_id, e.agent_id, e.health};
          break;
        case engine::EngineEventKind::kTransition:
          transitions.push_back(
              store::TransitionRecord{e.organization_id, e.agent_id, *e.transition,
                                      e.previous_status.value_or(core::HealthStatus::kUnknown),
                                      e.health.status, e.health.score, e.health.issues, e.at});
          break;
        case engine::EngineEventKind::kAlert:
          alerts.push_back(e.alert->alert);
          break;
      }
    }
  }
  if (!transitions.empty()) store_.RecordTransitions(std::move(transitions));
  if (!alerts.empty()) store_.RecordAlerts(std::move(alerts));
}

void HealthRecorder::Flush() {
  std::vector<store::HealthRecord> rows;
  {
    std::lock_guard lock(mu_);
    rows.reserve(latest_.size());
    for (auto& [key, record] : latest_) rows.push_back(std::move(record));
    latest_.clear();
  }
  if (!rows.empty()) store_.RecordHealth(std::move(rows));
}

}  // namespace vitals::server
