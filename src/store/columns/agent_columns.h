// The agents table's columns: every field of core::AgentSettings as a column of its own, so the
// registry is readable with plain SQL and doubles round-trip exactly. `S` is a backend's statement
// type (see execution_columns.h).
#pragma once

#include <optional>
#include <string>

#include "store/json_strings.h"
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

namespace columns_internal {

template <typename S>
void BindHeartbeat(S& s, int i, const std::optional<core::HeartbeatConfig>& hb) {
  if (!hb) {
    for (int k = 0; k < 8; ++k) s.BindNull(i + k);
    return;
  }
  s.Bind(i++, static_cast<int64_t>(hb->interval.count()));
  s.Bind(i++, hb->failure_threshold);
  s.Bind(i++, core::HeartbeatModeName(hb->mode));
  s.Bind(i++, hb->history_size);
  s.Bind(i++, hb->phi.threshold);
  s.Bind(i++, static_cast<int64_t>(hb->phi.min_std_deviation.count()));
  s.Bind(i++, static_cast<int64_t>(hb->phi.acceptable_pause.count()));
  s.Bind(i++, hb->phi.max_samples);
}

template <typename S>
std::optional<core::HeartbeatConfig> ReadHeartbeat(const S& s, int i, bool& ok) {
  if (s.IsNull(i)) return std::nullopt;
  core::HeartbeatConfig hb;
  hb.interval = core::Duration(s.Int(i++));
  hb.failure_threshold = static_cast<int>(s.Int(i++));
  auto mode = core::ParseHeartbeatMode(s.TextView(i++));
  if (!mode) ok = false;
  hb.mode = mode.value_or(core::HeartbeatMode::kFixed);
  hb.history_size = static_cast<int>(s.Int(i++));
  hb.phi.threshold = s.Double(i++);
  hb.phi.min_std_deviation = core::Duration(s.Int(i++));
  hb.phi.acceptable_pause = core::Duration(s.Int(i++));
  hb.phi.max_samples = static_cast<int>(s.Int(i++));
  return hb;
}

}  // namespace columns_internal

// Binds parameters 1..28. Keeps pointers into `agent` and `depends_on_json`.
template <typename S>
void BindAgent(S& s, const RegisteredAgent& agent, const std::string& depends_on_json) {
  const core::AgentSettings& a = agent.settings;
  const core::HealthThresholds& t = a.thresholds;
  int i = 1;
  s.Bind(i++, std::string_view(agent.organization_id));
  s.Bind(i++, std::string_view(agent.agent_id));
  s.Bind(i++, std::string_view(a.name));
  s.Bind(i++, std::string_view(a.type));
  s.Bind(i++, t.success_rate_healthy);
  s.Bind(i++, t.success_rate_critical);
  s.Bind(i++, t.latency_p95_healthy_ms);
  s.Bind(i++, t.latency_p95_critical_ms);
  s.Bind(i++, t.error_rate_healthy);
  s.Bind(i++, t.error_rate_critical);
  s.Bind(i++, t.consecutive_failures_critical);
  columns_internal::BindHeartbeat(s, i, a.heartbeat);
  i += 8;
  s.Bind(i++, a.slo.enabled);
  s.Bind(i++, a.slo.objective);
  s.Bind(i++, a.slo.burn_rate_threshold);
  s.Bind(i++, a.slo.min_events);
  if (a.stuck_after) {
    s.Bind(i++, static_cast<int64_t>(a.stuck_after->count()));
  } else {
    s.BindNull(i++);
  }
  s.Bind(i++, a.paused);
  s.Bind(i++, std::string_view(depends_on_json));
  s.Bind(i++, agent.created_at);
  s.Bind(i++, agent.updated_at);
}

// Reads columns 0..27; nullopt when a stored value does not parse.
template <typename S>
std::optional<RegisteredAgent> ReadAgent(const S& s) {
  RegisteredAgent agent;
  core::AgentSettings& a = agent.settings;
  core::HealthThresholds& t = a.thresholds;
  bool ok = true;
  int i = 0;
  agent.organization_id = s.Text(i++);
  agent.agent_id = s.Text(i++);
  a.name = s.Text(i++);
  a.type = s.Text(i++);
  t.success_rate_healthy = s.Double(i++);
  t.success_rate_critical = s.Double(i++);
  t.latency_p95_healthy_ms = s.Double(i++);
  t.latency_p95_critical_ms = s.Double(i++);
  t.error_rate_healthy = s.Double(i++);
  t.error_rate_critical = s.Double(i++);
  t.consecutive_failures_critical = static_cast<int>(s.Int(i++));
  a.heartbeat = columns_internal::ReadHeartbeat(s, i, ok);
  i += 8;
  a.slo.enabled = s.Bool(i++);
  a.slo.objective = s.Double(i++);
  a.slo.burn_rate_threshold = s.Double(i++);
  a.slo.min_events = s.Int(i++);
  if (auto us = s.OptInt(i++)) a.stuck_after = core::Duration(*us);
  a.paused = s.Bool(i++);
  auto depends_on = DecodeJsonStrings(s.TextView(i++));
  if (!depends_on) return std::nullopt;
  a.depends_on = std::move(*depends_on);
  agent.created_at = s.Time(i++);
  agent.updated_at = s.Time(i++);
  if (!ok) return std::nullopt;
  return agent;
}

}  // namespace vitals::store
