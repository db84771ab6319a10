#include "engine/condition_table.h"

#include <array>

namespace vitals::engine {

using core::Status;

core::Status ConditionTable::Set(const ConditionKey& key, const core::AlertCondition& condition,
                                 core::Timestamp now, const core::AlertPolicy& policy,
                                 const core::AlertSlot::IdFactory& next_id) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(key);
  if (it == slots_.end()) {
    if (!condition.active) return Status::Ok();
    if (slots_.size() >= max_slots_) {
      return Status::ResourceExhausted("conditions: the limit of " + std::to_string(max_slots_) +
                                       " alert sources is reached");
    }
    it = slots_.emplace(key, core::AlertSlot{}).first;
  }
  const core::AlertIdentity who{key.organization_id, key.source_type, key.source_id, key.type};
  if (auto change = it->second.Evaluate(condition, who, now, policy, next_id)) {
    pending_.push_back(std::move(*change));
  }
  return Status::Ok();
}

core::Result<core::Alert> ConditionTable::Acknowledge(std::string_view organization_id,
                                                      std::string_view alert_id, std::string by,
                                                      core::Timestamp now) {
  std::lock_guard lock(mu_);
  for (auto& [key, slot] : slots_) {
    const core::Alert* open = slot.open_alert();
    if (!open || open->id != alert_id || key.organization_id != organization_id) continue;
    if (open->acknowledged()) return *open;
    auto change = slot.Acknowledge(std::move(by), now);
    core::Alert result = change->alert;
    pending_.push_back(std::move(*change));
    return result;
  }
  return Status::NotFound("alert '" + std::string(alert_id) + "' not found among open alerts");
}

core::Status ConditionTable::Restore(const core::Alert& alert) {
  if (alert.source_type == core::AlertSource::kAgent) {
    return Status::InvalidArgument("source_type: agent alerts are restored from checkpoints");
  }
  if (!alert.open()) return Status::InvalidArgument("resolved_at: the alert is not open");
  std::lock_guard lock(mu_);
  ConditionKey key{alert.organization_id, alert.source_type, alert.source_id, alert.type};
  auto it = slots_.find(key);
  if (it == slots_.end()) {
    if (slots_.size() >= max_slots_) {
      return Status::ResourceExhausted("conditions: the limit of alert sources is reached");
    }
    it = slots_.emplace(std::move(key), core::AlertSlot{}).first;
  }
  if (!it->second.open_alert()) it->second.Restore(alert);
  return Status::Ok();
}

std::vector<core::AlertChange> ConditionTable::TakeChanges() {
  std::lock_guard lock(mu_);
  std::vector<core::AlertChange> out;
  out.swap(pending_);
  return out;
}

std::vector<core::Alert> ConditionTable::OpenAlerts(std::string_view organization_id) const {
  std::lock_guard lock(mu_);
  std::vector<core::Alert> out;
  for (const auto& [key, slot] : slots_) {
    if (key.organization_id == organization_id && slot.open_alert()) {
      out.push_back(*slot.open_alert());
    }
  }
  return out;
}

std::array<int64_t, 3> ConditionTable::OpenCounts(std::string_view organization_id) const {
  std::lock_guard lock(mu_);
  std::array<int64_t, 3> out{};
  for (const auto& [key, slot] : slots_) {
    if (key.organization_id == organization_id && slot.open_alert()) {
      ++out[static_cast<size_t>(slot.open_alert()->severity)];
    }
  }
  return out;
}

std::optional<core::Alert> ConditionTable::Open(const ConditionKey& key) const {
  std::lock_guard lock(mu_);
  auto it = slots_.find(key);
  if (it == slots_.end() || !it->second.open_alert()) return std::nullopt;
  return *it->second.open_alert();
}

}  // namespace vitals::engine
