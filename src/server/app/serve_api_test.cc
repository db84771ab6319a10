// `vitals serve` end to end: ingest, reads, live streams, bad input.
#include <thread>

#include "server/app/serve_test_support.h"

namespace vitals::server::testing {
namespace {

using namespace std::chrono_literals;

// Execution ids are unique across calls: the server takes a repeated one for a client's retry.
std::string Events(const std::string& agent, int n, bool ok) {
  static int next_id = 0;
  std::string body = "[";
  for (int i = 0; i < n; ++i) {
    if (i) body += ",";
    body += R"({"agent_id":")" + agent + R"(","execution_id":"e)" + std::to_string(next_id++) +
            R"(","action_type":"llm_call","status":")" + (ok ? "success" : "error") +
            R"(","error_message":)" + (ok ? "null" : "\"upstream 503\"") +
            R"(,"latency_ms":250,"token_count":300,"cost_usd":0.002})";
  }
  return body + "]";
}

TEST_F(ServeTest, IngestHealthAndTransitionOnTheWebSocket) {
  StartServer();
  WebSocketClient ws;
  ASSERT_TRUE(ws.Connect("127.0.0.1", port(), "/ws/health").ok());
  EXPECT_NE(AwaitWs(ws, "connected"), "");

  auto r = Call(Method::kPost, "/api/v1/executions", Events("billing", 20, true));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"accepted":20,"rejected":[]})");
  EXPECT_NE(AwaitWs(ws, "health_update", "billing"), "");

  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Events("billing", 8, false)).status, 200);
  const std::string t = AwaitWs(ws, "health_transition", "billing", 3s);
  ASSERT_NE(t, "") << "no transition within 3 s";
  EXPECT_NE(t.find(R"("previous_status":"healthy")"), std::string::npos) << t;
  EXPECT_NE(t.find(R"("new_status":"critical")"), std::string::npos) << t;
  EXPECT_NE(AwaitWs(ws, "alert_raised", "", 3s), "");

  auto health = Call(Method::kGet, "/api/health/agent/billing");
  ASSERT_EQ(health.status, 200);
  auto j = Json(health);
  EXPECT_EQ(std::string_view(j["health"]["status"]), "critical");
  EXPECT_EQ(std::string_view(j["status"]), "error");
  EXPECT_EQ(int64_t(j["consecutive_failures"]), 8);
  EXPECT_EQ(int64_t(j["windows"]["5m"]["total"]), 28);
  EXPECT_NEAR(double(j["latency_ms"]["p95"]), 250, 2.5);
  EXPECT_GT(j["alerts"].get_array().size(), 0u);

  auto log = Call(Method::kGet, "/api/v1/agents/billing/executions?status=error&limit=5");
  ASSERT_EQ(log.status, 200);
  EXPECT_EQ(Json(log)["executions"].get_array().size(), 5u);
  EXPECT_NE(log.body.find("upstream 503"), std::string::npos);
}

TEST_F(ServeTest, PingPongAndSubscriptions) {
  StartServer();
  WebSocketClient ws;
  ASSERT_TRUE(ws.Connect("127.0.0.1", port(), "/ws/health").ok());
  ASSERT_TRUE(ws.Send("ping").ok());
  bool pong = false;
  for (int i = 0; i < 20 && !pong; ++i) {
    auto m = ws.Read(500ms);
    pong = m.ok() && *m == "pong";
  }
  EXPECT_TRUE(pong);
  ASSERT_TRUE(ws.Send(R"({"type":"subscribe","agents":["watched"]})").ok());
  EXPECT_NE(AwaitWs(ws, "subscribed"), "");
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Events("ignored", 3, true)).status, 200);
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Events("watched", 3, true)).status, 200);
  const std::string update = AwaitWs(ws, "health_update");
  EXPECT_NE(update.find(R"("agent_id":"watched")"), std::string::npos) << update;
}

// A subscribe is answered with a count, never an echo of the ids; more ids than the limit are
// an error naming it (the subscription stays); a message beyond 64 KB closes with 1009.
TEST_F(ServeTest, SubscriptionsAreBoundedAndAnsweredWithACount) {
  StartServer({"--max-subscribed-agents", "3"});
  WebSocketClient ws;
  ASSERT_TRUE(ws.Connect("127.0.0.1", port(), "/ws/health").ok());
  ASSERT_TRUE(ws.Send(R"({"type":"subscribe","agents":["watched","other"]})").ok());
  const std::string subscribed = AwaitWs(ws, "subscribed");
  EXPECT_EQ(subscribed, R"({"type":"subscribed","data":{"count":2}})");
  ASSERT_TRUE(ws.Send(R"({"type":"subscribe","agents":["a","b","c","d"]})").ok());
  const std::string refused = AwaitWs(ws, "error");
  EXPECT_NE(refused.find("at most 3 agent ids per connection, got 4"), std::string::npos)
      << refused;
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Events("d", 3, true)).status, 200);
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Events("watched", 3, true)).status, 200);
  const std::string update = AwaitWs(ws, "health_update");
  EXPECT_NE(update.find(R"("agent_id":"watched")"), std::string::npos) << update;

  std::string huge = R"({"type":"subscribe","agents":[)";
  for (int i = 0; i < 20'000; ++i) huge += (i ? ",\"a" : "\"a") + std::to_string(i) + "\"";
  huge += "]}";
  ASSERT_TRUE(ws.Send(huge).ok());
  for (int i = 0; i < 50 && ws.close_code() == 0; ++i) (void)ws.Read(200ms);
  EXPECT_EQ(ws.close_code(), 1009);
  EXPECT_EQ(Call(Method::kGet, "/healthz").status, 200);
}

TEST_F(ServeTest, BadInputGetsTheRightStatusAndNamesTheProblem) {
  StartServer({"--max-body-bytes", "65536"});
  struct Case {
    Method method;
    std::string target, body, content_type;
    int status;
    std::string mentions;
  } cases[] = {
      {Method::kPost, "/api/v1/executions", "{\"agent_id\":", "application/json", 400,
       "malformed JSON"},
      {Method::kPost, "/api/v1/executions", "42", "application/json", 400,
       "expected a JSON object or array"},
      {Method::kPost, "/api/v1/executions", R"({"latency_ms":5})", "application/json", 400,
       "agent_id: required"},
      {Method::kPost, "/api/v1/executions", R"({"agent_id":"a","latency_ms":"slow"})",
       "application/json", 400, "latency_ms: expected a number, got string"},
      {Method::kPost, "/api/v1/executions", R"({"agent_id":"a","latency_ms":-1})",
       "application/json", 400, "latency_ms: must be a number >= 0"},
      {Method::kPost, "/api/v1/executions", R"({"agent_id":"a","latency_ms":1e15})",
       "application/json", 400, "latency_ms: 1000000000000000 exceeds the maximum"},
      {Method::kPost, "/api/v1/executions", R"({"agent_id":"a","cost_usd":-2})", "application/json",
       400, "cost_usd"},
      {Method::kPost, "/api/v1/executions",
       R"({"agent_id":"a","timestamp":"2099-01-01T00:00:00Z"})", "application/json", 400,
       "in the future"},
      {Method::kPost, "/api/v1/executions", R"({"agent_id":")" + std::string(300, 'x') + R"("})",
       "application/json", 400, "agent_id: too long"},
      {Method::kPost, "/api/v1/executions", R"({"agent_id":"a"})", "text/plain", 415,
       "Content-Type"},
      {Method::kPost, "/api/v1/executions", "[" + std::string(70000, ' ') + "]", "application/json",
       413, ""},
      {Method::kGet, "/api/v1/nothing-here", "", "", 404, "no such endpoint"},
      {Method::kDelete, "/api/health/agents", "", "", 405, "not allowed"},
      {Method::kGet, "/api/health/agent/never-seen", "", "", 404, "never-seen"},
      {Method::kGet, "/api/health/agents?sort=shoe_size", "", "", 400, "sort"},
      {Method::kGet, "/api/health/agents?limit=-3", "", "", 400, "limit"},
      {Method::kGet, "/api/v1/agents/a/executions?from=yesterday", "", "", 400, "from"},
      {Method::kPut, "/api/v1/agents/a", R"({"heartbeat":{"interval_ms":"soon"}})",
       "application/json", 400, "heartbeat.interval_ms"},
      {Method::kPut, "/api/v1/agents/a", R"({"thresholds":{"success_rate_healthy":3}})",
       "application/json", 400, "thresholds.success_rate"},
      {Method::kPost, "/api/health/alerts/alert_404/acknowledge", "", "", 404, "alert_404"},
      {Method::kGet, "/api/health/history/weather?days=3", "", "", 404, "history type"},
  };
  for (const Case& c : cases) {
    auto r = Call(c.method, c.target, c.body, "", c.content_type);
    EXPECT_EQ(r.status, c.status) << c.target << " " << c.body.substr(0, 80) << " -> " << r.body;
    EXPECT_NE(r.body.find(c.mentions), std::string::npos) << c.target << " -> " << r.body;
    EXPECT_NE(r.body.find("\"error\""), std::string::npos) << r.body;
  }
  // Unknown fields are ignored; the server kept serving through all of the above.
  auto ok =
      Call(Method::kPost, "/api/v1/executions", R"({"agent_id":"a","favourite_colour":"teal"})");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Call(Method::kGet, "/healthz").status, 200);
}

TEST_F(ServeTest, GoodItemsAreKeptBesideBadOnesAndNdjsonAndGzip) {
  StartServer();
  auto r = Call(
      Method::kPost, "/api/v1/executions",
      R"([{"agent_id":"a1"},{"agent_id":""},{"agent_id":"a2","token_count":"many"},{"agent_id":"a3"}])");
  ASSERT_EQ(r.status, 200);
  auto j = Json(r);
  EXPECT_EQ(int64_t(j["accepted"]), 2);
  auto rejected = j["rejected"].get_array();
  ASSERT_EQ(rejected.size(), 2u);
  EXPECT_EQ(int64_t(rejected.at(0)["index"]), 1);
  EXPECT_EQ(std::string_view(rejected.at(0)["error"]), "agent_id: required");
  EXPECT_EQ(int64_t(rejected.at(1)["index"]), 2);

  auto nd =
      Call(Method::kPost, "/api/v1/executions",
           "{\"agent_id\":\"n1\"}\n{broken\n{\"agent_id\":\"n2\"}\n", "", "application/x-ndjson");
  ASSERT_EQ(nd.status, 200);
  EXPECT_EQ(int64_t(Json(nd)["accepted"]), 2);

  HttpClient gz("127.0.0.1", port());
  gz.set_gzip_requests(true);
  Headers h;
  h.Add("Content-Type", "application/json");
  auto zr = gz.Request(Method::kPost, "/api/v1/executions", Events("zipped", 50, true), h);
  ASSERT_TRUE(zr.ok());
  EXPECT_EQ(zr->status, 200) << zr->body;
  EXPECT_EQ(Call(Method::kGet, "/api/health/agent/zipped").status, 200);
  EXPECT_EQ(int64_t(Json(Call(Method::kGet, "/api/health/agent/zipped"))["windows"]["5m"]["total"]),
            50);
}

TEST_F(ServeTest, HeartbeatsRegistrationAndMissedDeadline) {
  StartServer();
  ASSERT_EQ(Call(Method::kPut, "/api/v1/agents/cron",
                 R"({"name":"Cron","heartbeat":{"interval_ms":500,"failure_threshold":3}})")
                .status,
            201);
  WebSocketClient ws;
  ASSERT_TRUE(ws.Connect("127.0.0.1", port(), "/ws/health").ok());
  auto hb =
      Call(Method::kPost, "/api/v1/heartbeats", R"({"agent_id":"cron","metadata":{"cpu":45.2}})");
  ASSERT_EQ(hb.status, 200) << hb.body;
  // Then silence: degraded after one interval, within a second of the deadline.
  const std::string t = AwaitWs(ws, "health_transition", "cron", 5s);
  ASSERT_NE(t, "");
  EXPECT_NE(t.find(R"("new_status":"degraded")"), std::string::npos) << t;
  auto beats = Call(Method::kGet, "/api/v1/agents/cron/heartbeats");
  ASSERT_EQ(beats.status, 200);
  EXPECT_NE(beats.body.find(R"({"cpu":45.2})"), std::string::npos) << beats.body;
  auto agent = Json(Call(Method::kGet, "/api/health/agent/cron"));
  EXPECT_NE(std::string_view(agent["heartbeat"]["state"]), "healthy");
}

TEST_F(ServeTest, SseResumesAfterLastEventId) {
  StartServer();
  SseClient sse;
  ASSERT_TRUE(sse.Connect("127.0.0.1", port(), "/api/v1/stream").ok());
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Events("s1", 3, true)).status, 200);
  std::string first_id;
  for (int i = 0; i < 50 && first_id.empty(); ++i) {
    auto e = sse.ReadEvent(200ms);
    if (e.ok() && e->event == "health_update") first_id = e->id;
  }
  ASSERT_FALSE(first_id.empty());
  sse.Close();
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Events("s2", 3, false)).status, 200);
  std::this_thread::sleep_for(400ms);  // events published while disconnected
  SseClient again;
  Headers h;
  h.Add("Last-Event-ID", first_id);
  ASSERT_TRUE(again.Connect("127.0.0.1", port(), "/api/v1/stream", h).ok());
  bool missed_event_replayed = false;
  for (int i = 0; i < 50 && !missed_event_replayed; ++i) {
    auto e = again.ReadEvent(200ms);
    missed_event_replayed = e.ok() && e->data.find(R"("agent_id":"s2")") != std::string::npos;
  }
  EXPECT_TRUE(missed_event_replayed);
}

TEST_F(ServeTest, AlertsListAcknowledgeAndMetrics) {
  StartServer();
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Events("bad", 10, false)).status, 200);
  std::string id;
  for (int i = 0; i < 50 && id.empty(); ++i) {
    auto alerts = Json(Call(Method::kGet, "/api/health/alerts?severity=critical"));
    for (auto a : alerts.get_array()) id = Str(a["alert_id"]);
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_FALSE(id.empty());
  auto ack = Call(Method::kPost, "/api/health/alerts/" + id + "/acknowledge", R"({"by":"alice"})");
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(std::string_view(Json(ack)["acknowledged_by"]), "alice");
  auto acked = Json(Call(Method::kGet, "/api/health/alerts?acknowledged=true"));
  EXPECT_GE(acked.get_array().size(), 1u);
  auto metrics = Call(Method::kGet, "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("vitals_agent_health_score{agent_id=\"bad\"}"), std::string::npos);
  EXPECT_NE(metrics.body.find("vitals_ingest_executions_total{result=\"accepted\"} 10"),
            std::string::npos)
      << metrics.body.substr(0, 3000);
  EXPECT_NE(metrics.body.find("vitals_store_queue_depth"), std::string::npos);
}

}  // namespace
}  // namespace vitals::server::testing

namespace vitals::server::testing {
namespace {

// F5: the system's history is served from the collector's health_metrics samples (the collector
// samples once at start, then every system_interval).
TEST_F(ServeTest, SystemHistoryServesTheCollectorsSamples) {
  StartServer();
  int64_t points = 0;
  for (int i = 0; i < 100 && points == 0; ++i) {
    points = int64_t(Json(Call(Method::kGet, "/api/health/history/system?days=1"))["data_points"]);
    if (points == 0) std::this_thread::sleep_for(50ms);
  }
  ASSERT_GE(points, 1);
  auto h = Json(Call(Method::kGet, "/api/health/history/system?days=1"))["history"].at(0);
  const double score = double(h["health_score"]);
  EXPECT_GE(score, 0.0);
  EXPECT_LE(score, 1.0);
  EXPECT_FALSE(h["metrics"]["cpu_usage"].is_null());
  EXPECT_FALSE(h["metrics"]["memory_usage"].is_null());
  auto bad = Call(Method::kGet, "/api/health/history/system?day=1");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("day: unknown query parameter"), std::string::npos) << bad.body;
}

}  // namespace
}  // namespace vitals::server::testing
