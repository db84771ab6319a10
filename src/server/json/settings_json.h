// AgentSettings to and from JSON, for the registry endpoints:
//   {"name": "...", "type": "...", "paused": false, "depends_on": ["slack"],
//    "heartbeat": {"interval_ms": 5000, "failure_threshold": 3, "mode": "fixed"|"adaptive",
//                  "phi_threshold": 8, "min_std_deviation_ms": 100, "acceptable_pause_ms": 0,
//                  "history_size": 100},          (null: no heartbeat expected)
//    "thresholds": {"success_rate_healthy": 0.95, "success_rate_critical": 0.8,
//                   "latency_p95_healthy_ms": 3000, "latency_p95_critical_ms": 10000,
//                   "error_rate_healthy": 5, "error_rate_critical": 20,
//                   "consecutive_failures_critical": 5},
//    "slo": {"enabled": true, "objective": 0.99, "burn_rate_threshold": 14.4, "min_events": 1},
//    "stuck_after_ms": 300000}                    (null: derived from the agent's latency)
#pragma once

#include <string>

#include "core/agent_settings.h"
#include "core/status.h"
#include "server/json/json_writer.h"

namespace vitals::server {

// Applies the fields present in `json` (an object) on top of `settings`; absent fields keep their
// value. Unknown fields are ignored. Errors name the field: "heartbeat.interval_ms: expected a
// positive number". Does not validate ranges (AgentSettings::Validate does).
core::Status MergeSettingsJson(std::string_view json, core::AgentSettings* settings);

void WriteSettings(JsonWriter& w, const core::AgentSettings& s);
void WriteHeartbeatConfig(JsonWriter& w, const core::HeartbeatConfig& c);
void WriteThresholds(JsonWriter& w, const core::HealthThresholds& t);

}  // namespace vitals::server
