// InFlightExecutions: executions an agent has started and not yet finished, to tell "active"
// from "idle" and to catch the ones that are stuck (running, making no progress).
//
// Not thread-safe. Holds no storage while nothing is in flight.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/binary_codec.h"
#include "core/status.h"
#include "core/time.h"

namespace vitals::core {

struct InFlightExecution {
  std::string execution_id;
  std::string action;  // action_name, or action_type when no name was given
  Timestamp started_at;
};

class InFlightExecutions {
 public:
  // Starts (or restarts) `execution_id`. ResourceExhausted when `max` are already in flight.
  Status Start(std::string_view execution_id, std::string_view action, Timestamp started_at,
               int max);
  // Finishes `execution_id`; false when it was not in flight.
  bool Finish(std::string_view execution_id);
  // Drops executions started before `cutoff`; returns how many.
  int DropStartedBefore(Timestamp cutoff);

  // Executions started at or before `cutoff` (i.e. running for at least now - cutoff).
  int CountStartedBy(Timestamp cutoff) const;
  // The earliest start after `cutoff`: the next execution to become stuck.
  std::optional<Timestamp> EarliestStartAfter(Timestamp cutoff) const;
  // The most recently started execution, or nullptr.
  const InFlightExecution* Newest() const;
  std::vector<InFlightExecution> All() const;
  size_t size() const { return items_ ? items_->size() : 0; }
  size_t MemoryUsage() const;

  void Encode(BinaryWriter& w) const;
  bool Decode(BinaryReader& r);

 private:
  std::unique_ptr<std::vector<InFlightExecution>> items_;
};

}  // namespace vitals::core
