// Settings that shape how agents are judged: per agent (AgentSettings) and monitor-wide
// (WindowConfig, StuckPolicy, EvaluationPolicy).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/alert_slot.h"
#include "core/health_calculator.h"
#include "core/heartbeat_tracker.h"
#include "core/slo_burn_rate.h"
#include "core/status.h"
#include "core/time.h"

namespace vitals::core {

// Rolling window lengths and their resolution. Memory per agent grows with bucket and slot
// counts, never with traffic.
struct WindowConfig {
  Duration short_length = std::chrono::minutes(5);
  int short_buckets = 30;      // 10 s buckets
  int short_sketch_slots = 5;  // 1 min latency slots
  Duration long_length = std::chrono::hours(1);
  int long_buckets = 60;      // 1 min buckets
  int long_sketch_slots = 4;  // 15 min latency slots
  int32_t sketch_max_bins =
      224;  // an 85x latency spread at full accuracy; past it the lowest bins merge

  Status Validate() const;
};

// When an execution that started but never finished counts as stuck.
struct StuckPolicy {
  Duration default_deadline = std::chrono::minutes(5);  // until the agent has a latency history
  double latency_multiple = 3.0;                        // else: multiple x p99 over the hour...
  Duration min_deadline = std::chrono::seconds(10);     // ...but never less than this
  int64_t min_samples = 20;                             // executions that make a history
  Duration abandon_after = std::chrono::hours(24);      // then it is dropped from in-flight
  int max_in_flight = 1000;                             // per agent

  Status Validate() const;
};

struct AgentSettings {
  std::string name;  // display name; empty: the agent id
  std::string type;
  HealthThresholds thresholds;
  std::optional<HeartbeatConfig> heartbeat;  // heartbeats expected from registration on
  SloPolicy slo;
  std::optional<Duration> stuck_after;  // nullopt: derived (StuckPolicy)
  bool paused = false;                  // a paused agent raises no alerts
  std::vector<std::string> depends_on;  // integration ids

  Status Validate() const;
};

// Monitor-wide rules applied to every agent's evaluation.
struct EvaluationPolicy {
  AlertPolicy alerts;
  StuckPolicy stuck;
  HeartbeatConfig default_heartbeat;  // for agents that send heartbeats unannounced
  Duration trend_spacing = std::chrono::seconds(60);

  Status Validate() const;
};

Status ValidateThresholds(const HealthThresholds& t);
Status ValidateHeartbeatConfig(const HeartbeatConfig& c);

}  // namespace vitals::core
