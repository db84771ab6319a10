// A split brain (issue 16): node 0 is cut off from Redis (through a proxy the test cuts) while it
// judges a heartbeating agent whose heartbeats go to the other nodes. Its view stands still, so
// it stays the agent's owner in its own eyes — but it knows it cannot renew its membership, and
// holds every conviction for silence meanwhile, so it never convicts the agent on the stale
// data. The others drop node 0 and the agent's new owner claims it in the store (which would
// refuse node 0's writes for it: postgres_fencing_test). When node 0 is back it sees that it
// missed views and restores its agents afresh, and the agent is judged healthy by one node.
#include <atomic>

#include "cluster/redis_client.h"
#include "server/app/serve_cluster_fixture.h"
#include "server/app/testing/tcp_proxy.h"

namespace vitals::server::testing {
namespace {

using namespace std::chrono_literals;

// The agent's heartbeat state on `client`, as that node itself holds it; "" when it does not.
std::string LocalHeartbeat(HttpClient& client, const std::string& agent) {
  Headers h;
  h.Add("X-Vitals-Forwarded", "test");
  auto r = client.Request(Method::kGet, "/api/health/agent/" + agent, "", h);
  if (!r.ok() || r->status != 200) return "";
  simdjson::dom::parser p;
  simdjson::dom::element e;
  if (p.parse(r->body).get(e)) return "";
  return ServeTest::Str(e["heartbeat"]["state"]);
}

// A counter's value in the node's /metrics (-1 when absent).
double Metric(HttpClient& client, const std::string& series) {
  auto m = client.Request(Method::kGet, "/metrics", "", Headers());
  if (!m.ok()) return -1;
  const size_t at = m->body.find("\n" + series + " ");
  return at == std::string::npos ? -1 : std::stod(m->body.substr(at + series.size() + 2));
}

TEST_F(ServeClusterTest, ACutOffOwnerConvictsNoOneAndComesBackRestoredAfresh) {
  auto endpoint = cluster::RedisEndpoint::FromUrl(redis_);
  ASSERT_TRUE(endpoint.ok());
  TcpProxy proxy(static_cast<uint16_t>(endpoint->port));
  ASSERT_TRUE(proxy.Start().ok());
  std::string through_proxy = redis_;  // the same URL (password, database) but the port
  const std::string real_port = ":" + std::to_string(endpoint->port) + "/";
  through_proxy.replace(through_proxy.rfind(real_port), real_port.size(),
                        ":" + std::to_string(proxy.port()) + "/");
  // An agent is late after 8 s: later than the others take node 0's agents over (a 3 s TTL and
  // a 1 s renewal), and far later than node 0 notices it is cut off.
  StartNodes(
      3, [&](int i) { return i == 0 ? through_proxy : redis_; }, 8000, 2);

  // A heartbeating agent that node 0 judges, its heartbeats sent to nodes 1 and 2 only.
  std::string agent;
  for (int i = 0; i < 200 && agent.empty(); ++i) {
    const std::string name = "fenced-" + std::to_string(i);
    ASSERT_EQ(Post(1, "/api/v1/heartbeats", R"({"agent_id":")" + name + R"("})"), 200);
    std::map<int, std::string> answers;
    if (Eventually([&] { return !(answers = Answers(name)).empty(); }, 3s) && answers.count(0)) {
      agent = name;
    }
  }
  ASSERT_FALSE(agent.empty());
  std::atomic<bool> stop{false};
  std::thread beats([&] {
    HttpClient one("127.0.0.1", nodes_[1]->port()), two("127.0.0.1", nodes_[2]->port());
    Headers h;
    h.Add("Content-Type", "application/json");
    for (int n = 0; !stop; ++n) {
      (void)(n % 2 ? one : two)
          .Request(Method::kPost, "/api/v1/heartbeats", R"({"agent_id":")" + agent + R"("})", h);
      std::this_thread::sleep_for(300ms);
    }
  });
  struct Join {
    std::atomic<bool>& stop;
    std::thread& t;
    ~Join() {
      stop = true;
      t.join();
    }
  } join{stop, beats};
  std::this_thread::sleep_for(1500ms);
  ASSERT_EQ(LocalHeartbeat(*clients_[0], agent), "healthy");

  proxy.Cut();
  const auto cut_at = std::chrono::steady_clock::now();
  // Node 0 notices it cannot renew its membership and holds convictions for silence...
  EXPECT_TRUE(
      Eventually([&] { return Metric(*clients_[0], "vitals_cluster_liveness_held") == 1; }, 10s))
      << nodes_[0]->LogTail();
  // ...while the agent's new owner claims it and hears it healthy.
  EXPECT_TRUE(Eventually([&] {
    return LocalHeartbeat(*clients_[1], agent) == "healthy" ||
           LocalHeartbeat(*clients_[2], agent) == "healthy";
  }));
  EXPECT_TRUE(Eventually([&] {
    return db_.Query("SELECT count(*) FROM agent_owners WHERE agent_id = '" + agent +
                     "' AND node_id <> 'node0'") == "1";
  }));
  // Well past the agent's deadline, node 0 (still its owner in its own view, hearing nothing)
  // has not convicted it, and nothing false reached the store.
  std::this_thread::sleep_until(cut_at + 14s);
  EXPECT_EQ(LocalHeartbeat(*clients_[0], agent), "healthy");
  EXPECT_EQ(Metric(*clients_[0], "vitals_cluster_liveness_held"), 1);
  EXPECT_EQ(db_.Query("SELECT count(*) FROM alerts WHERE source_id = '" + agent + "'"), "0")
      << db_.Query(
             "SELECT id || ' ' || type || ' ' || message || ' ' || vitals_iso(raised_at) "
             "FROM alerts WHERE source_id = '" +
             agent + "'");
  EXPECT_NE(db_.Query("SELECT status FROM agent_health_realtime WHERE agent_id = '" + agent + "'"),
            "critical");

  proxy.Heal();
  // Back: node 0 missed views, restores what it owns from the store, and one node judges the
  // agent alive again.
  EXPECT_TRUE(Eventually(
      [&] { return nodes_[0]->LogTail(20000).find("after missed views") != std::string::npos; },
      15s))
      << nodes_[0]->LogTail();
  std::map<int, std::string> answers;
  EXPECT_TRUE(Eventually([&] {
    answers = Answers(agent);
    if (answers.size() != 1) return false;
    return LocalHeartbeat(*clients_[static_cast<size_t>(answers.begin()->first)], agent) ==
           "healthy";
  })) << answers.size()
      << " nodes answer";
  EXPECT_EQ(db_.Query("SELECT count(*) FROM alerts WHERE source_id = '" + agent + "'"), "0");
  EXPECT_EQ(Metric(*clients_[0], "vitals_cluster_redis_up"), 1);
  EXPECT_EQ(Metric(*clients_[0], "vitals_cluster_liveness_held"), 0);
}

}  // namespace
}  // namespace vitals::server::testing
