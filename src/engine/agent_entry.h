// AgentEntry: an AgentState plus the engine's bookkeeping for it. Owned by its Shard.
#pragma once

#include <cstdint>
#include <optional>

#include "core/agent_state.h"

namespace vitals::engine {

// Cache-line aligned so the hot prefix (dirty flag, key, pending group) spans as few lines as
// possible.
struct alignas(64) AgentEntry {
  AgentEntry(core::AgentState s) : state(std::move(s)) {}  // NOLINT

  bool dirty = false;            // in the shard's dirty list (touched per event)
  bool checkpoint_dirty = true;  // changed since its last checkpoint
  core::AgentState state;
  uint64_t evaluated_tick = 0;                 // the tick that last evaluated it
  std::optional<core::Timestamp> scheduled;    // its live entry in the deadline heap
  std::optional<core::Timestamp> last_update;  // last health_update published
  uint64_t published_fingerprint = 0;          // of the verdict in that update
};

}  // namespace vitals::engine
