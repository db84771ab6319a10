#include "engine/alert_index.h"

namespace vitals::engine {

void AlertIndex::Put(const core::Alert& a) {
  if (a.source_type != core::AlertSource::kAgent) return;
  std::lock_guard lock(mu_);
  open_[a.id] = Location{a.organization_id, a.source_id, a.type};
}

void AlertIndex::Apply(std::span<const EngineEvent> events) {
  std::lock_guard lock(mu_);
  for (const EngineEvent& ev : events) {
    if (ev.kind != EngineEventKind::kAlert || !ev.alert) continue;
    const core::Alert& a = ev.alert->alert;
    if (a.source_type != core::AlertSource::kAgent) continue;
    if (a.open()) {
      open_[a.id] = Location{a.organization_id, a.source_id, a.type};
    } else {
      open_.erase(a.id);
    }
  }
}

std::optional<AlertIndex::Location> AlertIndex::Find(std::string_view alert_id) const {
  std::lock_guard lock(mu_);
  auto it = open_.find(std::string(alert_id));
  if (it == open_.end()) return std::nullopt;
  return it->second;
}

void AlertIndex::EraseAgent(std::string_view organization_id, std::string_view agent_id) {
  std::lock_guard lock(mu_);
  std::erase_if(open_, [&](const auto& kv) {
    return kv.second.organization_id == organization_id && kv.second.agent_id == agent_id;
  });
}

}  // namespace vitals::engine
