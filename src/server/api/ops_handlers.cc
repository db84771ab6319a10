// Operations: /metrics (Prometheus text format, scoped to the caller's organization; the
// process-wide figures — ingest, HTTP, store, streams — only for the operator: open mode or an
// admin key of Services::operator_organization), /healthz (the process answers), /readyz (state
// restored, the store's last commit succeeded, its queue not full).
#include <cstdio>

#include "cluster/cluster_node.h"
#include "server/api/api_server.h"
#include "server/api/error_mapping.h"
#include "server/api/stream_hub.h"

namespace vitals::server {
namespace {

void Label(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
}

class Exposition {
 public:
  void Family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  void Sample(std::string_view name, std::string_view labels, double value) {
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      out_ += labels;
      out_ += '}';
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, " %.17g\n", value);
    out_ += buf;
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string AgentLabel(std::string_view id) {
  std::string l = "agent_id=\"";
  Label(l, id);
  l += '"';
  return l;
}

// This node's part in the cluster (issue 16).
void ClusterSeries(Exposition& e, const cluster::ClusterNode& node) {
  const cluster::MembershipView view = node.View();
  const cluster::ClusterNodeStats st = node.stats();
  e.Family("vitals_cluster_redis_up", "gauge",
           "Whether the last membership renewal reached Redis.");
  e.Sample("vitals_cluster_redis_up", "", node.healthy() ? 1 : 0);
  e.Family("vitals_cluster_liveness_held", "gauge",
           "Whether heartbeat convictions are held: this node cannot renew its membership, so "
           "its agents' heartbeats may be going to the others.");
  e.Sample("vitals_cluster_liveness_held", "", st.liveness_held ? 1 : 0);
  e.Family("vitals_cluster_members", "gauge", "Live members this node sees.");
  e.Sample("vitals_cluster_members", "", static_cast<double>(view.members.size()));
  e.Family("vitals_cluster_epoch", "gauge", "The membership epoch.");
  e.Sample("vitals_cluster_epoch", "", static_cast<double>(view.epoch));
  e.Family("vitals_cluster_events_total", "counter",
           "Events sent to their owners, received from other nodes, skipped as already counted, "
           "caught up from the store after a member left.");
  e.Sample("vitals_cluster_events_total", "direction=\"forwarded\"", st.forwarded);
  e.Sample("vitals_cluster_events_total", "direction=\"received\"", st.received);
  e.Sample("vitals_cluster_events_total", "direction=\"skipped\"", st.skipped);
  e.Sample("vitals_cluster_events_total", "direction=\"dropped\"", st.forward_dropped);
  e.Sample("vitals_cluster_events_total", "direction=\"caught_up\"", st.caught_up);
  e.Family("vitals_cluster_handovers_total", "counter", "Membership changes that moved agents.");
  e.Sample("vitals_cluster_handovers_total", "", st.handovers);
  e.Family("vitals_cluster_agents_moved_total", "counter", "Agents moved here and away.");
  e.Sample("vitals_cluster_agents_moved_total", "direction=\"in\"", st.agents_gained);
  e.Sample("vitals_cluster_agents_moved_total", "direction=\"out\"", st.agents_lost);
  e.Family("vitals_cluster_claims_total", "counter",
           "Agents this node claimed in the store, and claims refused for a later epoch's.");
  e.Sample("vitals_cluster_claims_total", "outcome=\"claimed\"", st.claims);
  e.Sample("vitals_cluster_claims_total", "outcome=\"refused\"", st.claims_refused);
  e.Family("vitals_cluster_counter_publications_total", "counter",
           "Batches of seed 000's real-time counters sent to Redis, by outcome.");
  e.Sample("vitals_cluster_counter_publications_total", "outcome=\"ok\"", st.counters.publications);
  e.Sample("vitals_cluster_counter_publications_total", "outcome=\"error\"", st.counters.errors);
  e.Family("vitals_cluster_counter_keys_dropped_total", "counter",
           "Counter keys whose deltas were dropped while Redis was away too long.");
  e.Sample("vitals_cluster_counter_keys_dropped_total", "", st.counters.dropped);
}

void AgentSeries(Exposition& e, const std::vector<engine::AgentSummary>& rows) {
  struct Series {
    const char* name;
    const char* help;
    std::optional<double> (*get)(const engine::AgentSummary&);
  };
  static const Series kSeries[] = {
      {"vitals_agent_health_score", "Health score (0-100) of the last evaluation.",
       [](const engine::AgentSummary& a) {
         return a.status == core::HealthStatus::kUnknown ? std::nullopt
                                                         : std::optional<double>(a.score);
       }},
      {"vitals_agent_health_status", "Health status: 0 unknown, 1 healthy, 2 degraded, 3 critical.",
       [](const engine::AgentSummary& a) {
         return std::optional<double>(static_cast<double>(a.status));
       }},
      {"vitals_agent_success_rate_5m", "Success rate over the 5-minute window (0-1).",
       [](const engine::AgentSummary& a) { return a.success_rate_5min; }},
      {"vitals_agent_latency_p95_ms_5m", "p95 latency over the 5-minute window, ms.",
       [](const engine::AgentSummary& a) { return a.latency_p95_ms; }},
      {"vitals_agent_executions_1h", "Executions in the 1-hour window.",
       [](const engine::AgentSummary& a) {
         return std::optional<double>(static_cast<double>(a.executions_1hr));
       }},
      {"vitals_agent_heartbeat_state",
       "Heartbeat state: 0 healthy, 1 degraded, 2 critical, 3 failed (absent: not monitored).",
       [](const engine::AgentSummary& a) {
         return a.heartbeat ? std::optional<double>(static_cast<double>(*a.heartbeat))
                            : std::nullopt;
       }},
      {"vitals_agent_open_alerts", "Open alerts of the agent.",
       [](const engine::AgentSummary& a) {
         return std::optional<double>(static_cast<double>(a.open_alerts));
       }},
      {"vitals_agent_executions_in_flight", "Executions started and not finished.",
       [](const engine::AgentSummary& a) {
         return std::optional<double>(static_cast<double>(a.in_flight));
       }},
  };
  std::vector<std::string> labels;
  labels.reserve(rows.size());
  for (const engine::AgentSummary& a : rows) labels.push_back(AgentLabel(a.agent_id));
  for (const Series& s : kSeries) {
    e.Family(s.name, "gauge", s.help);
    for (size_t i = 0; i < rows.size(); ++i) {
      if (auto v = s.get(rows[i])) e.Sample(s.name, labels[i], *v);
    }
  }
}

void Metrics(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  Exposition e;
  const engine::FleetSummary f = s.monitor.Summary(ctx.organization_id);
  e.Family("vitals_agents", "gauge", "Agents by health status.");
  for (auto st : {core::HealthStatus::kHealthy, core::HealthStatus::kDegraded,
                  core::HealthStatus::kCritical, core::HealthStatus::kUnknown}) {
    e.Sample("vitals_agents", "status=\"" + std::string(core::HealthStatusName(st)) + "\"",
             static_cast<double>(f.by_status[static_cast<size_t>(st)]));
  }
  e.Family("vitals_alerts_open", "gauge", "Open alerts by severity.");
  for (auto sev : {core::AlertSeverity::kCritical, core::AlertSeverity::kWarning,
                   core::AlertSeverity::kInfo}) {
    e.Sample("vitals_alerts_open", "severity=\"" + std::string(core::AlertSeverityName(sev)) + "\"",
             static_cast<double>(f.open_alerts[static_cast<size_t>(sev)]));
  }
  AgentSeries(e, s.monitor.ListAgents(ctx.organization_id));
  const auto reply = [&] {
    respond(HttpResponse::Text(200, e.Take(), "text/plain; version=0.0.4; charset=utf-8"));
  };
  const bool operator_scope =
      ctx.key_id.empty() ||
      (ctx.scope == store::KeyScope::kAdmin && ctx.organization_id == s.operator_organization);
  if (!operator_scope) return reply();

  // vitals' own health: process-wide, not per organization.
  if (!s.node_id.empty()) {
    std::string node = "node_id=\"";
    Label(node, s.node_id);
    node += '"';
    e.Family("vitals_node_info", "gauge", "This node of the cluster (1; its name as a label).");
    e.Sample("vitals_node_info", node, 1);
  }
  if (s.cluster != nullptr) ClusterSeries(e, *s.cluster);
  const ApiCounters& c = s.counters;
  e.Family("vitals_ingest_executions_total", "counter", "Execution records by outcome.");
  e.Sample("vitals_ingest_executions_total", "result=\"accepted\"", c.executions_accepted.load());
  e.Sample("vitals_ingest_executions_total", "result=\"rejected\"", c.executions_rejected.load());
  e.Family("vitals_ingest_heartbeats_total", "counter", "Heartbeats by outcome.");
  e.Sample("vitals_ingest_heartbeats_total", "result=\"accepted\"", c.heartbeats_accepted.load());
  e.Sample("vitals_ingest_heartbeats_total", "result=\"rejected\"", c.heartbeats_rejected.load());
  e.Family("vitals_http_responses_total", "counter", "HTTP responses by status class.");
  e.Sample("vitals_http_responses_total", "class=\"2xx\"", c.requests_2xx.load());
  e.Sample("vitals_http_responses_total", "class=\"4xx\"", c.requests_4xx.load());
  e.Sample("vitals_http_responses_total", "class=\"5xx\"", c.requests_5xx.load());
  e.Family("vitals_overload_rejections_total", "counter", "Requests refused with 429/503.");
  e.Sample("vitals_overload_rejections_total", "", c.overload_rejections.load());
  e.Family("vitals_ingest_requests_in_flight", "gauge", "Ingest requests awaiting commit.");
  e.Sample("vitals_ingest_requests_in_flight", "", c.ingest_in_flight.load());
  e.Family("vitals_engine_events_total", "counter", "Executions counted by the engine.");
  e.Sample("vitals_engine_events_total", "", static_cast<double>(s.monitor.events_ingested()));
  const store::StoreStats st = s.store.Stats();
  e.Family("vitals_store_queue_depth", "gauge", "Writes waiting for the next group commit.");
  e.Sample("vitals_store_queue_depth", "", static_cast<double>(st.queue_depth));
  e.Family("vitals_store_commits_total", "counter", "Group commits.");
  e.Sample("vitals_store_commits_total", "", static_cast<double>(st.commits));
  e.Family("vitals_store_commit_seconds_sum", "counter", "Time spent committing.");
  e.Sample("vitals_store_commit_seconds_sum", "", st.commit_ms_total / 1000.0);
  e.Family("vitals_store_last_commit_seconds", "gauge", "Duration of the last group commit.");
  e.Sample("vitals_store_last_commit_seconds", "", st.last_commit_ms / 1000.0);
  e.Family("vitals_store_commit_failures_total", "counter", "Failed group commits.");
  e.Sample("vitals_store_commit_failures_total", "", static_cast<double>(st.commit_failures));
  e.Family("vitals_store_ready", "gauge",
           "1 while the store's last group commit succeeded, 0 while it failed or the database "
           "file is gone.");
  e.Sample("vitals_store_ready", "", s.store.Health().ok() ? 1 : 0);
  e.Family("vitals_store_background_dropped_total", "counter",
           "History and alert records dropped because the store's queue was full.");
  e.Sample("vitals_store_background_dropped_total", "", static_cast<double>(st.background_dropped));
  e.Family("vitals_store_background_failures_total", "counter",
           "History and alert records that failed to write.");
  e.Sample("vitals_store_background_failures_total", "",
           static_cast<double>(st.background_failures));
  e.Family("vitals_store_fenced_rows_total", "counter",
           "Health, alert and checkpoint rows the store refused: another cluster node claimed "
           "their agent.");
  e.Sample("vitals_store_fenced_rows_total", "", static_cast<double>(st.fenced_rows));
  if (s.hub) {
    const StreamHub::Stats hs = s.hub->stats();
    e.Family("vitals_stream_connections", "gauge", "Open WebSocket and SSE connections.");
    e.Sample("vitals_stream_connections", "", static_cast<double>(hs.connections));
    e.Family("vitals_stream_messages_total", "counter", "Stream messages queued to clients.");
    e.Sample("vitals_stream_messages_total", "", static_cast<double>(hs.messages_sent));
    e.Family("vitals_stream_slow_clients_total", "counter", "Clients closed for being too slow.");
    e.Sample("vitals_stream_slow_clients_total", "", static_cast<double>(hs.slow_closed));
  }
  reply();
}

}  // namespace

void RegisterOpsRoutes(Router& router, Services& s) {
  router.Add(
      Method::kGet, "/metrics", store::KeyScope::kRead,
      [&s](HttpRequest& r, RequestContext& c, Responder d) { Metrics(r, c, std::move(d), s); });
  router.AddPublic(Method::kGet, "/healthz", [](HttpRequest&, RequestContext&, Responder d) {
    d(HttpResponse::Json(200, R"({"status":"ok"})"));
  });
  router.AddPublic(Method::kGet, "/readyz", [&s](HttpRequest&, RequestContext&, Responder d) {
    if (!s.ready.load()) {
      return d(ErrorResponse(core::Status::Unavailable("not ready: restoring state")));
    }
    if (core::Status h = s.store.Health(); !h.ok()) {
      return d(ErrorResponse(core::Status::Unavailable("not ready: " + h.message())));
    }
    const store::StoreStats st = s.store.Stats();
    if (st.queue_capacity > 0 && st.queue_depth >= st.queue_capacity) {
      return d(ErrorResponse(core::Status::Unavailable("not ready: storage queue is full")));
    }
    if (s.cluster != nullptr && !s.cluster->healthy()) {
      return d(ErrorResponse(
          core::Status::Unavailable("not ready: the cluster's Redis is unreachable")));
    }
    d(HttpResponse::Json(200, R"({"status":"ready"})"));
  });
}

}  // namespace vitals::server
