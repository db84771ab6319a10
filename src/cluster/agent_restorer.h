// RestoreAgents: brings agents back into the engine from the store — their registrations, their
// checkpoints, the execution log after the checkpoints, their latest heartbeats. A node does it
// at start for every agent it owns, and a cluster node again when agents move to it (issue 16).
//
// Blocking (it reads the store); call it where waiting is fine. Agents already in the monitor are
// recreated from the store.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "core/status.h"
#include "engine/monitor.h"
#include "store/store.h"

namespace vitals::cluster {

// Whether an agent is to be restored (by organization and agent id).
using AgentFilter = std::function<bool(std::string_view, std::string_view)>;

struct RestoreResult {
  size_t agents = 0;             // restored from a registration or a checkpoint
  size_t replayed = 0;           // log rows replayed into them
  int64_t replayed_through = 0;  // the log id the replay ended at (0: none)
  core::Duration downtime{0};    // what heartbeat trackers were credited
};

// Restores the agents `take` accepts (every agent when it is empty) and their integrations.
// `downtime`: the time the agents were judged by no one, credited to their heartbeat trackers;
// nullopt: since the newest checkpoint or heartbeat in the store (a whole-monitor restart).
// Errors are the store's.
core::Result<RestoreResult> RestoreAgents(store::Store& store, engine::Monitor& monitor,
                                          const core::Clock& clock, const AgentFilter& take,
                                          std::optional<core::Duration> downtime);

// Replays into the agents `take` accepts every stored execution after `after` that they have not
// counted (by their log positions), leaving their state otherwise as it is: what a node that
// died between its commit and its forward never delivered. Returns the rows replayed. Errors are
// the store's.
core::Result<size_t> CatchUp(store::Store& store, engine::Monitor& monitor, const AgentFilter& take,
                             int64_t after);

}  // namespace vitals::cluster
