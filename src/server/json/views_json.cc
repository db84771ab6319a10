#include "server/json/views_json.h"

namespace vitals::server {
namespace {

void WriteWindow(JsonWriter& w, const core::WindowStats& s, const core::LatencyQuantiles& q) {
  w.BeginObject()
      .Field("total", s.total)
      .Field("success", s.success)
      .Field("failure", s.failure)
      .Field("success_rate", s.success_rate())
      .Field("error_rate", s.error_rate())
      .Field("avg_latency_ms", s.avg_latency_ms())
      .Field("cost_usd", s.cost_usd)
      .Field("tokens", s.tokens);
  w.Key("latency_ms").BeginObject().Field("p50", q.p50).Field("p95", q.p95).Field("p99", q.p99);
  w.EndObject().EndObject();
}

void WriteIssues(JsonWriter& w, const std::vector<std::string>& issues) {
  w.Key("issues").BeginArray();
  for (const std::string& i : issues) w.String(i);
  w.EndArray();
}

void WriteScore(JsonWriter& w, const core::HealthSnapshot& h) {
  w.Key("score");
  if (h.status == core::HealthStatus::kUnknown) {
    w.Null();
  } else {
    w.Double(h.score);
  }
}

void WriteHeartbeat(JsonWriter& w, const core::HeartbeatView& hb) {
  w.BeginObject()
      .Field("state", core::HeartbeatStateName(hb.state))
      .Field("mode", core::HeartbeatModeName(hb.mode))
      .Field("interval_ms", core::ToMillisF(hb.interval))
      .Field("failure_threshold", hb.failure_threshold)
      .Field("last_heartbeat", hb.last_heartbeat)
      .Field("elapsed_seconds", core::ToSecondsF(hb.elapsed))
      .Field("phi", hb.phi)
      .Field("total", hb.total);
  w.Key("intervals")
      .BeginObject()
      .Field("count", hb.intervals.count)
      .Field("mean_ms", hb.intervals.mean_ms)
      .Field("stddev_ms", hb.intervals.stddev_ms)
      .Field("min_ms", hb.intervals.min_ms)
      .Field("max_ms", hb.intervals.max_ms)
      .EndObject();
  w.EndObject();
}

}  // namespace

void WriteScore01(JsonWriter& w, const core::HealthSnapshot& h) {
  if (h.status == core::HealthStatus::kUnknown) {
    w.Null();
  } else {
    w.Double(h.score / 100.0);
  }
}

void WriteAgentView(JsonWriter& w, const core::AgentView& v) {
  const std::string& name = v.settings.name.empty() ? v.agent_id : v.settings.name;
  w.BeginObject()
      .Field("agent_id", v.agent_id)
      .Field("agent_name", name)
      .Field("agent_type", v.settings.type)
      .Field("status", core::ActivityStatusName(v.activity));
  w.Key("current_operation");
  if (v.current_operation.empty()) {
    w.Null();
  } else {
    w.String(v.current_operation);
  }
  w.Field("operations_completed", v.operations_completed)
      .Field("success_rate", v.long_window.success_rate())
      .Field("confidence_score", v.confidence)
      .Field("last_active", v.last_active)
      .Field("health_trend", core::HealthTrendName(v.trend));
  w.Key("metrics")
      .BeginObject()
      .Field("avg_execution_time", v.long_window.avg_latency_ms())
      .Field("error_rate", v.long_window.error_rate())
      .Field("recent_executions", v.short_window.total)
      .EndObject();

  w.Key("health").BeginObject().Field("status", core::HealthStatusName(v.health.status));
  WriteScore(w, v.health);
  WriteIssues(w, v.health.issues);
  w.Field("calculated_at", v.health.calculated_at).EndObject();

  w.Key("windows").BeginObject().Key("5m");
  WriteWindow(w, v.short_window, v.short_latency);
  w.Key("1h");
  WriteWindow(w, v.long_window, v.long_latency);
  w.EndObject();
  w.Key("latency_ms")
      .BeginObject()
      .Field("p50", v.short_latency.p50)
      .Field("p95", v.short_latency.p95)
      .Field("p99", v.short_latency.p99)
      .EndObject();
  w.Field("consecutive_failures", v.health.consecutive_failures)
      .Field("last_success_at", v.health.last_success_at);
  w.Key("last_error");
  if (v.last_error.empty()) {
    w.Null();
  } else {
    w.String(v.last_error);
  }
  w.Key("heartbeat");
  if (v.heartbeat) {
    WriteHeartbeat(w, *v.heartbeat);
  } else {
    w.Null();
  }
  w.Field("in_flight", static_cast<int64_t>(v.in_flight.size()))
      .Field("stuck_executions", v.stuck_executions)
      .Field("stuck_deadline_ms", core::ToMillisF(v.stuck_deadline));
  w.Key("slo")
      .BeginObject()
      .Field("objective", v.settings.slo.objective)
      .Field("burn_rate_5m", v.burn_rate.short_window)
      .Field("burn_rate_1h", v.burn_rate.long_window)
      .Field("firing", v.burn_rate.firing)
      .EndObject();
  w.Key("alerts").BeginArray();
  for (const core::Alert& a : v.open_alerts) WriteAlert(w, a);
  w.EndArray();
  w.Field("created_at", v.created_at);
  w.EndObject();
}

void WriteAgentSummary(JsonWriter& w, const engine::AgentSummary& s) {
  w.BeginObject()
      .Field("agent_id", s.agent_id)
      .Field("agent_name", s.name)
      .Field("agent_type", s.type)
      .Field("health", core::HealthStatusName(s.status));
  w.Key("score");
  if (s.status == core::HealthStatus::kUnknown) {
    w.Null();
  } else {
    w.Double(s.score);
  }
  w.Field("status", core::ActivityStatusName(s.activity))
      .Field("success_rate_5min", s.success_rate_5min)
      .Field("latency_p95_ms", s.latency_p95_ms)
      .Field("executions_1hr", s.executions_1hr)
      .Field("last_active", s.last_active);
  w.Key("heartbeat");
  if (s.heartbeat) {
    w.String(core::HeartbeatStateName(*s.heartbeat));
  } else {
    w.Null();
  }
  w.Field("open_alerts", s.open_alerts)
      .Field("in_flight", static_cast<int64_t>(s.in_flight))
      .Field("health_trend", core::HealthTrendName(s.trend))
      .EndObject();
}

void WriteAlert(JsonWriter& w, const core::Alert& a) {
  w.BeginObject()
      .Field("alert_id", a.id)
      .Field("severity", core::AlertSeverityName(a.severity))
      .Field("message", a.message)
      .Field("source_type", core::AlertSourceName(a.source_type))
      .Field("source_id", a.source_id)
      .Field("timestamp", a.raised_at)
      .Field("action_required", a.open() && !a.acknowledged())
      .Field("acknowledged", a.acknowledged())
      .Field("type", a.type)
      .Field("raised_at", a.raised_at)
      .Field("updated_at", a.updated_at)
      .Field("resolved", !a.open())
      .Field("resolved_at", a.resolved_at)
      .Field("acknowledged_at", a.acknowledged_at);
  w.Key("acknowledged_by");
  if (a.acknowledged_by.empty()) {
    w.Null();
  } else {
    w.String(a.acknowledged_by);
  }
  w.Field("flapping", a.flapping).Field("last_notified_at", a.last_notified_at);
  w.Key("metadata").Raw(a.metadata_json.empty() ? "{}" : a.metadata_json);
  w.EndObject();
}

void WriteIncident(JsonWriter& w, const core::Incident& i) {
  w.BeginObject()
      .Field("incident_id", i.id)
      .Field("organization_id", i.organization_id)
      .Field("source_type", core::AlertSourceName(i.source_type))
      .Field("source_id", i.source_id)
      .Field("severity", core::AlertSeverityName(i.severity))
      .Field("cause", i.cause)
      .Field("title", i.title)
      .Field("opened_at", i.opened_at)
      .Field("resolved", !i.open())
      .Field("resolved_at", i.resolved_at)
      .Field("acknowledged", i.acknowledged)
      .Field("action_required", i.open() && !i.acknowledged)
      .Field("flapping", i.flapping)
      .Field("alert_count", static_cast<int64_t>(i.alerts.size()));
  w.Key("implied_alert_ids").BeginArray();
  for (const core::Alert& a : i.alerts) {
    if (core::ImpliedBy(a, i.alerts)) w.String(a.id);
  }
  w.EndArray();
  w.Key("alerts").BeginArray();
  for (const core::Alert& a : i.alerts) WriteAlert(w, a);
  w.EndArray();
  w.EndObject();
}

void WriteHealthUpdate(JsonWriter& w, std::string_view agent_id, const core::HealthSnapshot& h,
                       core::Timestamp at) {
  w.BeginObject().Field("agent_id", agent_id).Field("status", core::HealthStatusName(h.status));
  WriteScore(w, h);
  w.Field("success_rate_5min", h.success_rate_5min)
      .Field("latency_p95", h.latency_p95_5min)
      .Field("executions_5min", h.executions_5min);
  WriteIssues(w, h.issues);
  w.Field("timestamp", at).EndObject();
}

void WriteTransition(JsonWriter& w, std::string_view agent_id, core::TransitionKind kind,
                     core::HealthStatus previous, const core::HealthSnapshot& h,
                     core::Timestamp at) {
  w.BeginObject()
      .Field("agent_id", agent_id)
      .Field("transition", core::TransitionKindName(kind))
      .Field("previous_status", core::HealthStatusName(previous))
      .Field("new_status", core::HealthStatusName(h.status));
  WriteScore(w, h);
  WriteIssues(w, h.issues);
  w.Field("timestamp", at).EndObject();
}

void WriteStoredExecution(JsonWriter& w, const store::StoredExecution& s) {
  const core::ExecutionEvent& e = s.event;
  auto opt = [&](std::string_view key, const std::string& v) {
    w.Key(key);
    if (v.empty()) {
      w.Null();
    } else {
      w.String(v);
    }
  };
  w.BeginObject().Field("id", s.id).Field("agent_id", e.agent_id);
  opt("execution_id", e.execution_id);
  w.Field("action_type", e.action_type);
  opt("action_name", e.action_name);
  opt("input_summary", e.input_summary);
  opt("output_summary", e.output_summary);
  w.Field("status", s.started_only ? std::string("started") : e.status);
  opt("error_message", e.error_message);
  w.Key("latency_ms");
  if (s.started_only) {
    w.Null();
  } else {
    w.Double(e.latency_ms);
  }
  w.Field("token_count", e.token_count).Field("cost_usd", e.cost_usd);
  w.Key("metadata").Raw(e.metadata_json.empty() ? "{}" : e.metadata_json);
  opt("integration_id", e.integration_id);
  w.Field("timestamp", e.timestamp).Field("received_at", s.received_at).EndObject();
}

void WriteStoredHeartbeat(JsonWriter& w, const store::StoredHeartbeat& h) {
  w.BeginObject()
      .Field("agent_id", h.agent_id)
      .Field("timestamp", h.timestamp)
      .Field("received_at", h.received_at);
  w.Key("metadata").Raw(h.metadata_json.empty() ? "{}" : h.metadata_json);
  w.EndObject();
}

void WriteHeartbeatRecord(JsonWriter& w, const core::HeartbeatRecord& h) {
  w.BeginObject().Field("timestamp", h.timestamp).Field("received_at", h.received_at);
  w.Key("metadata").Raw(h.metadata_json.empty() ? "{}" : h.metadata_json);
  w.EndObject();
}

void WriteTransitionRecord(JsonWriter& w, const store::TransitionRecord& t) {
  w.BeginObject()
      .Field("agent_id", t.agent_id)
      .Field("transition", core::TransitionKindName(t.transition))
      .Field("previous_status", core::HealthStatusName(t.previous_status))
      .Field("new_status", core::HealthStatusName(t.new_status))
      .Field("score", t.score);
  WriteIssues(w, t.issues);
  w.Field("timestamp", t.at).EndObject();
}

void WriteFleetSummary(JsonWriter& w, const engine::FleetSummary& f) {
  using core::HealthStatus;
  w.BeginObject().Field("total_agents", f.total_agents);
  w.Key("health").BeginObject();
  for (auto s : {HealthStatus::kHealthy, HealthStatus::kDegraded, HealthStatus::kCritical,
                 HealthStatus::kUnknown}) {
    w.Field(core::HealthStatusName(s), f.by_status[static_cast<size_t>(s)]);
  }
  w.EndObject().Key("activity").BeginObject();
  for (auto s : {core::ActivityStatus::kActive, core::ActivityStatus::kIdle,
                 core::ActivityStatus::kError, core::ActivityStatus::kPaused}) {
    w.Field(core::ActivityStatusName(s), f.by_activity[static_cast<size_t>(s)]);
  }
  w.EndObject().Key("heartbeat").BeginObject();
  for (auto s : {core::HeartbeatState::kHealthy, core::HeartbeatState::kDegraded,
                 core::HeartbeatState::kCritical, core::HeartbeatState::kFailed}) {
    w.Field(core::HeartbeatStateName(s), f.by_heartbeat[static_cast<size_t>(s)]);
  }
  w.EndObject().Key("alerts").BeginObject();
  for (auto s : {core::AlertSeverity::kCritical, core::AlertSeverity::kWarning,
                 core::AlertSeverity::kInfo}) {
    w.Field(core::AlertSeverityName(s), f.open_alerts[static_cast<size_t>(s)]);
  }
  w.EndObject()
      .Field("executions_in_flight", f.executions_in_flight)
      .Field("total_heartbeats", f.total_heartbeats)
      .EndObject();
}

void WriteIntegration(JsonWriter& w, const core::IntegrationView& v) {
  w.BeginObject()
      .Field("integration_id", v.integration_id)
      .Field("integration_name", v.name)
      .Field("status", core::IntegrationStatusName(v.status))
      .Field("last_used", v.last_used)
      .Field("latency_ms", v.latency_ms)
      .Field("error_rate", v.error_rate)
      .Field("health_trend", core::HealthTrendName(v.health_trend))
      .Field("connection_status", core::ConnectionStatusName(v.connection_status))
      .Field("latency_p95_ms", v.latency_p95_ms)
      .Field("total_calls", v.total_calls)
      .Field("total_errors", v.total_errors)
      .Field("window_samples", v.window_samples);
  w.Key("dependent_agents").BeginArray();
  for (const std::string& a : v.dependent_agents) w.String(a);
  w.EndArray().Key("calling_agents").BeginArray();
  for (const std::string& a : v.calling_agents) w.String(a);
  w.EndArray().Key("checks").BeginArray();
  for (const core::IntegrationCheckView& c : v.checks) {
    w.BeginObject()
        .Field("check_id", c.check_id)
        .Field("up", c.up)
        .Field("latency_ms", c.latency_ms)
        .Field("detail", c.detail)
        .Field("timestamp", c.at)
        .EndObject();
  }
  w.EndArray();
  WriteIssues(w, v.issues);
  w.EndObject();
}

void WriteQueueDepths(JsonWriter& w, const engine::QueueDepthSummary& q) {
  w.BeginObject().Field("total", q.total).Key("sources").BeginArray();
  for (const engine::QueueDepthReading& r : q.sources) {
    w.BeginObject()
        .Field("source_id", r.source_id)
        .Field("queue_depth", r.depth)
        .Field("timestamp", r.at)
        .EndObject();
  }
  w.EndArray().EndObject();
}

}  // namespace vitals::server
