// Three `vitals serve` nodes sharing one PostgreSQL store and one redis-server (issue 16), all
// real processes on loopback (with_databases.sh starts the servers). Ingest spread round-robin
// over the nodes gives each agent the health one node alone gives for the same events, and each
// agent is judged by exactly one node; kill -9 of a node moves its agents to the others, which
// still convict a heartbeat-silent one.
#include <algorithm>
#include <atomic>

#include "cluster/redis_client.h"
#include "server/app/serve_cluster_fixture.h"

namespace vitals::server::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(ServeClusterTest, SpreadIngestAgreesWithOneNodeAndEachAgentHasOneJudge) {
  StartNodes(3);
  StartServer({"--collect-system", "false"});  // the single-node reference (its own SQLite file)
  for (int round = 0; round < 6; ++round) {
    ASSERT_EQ(Post(static_cast<size_t>(round % 3), "/api/v1/executions", Round(round)), 200);
    ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Round(round)).status, 200);
  }
  std::set<int> owners;
  for (int a = 0; a < kAgents; ++a) {
    const std::string agent = AgentName(a);
    std::string alone;
    ASSERT_TRUE(Eventually([&] {
      alone = Health(*http_, agent);
      return alone.find(" total=18 ") != std::string::npos && alone.find("unknown") != 0;
    })) << alone;
    std::map<int, std::string> answers;
    EXPECT_TRUE(Eventually([&] {
      answers = Answers(agent);
      return answers.size() == 1 && answers.begin()->second == alone;
    })) << agent
        << ": alone " << alone << "; cluster answers " << answers.size() << " "
        << (answers.empty() ? "" : answers.begin()->second);
    if (!answers.empty()) owners.insert(answers.begin()->first);
    // Any node answers for it, asking its judge.
    for (size_t i = 0; i < clients_.size(); ++i) {
      std::string via;
      EXPECT_TRUE(Eventually([&] { return (via = Health(*clients_[i], agent, false)) == alone; }))
          << agent << " on node " << i << ": " << via;
    }
  }
  EXPECT_EQ(owners.size(), 3u) << "12 agents all owned by fewer than 3 nodes";
  // The fleet's list from any node: each agent once, in order, the page cut from all of them.
  std::vector<std::string> names;
  for (int a = 0; a < kAgents; ++a) names.push_back(AgentName(a));
  std::sort(names.begin(), names.end());
  std::string expected;
  for (int a = 4; a < 9; ++a) expected += "\"agent_id\":\"" + names[static_cast<size_t>(a)] + "\"";
  for (size_t i = 0; i < clients_.size(); ++i) {
    auto r = clients_[i]->Request(Method::kGet, "/api/health/agents?sort=agent_id&offset=4&limit=5",
                                  "", Headers());
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_NE(r->body.find("\"total\":12,"), std::string::npos) << r->body;
    std::string ids;
    for (size_t at = 0; (at = r->body.find("\"agent_id\":\"", at)) != std::string::npos;) {
      const size_t end = r->body.find('"', at + 12);
      ids += r->body.substr(at, end + 1 - at);
      at = end;
    }
    EXPECT_EQ(ids, expected) << "node " << i << ": " << r->body;
    EXPECT_EQ(r->body.find("partial"), std::string::npos);
    // The dashboard's summary counts the fleet too, not the ~4 agents this node judges.
    auto system = clients_[i]->Request(Method::kGet, "/api/health/system", "", Headers());
    ASSERT_TRUE(system.ok());
    ASSERT_EQ(system->status, 200) << system->body;
    EXPECT_NE(system->body.find("\"total_agents\":12,"), std::string::npos) << system->body;
    EXPECT_NE(system->body.find("\"fleet\":{\"total_agents\":12,"), std::string::npos)
        << system->body;
    EXPECT_EQ(system->body.find("partial"), std::string::npos);
  }
  // Seed 000's counters in Redis: each agent's 18 executions, counted once whichever node took
  // them (summed over the hours, in case the run straddled one).
  cluster::RedisClient redis(cluster::RedisEndpoint::FromUrl(redis_).value());
  for (int a = 0; a < kAgents; ++a) {
    int64_t total = 0, failures = 0;
    EXPECT_TRUE(Eventually([&] {
      total = failures = 0;
      auto keys = redis.Command({"KEYS", "vitals:hour:{default:" + AgentName(a) + "}:*"});
      if (!keys.ok()) return false;
      for (const auto& key : keys->elements) {
        auto t = redis.Command({"HGET", key.str, "total"});
        auto f = redis.Command({"HGET", key.str, "failure"});
        if (t.ok() && !t->is_nil()) total += std::stoll(t->str);
        if (f.ok() && !f->is_nil()) failures += std::stoll(f->str);
      }
      return total == 18;
    })) << AgentName(a)
        << " total " << total;
    int expected_failures = 0;
    for (int n = 0; n < 18; ++n) expected_failures += n % (a % 4 + 2) == 0;
    EXPECT_EQ(failures, expected_failures) << AgentName(a);
  }
  auto metrics = clients_[0]->Request(Method::kGet, "/metrics", "", Headers());
  ASSERT_TRUE(metrics.ok());
  EXPECT_NE(metrics->body.find("vitals_cluster_members 3"), std::string::npos) << metrics->body;
}

TEST_F(ServeClusterTest, AWebSocketOnOneNodeSeesTransitionsJudgedOnAnother) {
  StartNodes(3);
  // An agent that node 0 judges, whose events go in through node 1.
  std::string agent;
  for (int i = 0; i < 100 && agent.empty(); ++i) {
    const std::string name = "watched-" + std::to_string(i);
    ASSERT_EQ(Post(1, "/api/v1/executions", Runs(name, "ok", 20, true)), 200);
    std::map<int, std::string> answers;
    if (Eventually([&] { return (answers = Answers(name)).size() == 1; }, 3s) && answers.count(0)) {
      agent = name;
    }
  }
  ASSERT_FALSE(agent.empty());
  WebSocketClient ws;
  ASSERT_TRUE(ws.Connect("127.0.0.1", nodes_[2]->port(), "/ws/health").ok());
  EXPECT_NE(AwaitWs(ws, "connected"), "");
  ASSERT_EQ(Post(1, "/api/v1/executions", Runs(agent, "bad", 8, false)), 200);
  const std::string t = AwaitWs(ws, "health_transition", agent, 5s);
  ASSERT_NE(t, "") << "node 2's WebSocket saw no transition of " << agent;
  EXPECT_NE(t.find(R"("new_status":"critical")"), std::string::npos) << t;
  EXPECT_NE(AwaitWs(ws, "alert_raised", "", 5s), "");
}

TEST_F(ServeClusterTest, KillNineMovesItsAgentsToTheOthersWhoStillConvictASilentOne) {
  StartNodes(3);
  for (int round = 0; round < 4; ++round) {
    ASSERT_EQ(Post(static_cast<size_t>(round % 3), "/api/v1/executions", Round(round)), 200);
  }
  // Which agents node 0 judges, and what it says about them.
  std::map<std::string, std::string> on_zero;
  ASSERT_TRUE(Eventually([&] {
    on_zero.clear();
    for (int a = 0; a < kAgents; ++a) {
      auto answers = Answers(AgentName(a));
      if (answers.size() != 1) return false;
      if (answers.begin()->first == 0) on_zero[AgentName(a)] = answers.begin()->second;
    }
    return !on_zero.empty();
  }));
  // A heartbeat-only agent that node 0 owns: found by trying names.
  std::string silent;
  for (int i = 0; i < 200 && silent.empty(); ++i) {
    const std::string name = "beating-" + std::to_string(i);
    const std::string beat = R"({"agent_id":")" + name + R"("})";
    ASSERT_EQ(Post(1, "/api/v1/heartbeats", beat), 200);
    if (Eventually([&] { return !Answers(name).empty(); }, 3s) && Answers(name).count(0)) {
      silent = name;
    }
  }
  ASSERT_FALSE(silent.empty());
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Post(2, "/api/v1/heartbeats", R"({"agent_id":")" + silent + R"("})"), 200);
    std::this_thread::sleep_for(200ms);
  }
  std::this_thread::sleep_for(1500ms);  // a checkpoint of node 0 holds the counts
  // Load on every node while node 0 dies: what any node acknowledged must be in the store.
  std::atomic<bool> stop_load{false};
  std::vector<std::string> acked;
  std::thread load([&] {
    std::vector<std::unique_ptr<HttpClient>> own;
    for (auto& node : nodes_)
      own.push_back(std::make_unique<HttpClient>("127.0.0.1", node->port()));
    Headers h;
    h.Add("Content-Type", "application/json");
    for (int batch = 0; !stop_load; ++batch) {
      const std::string prefix = "load" + std::to_string(batch) + "-";
      auto r = own[static_cast<size_t>(batch % 3)]->Request(Method::kPost, "/api/v1/executions",
                                                            Runs("loaded", prefix, 20, true), h,
                                                            std::chrono::seconds(2));
      if (r.ok() && r->status == 200) {
        for (int i = 0; i < 20; ++i) acked.push_back(prefix + std::to_string(i));
      }
      std::this_thread::sleep_for(20ms);  // all of it fits one page of the log below
    }
  });
  std::this_thread::sleep_for(300ms);
  nodes_[0]->Kill();
  const auto killed = std::chrono::steady_clock::now();
  for (const auto& [agent, health] : on_zero) {
    std::map<int, std::string> answers;
    EXPECT_TRUE(Eventually(
        [&] {
          answers = Answers(agent);
          return answers.size() == 1 &&
                 answers.begin()->second.substr(answers.begin()->second.find(' ')) ==
                     health.substr(health.find(' '));
        },
        10s))
        << agent << " was " << health << "; now answered by " << answers.size() << " nodes";
  }
  EXPECT_LT(std::chrono::steady_clock::now() - killed, 12s);
  stop_load = true;
  load.join();
  ASSERT_GT(acked.size(), 0u);
  ASSERT_LT(acked.size(), 10'000u);
  auto logged = clients_[1]->Request(Method::kGet, "/api/v1/agents/loaded/executions?limit=10000",
                                     "", Headers());
  ASSERT_TRUE(logged.ok());
  ASSERT_EQ(logged->status, 200) << logged->body;
  for (const std::string& id : acked) {
    ASSERT_NE(logged->body.find("\"" + id + "\""), std::string::npos)
        << id << " was acknowledged (" << acked.size() << "): " << logged->body.substr(0, 400);
  }
  // The heartbeat-silent agent is convicted by its new judge.
  std::string state;
  EXPECT_TRUE(Eventually(
      [&] {
        for (size_t i = 1; i < nodes_.size(); ++i) {
          auto r = clients_[i]->Request(Method::kGet, "/api/health/agent/" + silent, "", Headers());
          if (!r.ok() || r->status != 200) continue;
          simdjson::dom::parser p;
          simdjson::dom::element e;
          if (p.parse(r->body).get(e)) continue;
          state = Str(e["heartbeat"]["state"]);
          if (state == "failed") return true;
        }
        return false;
      },
      10s))
      << silent << " heartbeat state: " << state;
}

}  // namespace
}  // namespace vitals::server::testing
