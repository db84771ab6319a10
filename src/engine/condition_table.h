// ConditionTable: the alerts of sources that are not agents — system (cpu, memory, disk,
// queue_depth), workspaces, databases, integrations — one AlertSlot per (organization, source
// type, source id, alert type), so they get the same lifecycle as agent alerts: raised once,
// escalated in place, resolved, cooldown, flapping.
//
// Changes are queued in order and taken by the monitor's next tick, which publishes them with the
// agents' events: listeners see one ordered stream whoever set the condition.
//
// Thread-safe: every method locks the table's mutex (never held while calling out).
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/alert_slot.h"
#include "core/status.h"

namespace vitals::engine {

struct ConditionKey {
  std::string organization_id;
  core::AlertSource source_type = core::AlertSource::kSystem;
  std::string source_id;
  std::string type;

  auto operator<=>(const ConditionKey&) const = default;
};

class ConditionTable {
 public:
  // REQUIRES: max_slots >= 1.
  explicit ConditionTable(size_t max_slots) : max_slots_(max_slots) {}

  // Evaluates the key's slot with `condition` and queues the change, if any. An inactive
  // condition for a key never seen creates nothing. ResourceExhausted past max_slots keys.
  core::Status Set(const ConditionKey& key, const core::AlertCondition& condition,
                   core::Timestamp now, const core::AlertPolicy& policy,
                   const core::AlertSlot::IdFactory& next_id);
  // Acknowledges the open alert with this id and queues the change. NotFound when no open alert
  // of the organization has it; an alert already acknowledged is returned unchanged.
  core::Result<core::Alert> Acknowledge(std::string_view organization_id, std::string_view alert_id,
                                        std::string by, core::Timestamp now);
  // Re-opens an alert loaded from storage (no change queued). InvalidArgument for an agent's
  // alert or one that is not open; an open alert already in its slot is kept.
  core::Status Restore(const core::Alert& alert);

  // The changes queued since the last call, oldest first.
  std::vector<core::AlertChange> TakeChanges();

  std::vector<core::Alert> OpenAlerts(std::string_view organization_id) const;
  // Open alerts of the organization counted by severity (indexed by core::AlertSeverity).
  std::array<int64_t, 3> OpenCounts(std::string_view organization_id) const;
  // The open alert of one key, if any.
  std::optional<core::Alert> Open(const ConditionKey& key) const;

 private:
  const size_t max_slots_;
  mutable std::mutex mu_;
  std::map<ConditionKey, core::AlertSlot> slots_;
  std::vector<core::AlertChange> pending_;
};

}  // namespace vitals::engine
