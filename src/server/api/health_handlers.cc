// Reads: seed 001's /api/health/* endpoints and the stored logs under /api/v1/agents/{id}/.
#include <algorithm>

#include "collect/collector_runner.h"
#include "server/api/api_server.h"
#include "server/api/error_mapping.h"
#include "server/api/owner_proxy.h"
#include "server/api/query_params.h"
#include "server/json/system_json.h"
#include "server/json/views_json.h"

namespace vitals::server {
namespace {

using core::Status;

template <typename T>
bool Fail(const core::Result<T>& r, Responder& respond) {
  if (r.ok()) return false;
  respond(ErrorResponse(r.status()));
  return true;
}

void AgentHealth(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  auto v = s.monitor.GetAgent(ctx.organization_id, ctx.Param("id"));
  if (Fail(v, respond)) return;
  JsonWriter w;
  WriteAgentView(w, *v);
  respond(HttpResponse::Json(200, w.Take()));
}

// Sort keys of GET /api/health/agents.
bool Less(const engine::AgentSummary& a, const engine::AgentSummary& b, std::string_view key) {
  auto opt = [](const std::optional<double>& v) { return v.value_or(-1); };
  if (key == "name") return a.name < b.name;
  if (key == "score") return a.score < b.score;
  if (key == "health") return core::Severity(a.status) < core::Severity(b.status);
  if (key == "success_rate") return opt(a.success_rate_5min) < opt(b.success_rate_5min);
  if (key == "latency") return opt(a.latency_p95_ms) < opt(b.latency_p95_ms);
  if (key == "last_active") return a.last_active < b.last_active;
  if (key == "executions") return a.executions_1hr < b.executions_1hr;
  return a.agent_id < b.agent_id;
}

void AgentList(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  if (Status st =
          KnownParams(req, {"sort", "order", "health", "status", "search", "limit", "offset"});
      !st.ok()) {
    return respond(ErrorResponse(st));
  }
  const std::string_view sort = req.Query("sort").value_or("agent_id");
  static constexpr std::string_view kSorts[] = {"agent_id",    "name",         "score",
                                                "health",      "success_rate", "latency",
                                                "last_active", "executions"};
  if (std::find(std::begin(kSorts), std::end(kSorts), sort) == std::end(kSorts)) {
    return respond(ErrorResponse(Status::InvalidArgument(
        "sort: expected one of agent_id, name, score, health, success_rate, latency, "
        "last_active, executions")));
  }
  const std::string_view order = req.Query("order").value_or("asc");
  if (order != "asc" && order != "desc") {
    return respond(ErrorResponse(Status::InvalidArgument("order: expected asc or desc")));
  }
  std::optional<core::HealthStatus> health;
  if (auto h = req.Query("health")) {
    health = core::ParseHealthStatus(*h);
    if (!health) {
      return respond(ErrorResponse(
          Status::InvalidArgument("health: expected healthy, degraded, critical or unknown")));
    }
  }
  std::optional<core::ActivityStatus> activity;
  if (auto a = req.Query("status")) {
    activity = core::ParseActivityStatus(*a);
    if (!activity) {
      return respond(
          ErrorResponse(Status::InvalidArgument("status: expected active, idle, error or paused")));
    }
  }
  // A cluster member gathering the fleet's list asks for every agent up to its page's end.
  const int64_t max_limit =
      req.headers.Get(kForwardedHeader) ? kGatherMaxAgents : s.limits.max_page_size;
  auto limit = IntParam(req, "limit", s.limits.default_page_size, 1, max_limit);
  auto offset = IntParam(req, "offset", 0, 0, INT64_MAX);
  if (Fail(limit, respond) || Fail(offset, respond)) return;
  const std::string search(req.Query("search").value_or(""));

  std::vector<engine::AgentSummary> rows = s.monitor.ListAgents(ctx.organization_id);
  std::erase_if(rows, [&](const engine::AgentSummary& r) {
    if (health && r.status != *health) return true;
    if (activity && r.activity != *activity) return true;
    return !search.empty() && r.agent_id.find(search) == std::string::npos &&
           r.name.find(search) == std::string::npos;
  });
  const bool desc = order == "desc";
  const size_t end = std::min(rows.size(), static_cast<size_t>(*offset + *limit));
  // Only the requested page needs ordering: partial sort keeps 100,000 agents cheap.
  auto cmp = [&](const auto& a, const auto& b) {
    return desc ? Less(b, a, sort) : Less(a, b, sort);
  };
  if (static_cast<size_t>(*offset) < rows.size()) {
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(end), rows.end(),
                      cmp);
  }
  JsonWriter w;
  w.BeginObject()
      .Field("total", static_cast<uint64_t>(rows.size()))
      .Field("offset", *offset)
      .Field("limit", *limit)
      .Key("agents")
      .BeginArray();
  for (size_t i = static_cast<size_t>(*offset); i < end; ++i) WriteAgentSummary(w, rows[i]);
  w.EndArray().EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

void System(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  const engine::FleetSummary f = s.monitor.Summary(ctx.organization_id);
  const engine::QueueDepthSummary queues = s.monitor.QueueDepths(ctx.organization_id);
  JsonWriter w;
  w.BeginObject();
  std::optional<collect::SystemSample> machine;
  if (s.collectors) machine = s.collectors->LatestSystem();
  if (machine) {
    WriteSystemFields(w, *machine);
  } else {  // the system collector is off or has not sampled yet
    w.Key("cpu_usage").Null().Key("memory_usage").Null();
  }
  w.Field("active_operations", f.executions_in_flight)
      .Field("queue_depth", queues.total)
      .Field("total_agents", f.total_agents)
      .Field("active_agents", f.active_agents)
      .Field("total_integrations", f.total_integrations)
      .Field("healthy_integrations", f.healthy_integrations);
  w.Key("queues").BeginArray();
  for (const engine::QueueDepthReading& q : queues.sources) {
    w.BeginObject().Field("source_id", q.source_id).Field("depth", q.depth);
    w.Field("at", q.at).EndObject();
  }
  w.EndArray();
  w.Key("alerts").BeginObject();
  for (auto sev : {core::AlertSeverity::kCritical, core::AlertSeverity::kWarning,
                   core::AlertSeverity::kInfo}) {
    w.Field(core::AlertSeverityName(sev), f.open_alerts[static_cast<size_t>(sev)]);
  }
  w.EndObject().Key("fleet");
  WriteFleetSummary(w, f);
  w.EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

void Integrations(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  JsonWriter w;
  w.BeginArray();
  for (const core::IntegrationView& v : s.monitor.ListIntegrations(ctx.organization_id)) {
    WriteIntegration(w, v);
  }
  w.EndArray();
  respond(HttpResponse::Json(200, w.Take()));
}

void Executions(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  store::ExecutionQuery q;
  q.organization_id = ctx.organization_id;
  q.agent_id = std::string(ctx.Param("id"));
  if (Status st = KnownParams(req, {"from", "to", "limit", "include_started", "status"});
      !st.ok()) {
    return respond(ErrorResponse(st));
  }
  auto from = TimeParam(req, "from");
  auto to = TimeParam(req, "to");
  auto limit = IntParam(req, "limit", s.limits.default_page_size, 1, s.limits.max_page_size);
  auto started = BoolParam(req, "include_started");
  if (Fail(from, respond) || Fail(to, respond) || Fail(limit, respond) || Fail(started, respond)) {
    return;
  }
  q.from = *from;
  q.to = *to;
  q.limit = static_cast<int>(*limit);
  q.include_started = started->value_or(false);
  if (auto st = req.Query("status")) q.status = std::string(*st);
  auto rows = s.store.QueryExecutions(q);
  if (Fail(rows, respond)) return;
  JsonWriter w;
  w.BeginObject().Field("agent_id", q.agent_id).Key("executions").BeginArray();
  for (const store::StoredExecution& e : *rows) WriteStoredExecution(w, e);
  w.EndArray().EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

void Heartbeats(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  if (Status st = KnownParams(req, {"from", "to", "limit"}); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  auto from = TimeParam(req, "from");
  auto to = TimeParam(req, "to");
  auto limit = IntParam(req, "limit", s.limits.default_page_size, 1, s.limits.max_page_size);
  if (Fail(from, respond) || Fail(to, respond) || Fail(limit, respond)) return;
  const std::string agent(ctx.Param("id"));
  auto rows =
      s.store.QueryHeartbeats(ctx.organization_id, agent, *from, *to, static_cast<int>(*limit));
  if (Fail(rows, respond)) return;
  JsonWriter w;
  w.BeginObject().Field("agent_id", agent).Key("heartbeats").BeginArray();
  for (const store::StoredHeartbeat& h : *rows) WriteStoredHeartbeat(w, h);
  w.EndArray();
  if (auto v = s.monitor.GetAgent(ctx.organization_id, agent); v.ok() && v->heartbeat) {
    const core::IntervalStats& i = v->heartbeat->intervals;
    w.Key("intervals")
        .BeginObject()
        .Field("count", i.count)
        .Field("mean_ms", i.mean_ms)
        .Field("stddev_ms", i.stddev_ms)
        .Field("min_ms", i.min_ms)
        .Field("max_ms", i.max_ms)
        .EndObject();
  }
  w.EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

void Transitions(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  if (Status st = KnownParams(req, {"from", "limit"}); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  auto from = TimeParam(req, "from");
  auto limit = IntParam(req, "limit", s.limits.default_page_size, 1, s.limits.max_page_size);
  if (Fail(from, respond) || Fail(limit, respond)) return;
  auto rows = s.store.QueryTransitions(ctx.organization_id, ctx.Param("id"), *from,
                                       static_cast<int>(*limit));
  if (Fail(rows, respond)) return;
  JsonWriter w;
  w.BeginObject().Field("agent_id", ctx.Param("id")).Key("transitions").BeginArray();
  for (const store::TransitionRecord& t : *rows) WriteTransitionRecord(w, t);
  w.EndArray().EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

}  // namespace

void RegisterAlertRoutes(Router& router, Services& s);
void RegisterHistoryRoutes(Router& router, Services& s);
void RegisterIncidentRoutes(Router& router, Services& s);

void RegisterHealthRoutes(Router& router, Services& s) {
  using store::KeyScope;
  auto bind = [&s](void (*f)(HttpRequest&, RequestContext&, Responder, Services&)) {
    return [&s, f](HttpRequest& r, RequestContext& c, Responder d) { f(r, c, std::move(d), s); };
  };
  router.Add(Method::kGet, "/api/health/agent/{id}", KeyScope::kRead, bind(AgentHealth));
  router.Add(Method::kGet, "/api/health/agents", KeyScope::kRead, bind(AgentList));
  router.Add(Method::kGet, "/api/health/system", KeyScope::kRead, bind(System));
  router.Add(Method::kGet, "/api/health/integrations", KeyScope::kRead, bind(Integrations));
  router.Add(Method::kGet, "/api/v1/agents/{id}/executions", KeyScope::kRead, bind(Executions));
  router.Add(Method::kGet, "/api/v1/agents/{id}/heartbeats", KeyScope::kRead, bind(Heartbeats));
  router.Add(Method::kGet, "/api/v1/agents/{id}/transitions", KeyScope::kRead, bind(Transitions));
  RegisterAlertRoutes(router, s);
  RegisterHistoryRoutes(router, s);
  RegisterIncidentRoutes(router, s);
}

}  // namespace vitals::server
