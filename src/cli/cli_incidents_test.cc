// The alert and incident commands of the real `vitals` binary against a real `vitals serve`.
#include <sys/wait.h>

#include <cstdio>
#include <thread>

#include "server/app/serve_test_support.h"

namespace vitals::server::testing {
namespace {

using namespace std::chrono_literals;

struct CliResult {
  int rc = -1;
  std::string out;
};

class CliServeTest : public ServeTest {
 protected:
  // `vitals <args> --server http://127.0.0.1:<port>`, with its output and exit code.
  CliResult Cli(const std::string& args) {
    const std::string cmd = ServerProcess::DefaultBinary() + " " + args +
                            " --server http://127.0.0.1:" + std::to_string(port()) + " 2>&1";
    FILE* f = ::popen(cmd.c_str(), "r");
    CliResult r;
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof buf, f)) r.out.append(buf, n);
    const int status = ::pclose(f);
    r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
  }
  // Ten failed executions of `agent`, then the id of its critical alert once raised.
  std::string FailingAgentAlert(const std::string& agent) {
    std::string body = "[";
    for (int i = 0; i < 10; ++i) {
      if (i) body += ",";
      body += R"({"agent_id":")" + agent + R"(","execution_id":"x)" + std::to_string(i) +
              R"(","action_type":"llm_call","status":"error","error_message":"upstream 503",)" +
              R"("latency_ms":250})";
    }
    EXPECT_EQ(Call(Method::kPost, "/api/v1/executions", body + "]").status, 200);
    for (int i = 0; i < 100; ++i) {  // raised on the engine's next tick
      auto alerts =
          Json(Call(Method::kGet, "/api/health/alerts?severity=critical&source_id=" + agent));
      for (auto a : alerts.get_array()) return Str(a["alert_id"]);
      std::this_thread::sleep_for(50ms);
    }
    return "";
  }
};

// F1: `alerts ack ID --by NAME` acknowledges (it used to print the list and change nothing).
TEST_F(CliServeTest, AlertsAckAcknowledges) {
  StartServer();
  const std::string id = FailingAgentAlert("bad");
  ASSERT_FALSE(id.empty());
  CliResult r = Cli("alerts ack " + id + " --by alice");
  EXPECT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(r.out, "alert " + id + " acknowledged by alice\n");
  auto alerts = Json(Call(Method::kGet, "/api/health/alerts?acknowledged=true"));
  bool acked = false;
  for (auto a : alerts.get_array()) {
    acked |= Str(a["alert_id"]) == id && Str(a["acknowledged_by"]) == "alice";
  }
  EXPECT_TRUE(acked);
  r = Cli("alerts");
  EXPECT_EQ(r.rc, 0) << r.out;
  EXPECT_NE(r.out.find(id), std::string::npos) << r.out;
}

TEST_F(CliServeTest, IncidentsListAndAck) {
  StartServer();
  ASSERT_FALSE(FailingAgentAlert("bad").empty());
  auto list = Json(Call(Method::kGet, "/api/health/incidents?source_id=bad"));
  ASSERT_EQ(int64_t(list["count"]), 1) << Call(Method::kGet, "/api/health/incidents").body;
  const std::string id = Str(list["incidents"].at(0)["incident_id"]);

  CliResult r = Cli("incidents");
  EXPECT_EQ(r.rc, 0) << r.out;
  EXPECT_NE(r.out.find(id), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("agent/bad"), std::string::npos) << r.out;
  r = Cli("incidents --state resolved");
  EXPECT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(r.out.find(id), std::string::npos) << r.out;

  r = Cli("incidents ack " + id + " --by bob");
  EXPECT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(r.out.rfind("incident " + id + " acknowledged", 0), 0u) << r.out;
  r = Cli("incidents");
  EXPECT_NE(r.out.find("acknowledged"), std::string::npos) << r.out;
  auto after = Json(Call(Method::kGet, "/api/health/incidents/" + id));
  EXPECT_TRUE(bool(after["acknowledged"]));
  for (auto a : after["alerts"].get_array()) {
    if (!bool(a["resolved"])) {
      EXPECT_EQ(Str(a["acknowledged_by"]), "bob");
    }
  }
  r = Cli("incidents ack incident_999999 --by bob");
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_NE(r.out.find("incident_999999"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace vitals::server::testing
