// Read models the Monitor builds for lists and fleet-wide counts.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/agent_view.h"
#include "core/health_status.h"
#include "core/heartbeat_tracker.h"
#include "core/score_trend.h"

namespace vitals::engine {

// One agent's line in a list: enough to filter, sort and draw a row without the full view.
struct AgentSummary {
  std::string agent_id;
  std::string name;
  std::string type;
  core::HealthStatus status = core::HealthStatus::kUnknown;
  double score = 0;
  core::ActivityStatus activity = core::ActivityStatus::kIdle;
  std::optional<double> success_rate_5min;
  std::optional<double> latency_p95_ms;
  int64_t executions_1hr = 0;
  std::optional<core::Timestamp> last_active;
  std::optional<core::HeartbeatState> heartbeat;
  int open_alerts = 0;
  size_t in_flight = 0;
  core::HealthTrend trend = core::HealthTrend::kStable;
};

struct FleetSummary {
  int64_t total_agents = 0;
  // Not paused, and running something or with executions in the short window.
  int64_t active_agents = 0;
  std::array<int64_t, 4> by_status{};     // indexed by core::HealthStatus
  std::array<int64_t, 4> by_activity{};   // indexed by core::ActivityStatus
  std::array<int64_t, 4> by_heartbeat{};  // indexed by core::HeartbeatState (monitored agents)
  // Every open alert of the organization, agents' and other sources', by core::AlertSeverity.
  std::array<int64_t, 3> open_alerts{};
  int64_t executions_in_flight = 0;  // seed 001's active_operations
  uint64_t total_heartbeats = 0;
  int64_t queue_depth = 0;  // the latest depth of every reporting source, summed
  int64_t total_integrations = 0;
  int64_t healthy_integrations = 0;
};

// The latest queue depth one source reported (Monitor::RecordQueueDepth).
struct QueueDepthReading {
  std::string source_id;
  int64_t depth = 0;
  core::Timestamp at;
};

struct QueueDepthSummary {
  int64_t total = 0;
  std::vector<QueueDepthReading> sources;  // sorted by source id
};

}  // namespace vitals::engine
