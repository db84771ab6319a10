// The fixture of the three-node tests (serve_cluster_test, serve_cluster_fencing_test): nodes of
// `vitals serve` sharing one PostgreSQL database of their own and one Redis database, started by
// with_databases.sh; helpers to post to a node and read which node judges an agent.
#pragma once

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/app/serve_test_support.h"
#include "store/testing/pg_test_database.h"

namespace vitals::server::testing {

inline constexpr int kAgents = 12;

inline std::string AgentName(int a) { return "agent-" + std::to_string(a); }

// Batch `round` of executions: every agent gets 3, agent a fails one in (a % 4 + 2).
inline std::string Round(int round) {
  std::string body = "[";
  for (int a = 0; a < kAgents; ++a) {
    for (int i = 0; i < 3; ++i) {
      const int n = round * 3 + i;
      const bool failed = n % (a % 4 + 2) == 0;
      if (body.size() > 1) body += ",";
      body += R"({"agent_id":")" + AgentName(a) + R"(","execution_id":"r)" + std::to_string(n) +
              R"(","status":")" + (failed ? "error" : "success") + R"(","latency_ms":)" +
              std::to_string(100 + 10 * a + i) + "}";
    }
  }
  return body + "]";
}

class ServeClusterTest : public ServeTest {
 protected:
  void SetUp() override {
    ServeTest::SetUp();
    const char* redis = std::getenv("VITALS_TEST_REDIS_URL");
    if (db_.url().empty() || redis == nullptr) GTEST_SKIP() << "run under with_databases.sh";
    // A Redis database of its own per test: members of an earlier test's nodes linger a TTL.
    static int test_number = 0;
    redis_ = std::string(redis);
    redis_ = redis_.substr(0, redis_.rfind('/') + 1) + std::to_string(1 + test_number++ % 15);
  }
  void TearDown() override {
    if (HasFailure()) {
      for (auto& n : nodes_) {
        if (n) std::cerr << "node log:\n" << n->LogTail() << "\n";
      }
    }
    nodes_.clear();
    ServeTest::TearDown();
  }
  // `redis_for(i)`, when given, is node i's Redis URL (e.g. through a proxy); `heartbeat_ms` and
  // `threshold` the default heartbeat deadline of every agent.
  void StartNodes(int n, std::function<std::string(int)> redis_for = {}, int heartbeat_ms = 400,
                  int threshold = 2) {
    for (int i = 0; i < n; ++i) {
      nodes_.push_back(std::make_unique<ServerProcess>(
          ServerProcess::DefaultBinary(), db_.url(),
          std::vector<std::string>{"--redis", redis_for ? redis_for(i) : redis_, "--node-id",
                                   "node" + std::to_string(i), "--collect-system", "false",
                                   "--checkpoint-interval", "1", "--heartbeat-interval",
                                   std::to_string(heartbeat_ms), "--heartbeat-failure-threshold",
                                   std::to_string(threshold)}));
    }
    for (auto& node : nodes_) ASSERT_TRUE(node->Start().ok()) << node->LogTail();
    for (auto& node : nodes_)
      clients_.push_back(std::make_unique<HttpClient>("127.0.0.1", node->port()));
    // Ingest starts once every node's view holds all members, so ownership is settled.
    const std::string members = "vitals_cluster_members " + std::to_string(n) + "\n";
    for (auto& client : clients_) {
      ASSERT_TRUE(Eventually([&] {
        auto m = client->Request(Method::kGet, "/metrics", "", Headers());
        return m.ok() && m->body.find(members) != std::string::npos;
      }));
    }
  }
  // The agent's health from `client`: status and 1-hour counts, "" when it does not have it.
  // `local`: as the node itself holds it (X-Vitals-Forwarded keeps it from asking the owner).
  std::string Health(HttpClient& client, const std::string& agent, bool local = true) {
    Headers h;
    if (local) h.Add("X-Vitals-Forwarded", "test");
    auto r = client.Request(Method::kGet, "/api/health/agent/" + agent, "", h);
    if (!r.ok() || r->status != 200) return "";
    simdjson::dom::parser p;
    simdjson::dom::element e;
    if (p.parse(r->body).get(e)) return "";
    int64_t total = -1, failed = -1;
    if (e["windows"]["1h"]["total"].get_int64().get(total) ||
        e["windows"]["1h"]["failure"].get_int64().get(failed)) {
      return "";
    }
    return Str(e["health"]["status"]) + " total=" + std::to_string(total) +
           " failed=" + std::to_string(failed);
  }
  // Which live nodes answer for the agent (its owner, once the views agree), and what.
  std::map<int, std::string> Answers(const std::string& agent) {
    std::map<int, std::string> out;
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (!nodes_[i]->running()) continue;
      std::string h = Health(*clients_[i], agent);
      if (!h.empty()) out[static_cast<int>(i)] = h;
    }
    return out;
  }
  int Post(size_t node, const std::string& target, const std::string& body) {
    Headers h;
    h.Add("Content-Type", "application/json");
    auto r = clients_[node]->Request(Method::kPost, target, body, h);
    return r.ok() ? r->status : 0;
  }

  store::testing::PgTestDatabase db_;
  std::string redis_;
  std::vector<std::unique_ptr<ServerProcess>> nodes_;
  std::vector<std::unique_ptr<HttpClient>> clients_;
};

// `n` executions of `agent` (ids prefix-0 ...), all succeeded or all failed.
inline std::string Runs(const std::string& agent, const std::string& prefix, int n, bool ok) {
  std::string body = "[";
  for (int i = 0; i < n; ++i) {
    if (i) body += ",";
    body += R"({"agent_id":")" + agent + R"(","execution_id":")" + prefix + std::to_string(i) +
            R"(","status":")" + (ok ? "success" : "error") + R"(","latency_ms":100})";
  }
  return body + "]";
}

}  // namespace vitals::server::testing
