// `vitals serve --store postgresql://...` (issue 16) through the real binary on a real
// PostgreSQL (started by with_databases.sh): what is acknowledged survives kill -9, a second node
// on the same database answers for agents the first one saw, and an outage of the database gives
// 503 with Retry-After and /readyz 503 until it is back.
#include <cstdlib>

#include "server/app/serve_test_support.h"
#include "store/testing/pg_test_database.h"

namespace vitals::server::testing {
namespace {

// `n` executions of `agent` with ids prefix-0 ..., every `fail_every`-th one failed.
std::string Executions(const std::string& agent, const std::string& prefix, int n, int fail_every) {
  std::string body = "[";
  for (int i = 0; i < n; ++i) {
    if (i) body += ",";
    const bool failed = fail_every > 0 && i % fail_every == 0;
    body += R"({"agent_id":")" + agent + R"(","execution_id":")" + prefix + std::to_string(i) +
            R"(","status":")" + (failed ? "error" : "success") + R"(","latency_ms":)" +
            std::to_string(100 + i) + "}";
  }
  return body + "]";
}

class ServePostgresTest : public ServeTest {
 protected:
  void SetUp() override {
    ServeTest::SetUp();
    if (db_.url().empty()) GTEST_SKIP() << "VITALS_TEST_POSTGRES_URL is not set";
  }
  std::unique_ptr<ServerProcess> Node() {
    return std::make_unique<ServerProcess>(
        ServerProcess::DefaultBinary(), db_.url(),
        std::vector<std::string>{"--collect-system", "false", "--checkpoint-interval", "1"});
  }
  void StartNode() {
    server_ = Node();
    StartServer();
  }
  // The agent's health without its time-dependent fields.
  std::string Health(HttpClient& client, const std::string& agent) {
    auto r = client.Request(Method::kGet, "/api/health/agent/" + agent, "", Headers());
    if (!r.ok() || r->status != 200) return "";
    simdjson::dom::element e = Json(*r);
    int64_t total = -1, failed = -1;
    if (e["windows"]["1h"]["total"].get_int64().get(total) ||
        e["windows"]["1h"]["failure"].get_int64().get(failed)) {
      return "unreadable: " + r->body;
    }
    return Str(e["health"]["status"]) + " total=" + std::to_string(total) +
           " failed=" + std::to_string(failed);
  }
  size_t Logged(const std::string& agent) {
    auto r = Call(Method::kGet, "/api/v1/agents/" + agent + "/executions?limit=1000");
    simdjson::dom::element e = Json(r);
    simdjson::dom::array rows;
    if (e["executions"].get_array().get(rows)) return 0;
    return rows.size();
  }

  store::testing::PgTestDatabase db_;
};

TEST_F(ServePostgresTest, AcknowledgedExecutionsAndHealthSurviveKillNine) {
  StartNode();
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Executions("a", "x", 40, 4)).status, 200);
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Executions("b", "y", 10, 0)).status, 200);
  std::string before;
  ASSERT_TRUE(Eventually([&] { return (before = Health(*http_, "a")).find("unknown") != 0; }));
  ASSERT_NE(before.find("total=40 failed=10"), std::string::npos) << before;
  EXPECT_EQ(Logged("a"), 40u);

  server_->Kill();
  StartServer();
  EXPECT_TRUE(Eventually([&] { return Health(*http_, "a") == before; })) << Health(*http_, "a");
  EXPECT_EQ(Logged("a"), 40u);
  EXPECT_EQ(Logged("b"), 10u);
  // A client's retry of a batch already stored is recognized after the restart too.
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Executions("a", "x", 40, 4)).status, 200);
  EXPECT_EQ(Logged("a"), 40u);
}

TEST_F(ServePostgresTest, ASecondNodeOnTheSameDatabaseAnswersForTheFirstOnesAgents) {
  StartNode();
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Executions("a", "x", 20, 5)).status, 200);
  std::string on_a;
  ASSERT_TRUE(Eventually([&] { return (on_a = Health(*http_, "a")).find("unknown") != 0; }));
  ASSERT_EQ(server_->Stop(), 0);

  auto other = Node();
  ASSERT_TRUE(other->Start().ok()) << other->LogTail();
  HttpClient client("127.0.0.1", other->port());
  EXPECT_TRUE(Eventually([&] { return Health(client, "a") == on_a; })) << Health(client, "a");
}

// Last: it stops the database server (and starts it again).
TEST_F(ServePostgresTest, ADatabaseOutageGives503AndRecoversByItself) {
  const char* stop = std::getenv("VITALS_TEST_POSTGRES_STOP");
  const char* start = std::getenv("VITALS_TEST_POSTGRES_START");
  if (stop == nullptr || start == nullptr) GTEST_SKIP() << "no server control";
  StartNode();
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Executions("a", "x", 5, 0)).status, 200);
  ASSERT_EQ(std::system(stop), 0);
  EXPECT_TRUE(Eventually([&] { return Call(Method::kGet, "/readyz").status == 503; }));
  auto refused = Call(Method::kPost, "/api/v1/executions", Executions("a", "z", 5, 0));
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_TRUE(refused.headers.Get("Retry-After").has_value());
  EXPECT_EQ(refused.body.find("127.0.0.1"), std::string::npos) << refused.body;
  // Reads are served from memory meanwhile.
  EXPECT_NE(Health(*http_, "a").find("total=5"), std::string::npos);

  ASSERT_EQ(std::system(start), 0);
  EXPECT_TRUE(Eventually([&] { return Call(Method::kGet, "/readyz").status == 200; }));
  EXPECT_EQ(Call(Method::kPost, "/api/v1/executions", Executions("a", "w", 5, 0)).status, 200);
  EXPECT_EQ(Logged("a"), 10u);
}

}  // namespace
}  // namespace vitals::server::testing
