// Issue 4 end to end through the real binary: an active check turning an integration down and up
// again with the webhook hearing both; a workspace growing past its thresholds; a queue depth
// reported over HTTP reaching a command hook, raise and resolution; an incident open across a
// restart delivered once opened and once resolved (issue 15).
#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>

#include "server/app/serve_test_support.h"
#include "server/http/test_handlers.h"

namespace vitals::server::testing {
namespace {

using namespace std::chrono_literals;

// A webhook receiver that keeps every body, in arrival order.
struct Receiver {
  Receiver() {
    t.requests.set_reply([this](HttpRequest r, Responder respond) {
      {
        std::lock_guard lock(mu);
        bodies.push_back(r.body);
      }
      respond(HttpResponse::Text(200, "ok"));
    });
  }
  std::string All() {
    std::lock_guard lock(mu);
    std::string out;
    for (const std::string& b : bodies) out += b + "\n";
    return out;
  }
  TestServer t;
  std::mutex mu;
  std::vector<std::string> bodies;
};

class ServeSubsystemsTest : public ServeTest {
 protected:
  std::string AlertsOf(const std::string& source_id, const std::string& state = "all") {
    return Call(Method::kGet, "/api/health/alerts?state=" + state + "&source_id=" + source_id).body;
  }
};

TEST_F(ServeSubsystemsTest, ACheckTakesAnIntegrationDownAndUpAndTheWebhookHearsBoth) {
  std::atomic<int> upstream_status{200};
  TestServer upstream;
  upstream.requests.set_reply([&](HttpRequest, Responder respond) {
    respond(HttpResponse::Text(upstream_status.load(), "{\"status\":\"ok\"}"));
  });
  Receiver hook;
  StartServer({"--collect-system", "false"});
  const std::string route =
      R"({"id":"hook","kind":"webhook","secret":"s3cret","url":"http://127.0.0.1:)" +
      std::to_string(hook.t.server.port()) + R"(/hook"})";
  ASSERT_EQ(Call(Method::kPost, "/api/v1/routes", route).status / 100, 2);
  const std::string check =
      R"({"id":"llm-health","target_type":"integration","target_id":"llm","kind":"http",)"
      R"("url":"http://127.0.0.1:)" +
      std::to_string(upstream.server.port()) +
      R"(/health","interval_ms":200,"timeout_ms":150,"retries":1})";
  ASSERT_EQ(Call(Method::kPost, "/api/v1/checks", check).status / 100, 2);
  ASSERT_TRUE(Eventually([&] {
    return Call(Method::kGet, "/api/health/integrations").body.find("\"connected\"") !=
           std::string::npos;
  })) << Call(Method::kGet, "/api/health/integrations").body;

  upstream_status = 503;
  // Down after interval x (retries + 1), then the engine's tick and the delivery.
  ASSERT_TRUE(Eventually([&] { return hook.All().find("integration_down") != std::string::npos; }))
      << AlertsOf("llm");
  const std::string integrations = Call(Method::kGet, "/api/health/integrations").body;
  EXPECT_NE(integrations.find("\"status\":\"error\""), std::string::npos) << integrations;
  EXPECT_NE(integrations.find("disconnected"), std::string::npos) << integrations;
  EXPECT_NE(AlertsOf("llm", "open").find("status 503"), std::string::npos) << AlertsOf("llm");

  upstream_status = 200;
  ASSERT_TRUE(Eventually(
      [&] { return AlertsOf("llm", "open").find("integration_down") == std::string::npos; }, 30s))
      << AlertsOf("llm");
  ASSERT_TRUE(Eventually([&] {
    return hook.All().find(R"("change":"resolved")") != std::string::npos;
  })) << hook.All();
  // The incident's opening reached the receiver before its resolution, once each.
  const std::string all = hook.All();
  EXPECT_LT(all.find(R"("change":"raised")"), all.find(R"("change":"resolved")")) << all;
  EXPECT_EQ(all.find(R"("change":"raised")", all.find(R"("change":"raised")") + 1),
            std::string::npos)
      << all;
  EXPECT_NE(all.find(R"("incident_id":"incident_)"), std::string::npos) << all;
}

TEST_F(ServeSubsystemsTest, AWorkspaceGrowingPastItsThresholdsRaisesThenEscalates) {
  StartServer({"--collect-system", "false", "--allow-paths", dir_.string()});
  const auto ws = dir_ / "workspace";
  std::filesystem::create_directories(ws);
  const std::string spec = R"({"id":"scratch","path":")" + ws.string() +
                           R"(","warning_bytes":1000,"critical_bytes":5000,"interval_seconds":1})";
  ASSERT_EQ(Call(Method::kPost, "/api/v1/workspaces", spec).status / 100, 2);
  std::ofstream(ws / "a.bin") << std::string(2000, 'x');
  ASSERT_TRUE(Eventually([&] {
    return AlertsOf("scratch", "open").find("\"warning\"") != std::string::npos;
  })) << AlertsOf("scratch");
  std::ofstream(ws / "b.bin") << std::string(6000, 'y');
  ASSERT_TRUE(Eventually([&] {
    return AlertsOf("scratch", "open").find("\"critical\"") != std::string::npos;
  })) << AlertsOf("scratch");
  const std::string list = Call(Method::kGet, "/api/v1/workspaces").body;
  EXPECT_NE(list.find("\"file_count\":2"), std::string::npos) << list;
  // A bad registration names the field and registers nothing.
  auto bad = Call(Method::kPost, "/api/v1/workspaces",
                  R"({"id":"x","path":")" + (dir_ / "no-such-dir").string() + R"("})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("path"), std::string::npos) << bad.body;
  EXPECT_EQ(Call(Method::kGet, "/api/v1/workspaces").body.find("\"x\""), std::string::npos);
}

TEST_F(ServeSubsystemsTest, WithoutTheOperatorsFlagsAKeyCannotRunCommandsOrReadHostPaths) {
  StartServer({"--collect-system", "false"});
  const std::string marker = (dir_ / "ran").string();
  auto r =
      Call(Method::kPost, "/api/v1/routes",
           R"({"id":"cmd","kind":"command","command":["/usr/bin/touch",")" + marker + R"("]})");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("--allow-command-routes"), std::string::npos) << r.body;
  r = Call(Method::kPost, "/api/v1/workspaces", R"({"id":"root","path":"/root"})");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("--allow-paths"), std::string::npos) << r.body;
  r = Call(Method::kPost, "/api/v1/databases",
           R"({"id":"own","url":"sqlite://)" + (dir_ / "vitals.db").string() + R"("})");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Call(Method::kGet, "/api/v1/routes").body, R"({"routes":[]})");
}

TEST_F(ServeSubsystemsTest, AStoredWorkspaceStopsWhenTheOperatorWithdrawsItsDirectory) {
  const auto ws = dir_ / "workspace";
  std::filesystem::create_directories(ws);
  StartServer({"--collect-system", "false", "--allow-paths", dir_.string()});
  ASSERT_EQ(
      Call(Method::kPost, "/api/v1/workspaces", R"({"id":"w","path":")" + ws.string() + R"("})")
          .status,
      201);
  ASSERT_EQ(server_->Stop(), 0);
  server_.reset();
  StartServer({"--collect-system", "false"});
  EXPECT_EQ(Call(Method::kGet, "/api/v1/workspaces").body, R"({"workspaces":[]})");
  EXPECT_NE(server_->LogTail().find("--allow-paths"), std::string::npos) << server_->LogTail();
}

// The command hook is the operator's, from the config file: it runs without
// --allow-command-routes, which still keeps API keys from adding or replacing one.
TEST_F(ServeSubsystemsTest, AQueueDepthAlertRunsTheConfigFilesCommandHookForRaiseAndResolution) {
  const auto out = dir_ / "hook.log";
  const auto config = dir_ / "vitals.toml";
  std::ofstream(config) << "[[routes]]\nid = 'cmd'\nkind = 'command'\ntimeout_ms = 5000\n"
                           "command = ['/bin/sh', '-c', 'cat >> "
                        << out.string() << "; echo >> " << out.string() << "']\n";
  StartServer({"--collect-system", "false", "--config", config.string()});
  EXPECT_NE(Call(Method::kGet, "/api/v1/routes").body.find(R"("id":"cmd")"), std::string::npos);
  const std::string replace = R"({"id":"cmd","kind":"webhook","url":"http://127.0.0.1:9/"})";
  EXPECT_EQ(Call(Method::kPost, "/api/v1/routes", replace).status, 409);
  EXPECT_EQ(Call(Method::kPost, "/api/v1/routes",
                 R"({"id":"mine","kind":"command","command":["/bin/true"]})")
                .status,
            403);
  auto r =
      Call(Method::kPost, "/api/v1/queue-depth", R"({"source_id":"orchestrator","depth":150})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto read = [&] {
    std::ifstream in(out);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  ASSERT_TRUE(Eventually([&] { return read().find("queue_depth") != std::string::npos; }))
      << AlertsOf("orchestrator");
  EXPECT_NE(read().find("warning"), std::string::npos) << read();
  const auto system = Json(Call(Method::kGet, "/api/health/system"));
  int64_t depth = 0;
  EXPECT_EQ(system["queue_depth"].get_int64().get(depth), simdjson::SUCCESS);
  EXPECT_EQ(depth, 150);
  ASSERT_EQ(Call(Method::kPost, "/api/v1/queue-depth", R"({"source_id":"orchestrator","depth":3})")
                .status,
            200);
  ASSERT_TRUE(Eventually([&] {
    return read().find(R"("change":"resolved")") != std::string::npos;
  })) << read();
  EXPECT_EQ(Call(Method::kPost, "/api/v1/queue-depth", R"({"source_id":"o","depth":-1})").status,
            400);
}

// How many times `needle` occurs in `haystack`.
size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST_F(ServeSubsystemsTest, AnIncidentOpenAcrossARestartIsResolvedAfterItNotAnnouncedAgain) {
  Receiver hook;
  StartServer({"--collect-system", "false", "--checkpoint-interval", "1"});
  const std::string route = R"({"id":"hook","kind":"webhook","url":"http://127.0.0.1:)" +
                            std::to_string(hook.t.server.port()) + R"(/hook"})";
  ASSERT_EQ(Call(Method::kPost, "/api/v1/routes", route).status / 100, 2);
  ASSERT_EQ(Call(Method::kPut, "/api/v1/agents/cron",
                 R"({"heartbeat":{"interval_ms":300,"failure_threshold":2}})")
                    .status /
                100,
            2);
  ASSERT_EQ(Call(Method::kPost, "/api/v1/heartbeats", R"({"agent_id":"cron"})").status, 200);
  ASSERT_TRUE(Eventually([&] {
    return hook.All().find(R"("change":"raised")") != std::string::npos;
  })) << AlertsOf("cron");
  std::this_thread::sleep_for(1500ms);  // a checkpoint holds the open alerts, notified
  ASSERT_EQ(server_->Stop(), 0);
  StartServer();
  ASSERT_EQ(Call(Method::kPost, "/api/v1/heartbeats", R"({"agent_id":"cron"})").status, 200);
  ASSERT_TRUE(Eventually(
      [&] { return hook.All().find(R"("change":"resolved")") != std::string::npos; }, 30s))
      << hook.All() << AlertsOf("cron");
  const std::string all = hook.All();
  EXPECT_EQ(Count(all, R"("change":"raised")"), 1u) << all;
  EXPECT_EQ(Count(all, R"("change":"resolved")"), 1u) << all;
  // Both name the same incident.
  const size_t id_at = all.find(R"("incident_id":")");
  ASSERT_NE(id_at, std::string::npos) << all;
  const std::string id = all.substr(id_at, all.find(',', id_at) - id_at);
  EXPECT_EQ(Count(all, id), 2u) << all;
}

}  // namespace
}  // namespace vitals::server::testing
