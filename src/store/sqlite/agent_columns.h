// The agents table's columns: every field of core::AgentSettings as a column of its own, so the
// registry is readable with plain SQL and doubles round-trip exactly.
#pragma once

#include <optional>

#include "store/sqlite/connection.h"
#include "store/store_types.h"

namespace vitals::store {

inline constexpr const char* kAgentColumns =
    "organization_id, agent_id, name, type, success_rate_healthy, success_rate_critical, "
    "latency_p95_healthy_ms, latency_p95_critical_ms, error_rate_healthy, error_rate_critical, "
    "consecutive_failures_critical, heartbeat_interval_us, heartbeat_failure_threshold, "
    "heartbeat_mode, heartbeat_history_size, phi_threshold, phi_min_std_deviation_us, "
    "phi_acceptable_pause_us, phi_max_samples, slo_enabled, slo_objective, "
    "slo_burn_rate_threshold, slo_min_events, stuck_after_us, paused, depends_on, created_at, "
    "updated_at";
inline constexpr int kAgentColumnCount = 28;

// Binds parameters 1..28. Keeps pointers into `agent` and `depends_on_json`.
void BindAgent(Statement& s, const RegisteredAgent& agent, const std::string& depends_on_json);

// Reads columns 0..27; nullopt when a stored value does not parse.
std::optional<RegisteredAgent> ReadAgent(const Statement& s);

}  // namespace vitals::store
