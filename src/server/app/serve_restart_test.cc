// `vitals serve` across restarts (issue 15, F8 and F26): integration health survives SIGTERM and
// kill -9, a check's alert whose condition still holds keeps its id, SSE ids never repeat.
#include <thread>

#include "server/app/serve_test_support.h"

namespace vitals::server::testing {
namespace {

using namespace std::chrono_literals;

// `n` executions of `agent` calling `integration`, every `fail_every`-th failed (0: none).
std::string Calls(const std::string& agent, const std::string& integration, int from, int n,
                  int fail_every, int latency_ms) {
  std::string body = "[";
  for (int i = 0; i < n; ++i) {
    const bool failed = fail_every > 0 && i % fail_every == 0;
    if (i) body += ",";
    body += R"({"agent_id":")" + agent + R"(","execution_id":")" + integration +
            std::to_string(from + i) + R"(","integration_id":")" + integration + R"(","status":")" +
            (failed ? "error" : "success") + R"(","latency_ms":)" + std::to_string(latency_ms + i) +
            "}";
  }
  return body + "]";
}

class ServeRestartTest : public ServeTest {
 protected:
  std::string Integrations() { return Call(Method::kGet, "/api/health/integrations").body; }
  void Ingest(const std::string& body) {
    ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", body).status, 200);
  }
  // The calls of three integrations, and a wait for the integrations API to count all of them.
  void IngestTraffic(int from) {
    Ingest(Calls("mailer", "gmail", from, 20, 4, 120));
    Ingest(Calls("notifier", "slack", from, 15, 0, 300));
    Ingest(Calls("mailer", "crm", from, 10, 2, 900));
  }
};

TEST_F(ServeRestartTest, IntegrationHealthSurvivesSigtermAndKillNine) {
  StartServer({"--collect-system", "false", "--checkpoint-interval", "1"});
  IngestTraffic(0);
  const std::string before = Integrations();
  ASSERT_NE(before.find("\"total_calls\":20"), std::string::npos) << before;

  ASSERT_EQ(server_->Stop(), 0);  // SIGTERM: the last checkpoint is taken at stop
  StartServer({"--collect-system", "false", "--checkpoint-interval", "1"});
  EXPECT_EQ(Integrations(), before);

  // Calls after the last checkpoint come back from the execution log, counted once.
  IngestTraffic(100);
  const std::string again = Integrations();
  ASSERT_NE(again.find("\"total_calls\":40"), std::string::npos) << again;
  server_->Kill();
  StartServer({"--collect-system", "false", "--checkpoint-interval", "1"});
  EXPECT_EQ(Integrations(), again);
}

TEST_F(ServeRestartTest, ACheckAlertThatStillHoldsKeepsItsIdAcrossARestart) {
  StartServer({"--collect-system", "false"});
  // Nothing listens on port 1 of loopback: every probe is refused.
  const std::string check =
      R"({"id":"crm-tcp","target_type":"integration","target_id":"crm","kind":"tcp",)"
      R"("url":"127.0.0.1:1","interval_ms":200,"timeout_ms":150,"retries":1})";
  ASSERT_EQ(Call(Method::kPost, "/api/v1/checks", check).status / 100, 2);
  std::string open_id;
  auto open_alert = [&] {
    auto r = Call(Method::kGet, "/api/health/alerts?state=open&source_id=crm");
    simdjson::dom::element e = Json(r);
    simdjson::dom::array alerts;
    if (e.get_array().get(alerts) || alerts.size() != 1) return std::string();
    return Str(alerts.at(0)["alert_id"]);
  };
  ASSERT_TRUE(Eventually([&] { return !(open_id = open_alert()).empty(); }))
      << Call(Method::kGet, "/api/health/alerts?state=all&source_id=crm").body;

  ASSERT_EQ(server_->Stop(), 0);
  StartServer({"--collect-system", "false"});
  // Past the first probes (pending, then down again) and the engine's ticks after them.
  ASSERT_TRUE(Eventually([&] {
    return int64_t(Json(Call(Method::kGet, "/api/v1/checks/crm-tcp"))["consecutive_failures"]) >= 5;
  }));
  EXPECT_EQ(open_alert(), open_id);
  const std::string all = Call(Method::kGet, "/api/health/alerts?state=all&source_id=crm").body;
  EXPECT_EQ(all.find("\"resolved\":true"), std::string::npos) << all;
  EXPECT_NE(Integrations().find("disconnected"), std::string::npos);
}

TEST_F(ServeRestartTest, HeartbeatNullStopsMonitoringAlsoAfterARestart) {
  StartServer({"--collect-system", "false"});
  ASSERT_EQ(Call(Method::kPut, "/api/v1/agents/hb",
                 R"({"heartbeat":{"interval_ms":100,"failure_threshold":2}})")
                .status,
            201);
  ASSERT_EQ(Call(Method::kPost, "/api/v1/heartbeats", R"({"agent_id":"hb"})").status, 200);
  auto state = [&] {
    return Str(Json(Call(Method::kGet, "/api/health/agent/hb"))["heartbeat"]["state"]);
  };
  ASSERT_TRUE(Eventually([&] { return state() == "failed"; }));
  ASSERT_TRUE(Eventually([&] {
    return Call(Method::kGet, "/api/health/alerts?state=open&source_id=hb")
               .body.find("heartbeat") != std::string::npos;
  }));
  ASSERT_EQ(Call(Method::kPut, "/api/v1/agents/hb", R"({"heartbeat":null})").status / 100, 2);
  auto stopped = [&] {
    auto agent = Json(Call(Method::kGet, "/api/health/agent/hb"));
    return agent["heartbeat"].is_null() &&
           Call(Method::kGet, "/api/health/alerts?state=open&source_id=hb").body == "[]";
  };
  ASSERT_TRUE(Eventually(stopped)) << Call(Method::kGet, "/api/health/agent/hb").body;

  ASSERT_EQ(server_->Stop(), 0);
  StartServer({"--collect-system", "false"});
  EXPECT_TRUE(stopped()) << Call(Method::kGet, "/api/health/agent/hb").body;
  const std::string all = Call(Method::kGet, "/api/health/alerts?state=all&source_id=hb").body;
  EXPECT_EQ(all.find("\"resolved\":false"), std::string::npos) << all;
}

TEST_F(ServeRestartTest, PausingResolvesTheAgentsOpenAlerts) {
  StartServer({"--collect-system", "false"});
  ASSERT_EQ(Call(Method::kPut, "/api/v1/agents/p", R"({"name":"P"})").status, 201);
  Ingest(Calls("p", "crm", 0, 8, 1, 100));  // every call fails
  auto open = [&] { return Call(Method::kGet, "/api/health/alerts?state=open&source_id=p").body; };
  ASSERT_TRUE(Eventually([&] { return open() != "[]"; }));
  ASSERT_EQ(Call(Method::kPost, "/api/v1/agents/p/pause").status, 200);
  EXPECT_TRUE(Eventually([&] { return open() == "[]"; })) << open();
  // The registered agent's first verdict was its baseline: no "changed" from unknown (F19).
  const std::string transitions = Call(Method::kGet, "/api/v1/agents/p/transitions").body;
  EXPECT_EQ(transitions.find("\"previous_status\":\"unknown\""), std::string::npos) << transitions;
}

TEST_F(ServeRestartTest, SseIdsContinueAcrossARestart) {
  StartServer({"--collect-system", "false"});
  uint64_t last_before = 0;
  {
    SseClient sse;
    ASSERT_TRUE(sse.Connect("127.0.0.1", port(), "/api/v1/stream").ok());
    Ingest(Calls("s1", "gmail", 0, 3, 0, 100));
    for (int i = 0; i < 50 && last_before == 0; ++i) {
      auto e = sse.ReadEvent(200ms);
      if (e.ok() && e->event == "health_update") last_before = std::stoull(e->id);
    }
  }
  ASSERT_GT(last_before, 0u);

  ASSERT_EQ(server_->Stop(), 0);
  StartServer({"--collect-system", "false"});
  Ingest(Calls("s2", "gmail", 100, 3, 0, 100));
  ASSERT_TRUE(Eventually([&] {  // published while the client is away
    return Call(Method::kGet, "/api/health/agent/s2").body.find("\"healthy\"") != std::string::npos;
  }));
  SseClient again;
  Headers h;
  h.Add("Last-Event-ID", std::to_string(last_before));
  ASSERT_TRUE(again.Connect("127.0.0.1", port(), "/api/v1/stream", h).ok());
  bool missed_event_replayed = false;
  for (int i = 0; i < 50 && !missed_event_replayed; ++i) {
    auto e = again.ReadEvent(200ms);
    if (!e.ok() || e->id.empty()) continue;
    EXPECT_GT(std::stoull(e->id), last_before) << e->data;
    missed_event_replayed = e->data.find(R"("agent_id":"s2")") != std::string::npos;
  }
  EXPECT_TRUE(missed_event_replayed);
}

}  // namespace
}  // namespace vitals::server::testing
