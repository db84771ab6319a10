// AgentView: a copy of everything known about one agent at one moment, for readers (the API,
// the CLI, the dashboard). Plain data; safe to use after the engine's locks are released.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/agent_settings.h"
#include "core/alert.h"
#include "core/health_calculator.h"
#include "core/heartbeat_tracker.h"
#include "core/in_flight_executions.h"
#include "core/score_trend.h"
#include "core/slo_burn_rate.h"
#include "core/window_stats.h"

namespace vitals::core {

// Seed 001's activity status.
enum class ActivityStatus { kActive, kIdle, kError, kPaused };
std::string_view ActivityStatusName(ActivityStatus s);  // "active", "idle", "error", "paused"
std::optional<ActivityStatus> ParseActivityStatus(std::string_view name);

struct LatencyQuantiles {
  std::optional<double> p50;
  std::optional<double> p95;
  std::optional<double> p99;
};

struct HeartbeatView {
  HeartbeatState state = HeartbeatState::kHealthy;
  HeartbeatMode mode = HeartbeatMode::kFixed;
  Duration interval{0};
  int failure_threshold = 0;
  std::optional<Timestamp> last_heartbeat;
  Duration elapsed{0};
  double phi = 0;
  uint64_t total = 0;
  IntervalStats intervals;
};

struct AgentView {
  std::string organization_id;
  std::string agent_id;
  AgentSettings settings;
  Timestamp created_at;

  HealthSnapshot health;  // as of the last evaluation
  WindowStats short_window;
  WindowStats long_window;
  LatencyQuantiles short_latency;
  LatencyQuantiles long_latency;
  BurnRate burn_rate;

  ActivityStatus activity = ActivityStatus::kIdle;
  std::string current_operation;
  uint64_t operations_completed = 0;
  std::optional<Timestamp> last_active;
  std::string last_error;
  HealthTrend trend = HealthTrend::kStable;
  double confidence = 0;

  std::optional<HeartbeatView> heartbeat;
  std::vector<InFlightExecution> in_flight;
  int stuck_executions = 0;
  Duration stuck_deadline{0};
  std::vector<Alert> open_alerts;
};

}  // namespace vitals::core
