#include "engine/monitor_options.h"

namespace vitals::engine {

core::Status MonitorOptions::Validate() const {
  using core::Status;
  if (Status s = windows.Validate(); !s.ok()) return s;
  if (Status s = policy.Validate(); !s.ok()) return s;
  if (Status s = defaults.Validate(); !s.ok()) return s;
  if (Status s = integrations.Validate(); !s.ok()) return s;
  if (queue_depth_threshold < 0) {
    return Status::InvalidArgument("queue_depth_threshold: must be >= 0");
  }
  if (queue_depth_stale_after.count() <= 0) {
    return Status::InvalidArgument("queue_depth_stale_after: must be positive");
  }
  if (max_integrations < 1 || max_conditions < 1) {
    return Status::InvalidArgument("max_integrations, max_conditions: must be >= 1");
  }
  if (tick_interval.count() <= 0 || tick_interval > std::chrono::seconds(1)) {
    return Status::InvalidArgument("tick_interval: must be between 1 us and 1 s");
  }
  if (sweep_interval < tick_interval) {
    return Status::InvalidArgument("sweep_interval: must be at least tick_interval");
  }
  if (update_interval.count() < 0) return Status::InvalidArgument("update_interval: must be >= 0");
  if (shards < 1 || shards > 4096) return Status::InvalidArgument("shards: must be 1..4096");
  if (max_agents < 1) return Status::InvalidArgument("max_agents: must be >= 1");
  if (evaluation_threads < 1 || evaluation_threads > 64) {
    return Status::InvalidArgument("evaluation_threads: must be 1..64");
  }
  if (limits.max_future_skew.count() < 0 || limits.max_past_age.count() <= 0) {
    return Status::InvalidArgument("limits: skew bounds must be positive");
  }
  return Status::Ok();
}

}  // namespace vitals::engine
