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

// Seed 001's agent alert rules (its "Agent Alerts" table), monitor-wide.
struct AgentAlertRules {
  // "error_rate" (warning) while the hour's error rate (a fraction) is above this, with at least
  // error_rate_min_executions runs in the hour. Seed 001's ALERT_ERROR_RATE_THRESHOLD.
  double error_rate_threshold = 0.5;
  int64_t error_rate_min_executions = 1;
  // "low_confidence" while the confidence score is below this. Confidence is n/(n+10) times a
  // stability factor, so any agent with few runs is "unconfident" by construction: the rule only
  // applies from low_confidence_min_executions runs in the hour (20: evidence alone is >= 0.67,
  // so what it catches is a score swinging widely).
  double low_confidence_threshold = 0.3;
  int64_t low_confidence_min_executions = 20;
  AlertSeverity low_confidence_severity = AlertSeverity::kInfo;
  // "failures" (warning) while the hour holds more than this many failed runs.
  int64_t max_failures_per_hour = 3;

  Status Validate() const;
};

// Monitor-wide rules applied to every agent's evaluation.
struct EvaluationPolicy {
  AlertPolicy alerts;
  AgentAlertRules rules;
  StuckPolicy stuck;
  HeartbeatConfig default_heartbeat;  // for agents that send heartbeats unannounced
  Duration trend_spacing = std::chrono::seconds(60);

  Status Validate() const;
};

Status ValidateThresholds(const HealthThresholds& t);
Status ValidateHeartbeatConfig(const HeartbeatConfig& c);

}  // namespace vitals::core
