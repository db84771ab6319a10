// AlertIndex: where each open alert lives, so an acknowledgement by id finds its agent without a
// scan. Updated from published alert changes.
//
// Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/engine_event.h"

namespace vitals::engine {

class AlertIndex {
 public:
  struct Location {
    std::string organization_id;
    std::string agent_id;
    std::string type;
  };
  // Only agents' alerts are indexed (others live in the ConditionTable, found there by id).

  void Apply(std::span<const EngineEvent> events);
  void Put(const core::Alert& alert);
  std::optional<Location> Find(std::string_view alert_id) const;
  void EraseAgent(std::string_view organization_id, std::string_view agent_id);

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, Location> open_;
};

}  // namespace vitals::engine
