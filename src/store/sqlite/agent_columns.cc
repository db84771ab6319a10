#include "store/sqlite/agent_columns.h"

#include "store/sqlite/json_strings.h"

namespace vitals::store {
namespace {

void BindHeartbeat(Statement& s, int i, const std::optional<core::HeartbeatConfig>& hb) {
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

std::optional<core::HeartbeatConfig> ReadHeartbeat(const Statement& s, int i, bool& ok) {
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

}  // namespace

void BindAgent(Statement& s, const RegisteredAgent& agent, const std::string& depends_on_json) {
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
  BindHeartbeat(s, i, a.heartbeat);
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

std::optional<RegisteredAgent> ReadAgent(const Statement& s) {
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
  a.heartbeat = ReadHeartbeat(s, i, ok);
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
