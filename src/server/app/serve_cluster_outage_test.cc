// Restarts of the cluster's servers during ingest (issue 16): three nodes take a steady load
// spread over all of them while redis-server (which comes back empty) or PostgreSQL is stopped and
// started again. While one is down the nodes refuse ingest with 503; afterwards every
// acknowledged execution is in the store and each agent has one judge, which counts nothing
// twice, and counts exactly what the store holds — after Redis came back empty too, when the
// executions on their way to their owners were lost with it (every node restores its agents
// afresh; their checkpoints' exact log positions replay what the judge lacked).
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>

#include "server/app/serve_cluster_fixture.h"

namespace vitals::server::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kLoadAgents = 6;

std::string LoadAgent(int a) { return "steady-" + std::to_string(a); }

class ServeClusterOutageTest : public ServeClusterTest {
 protected:
  // Posts batches (2 executions of each agent, one in 5 failed) round-robin over the nodes until
  // stopped; keeps the ids of those acknowledged and counts the answers by status.
  void StartLoad() {
    load_ = std::thread([this] {
      std::vector<std::unique_ptr<HttpClient>> own;
      for (auto& node : nodes_)
        own.push_back(std::make_unique<HttpClient>("127.0.0.1", node->port()));
      Headers h;
      h.Add("Content-Type", "application/json");
      for (int batch = 0; !stop_; ++batch) {
        std::string body = "[";
        std::vector<std::string> ids;
        for (int a = 0; a < kLoadAgents; ++a) {
          for (int i = 0; i < 2; ++i) {
            const std::string id = "b" + std::to_string(batch) + "-" + std::to_string(i);
            const bool failed = (batch + i + a) % 5 == 0;
            if (body.size() > 1) body += ",";
            body += R"({"agent_id":")" + LoadAgent(a) + R"(","execution_id":")" + id +
                    R"(","status":")" + (failed ? "error" : "success") + R"(","latency_ms":50})";
            ids.push_back(LoadAgent(a) + "/" + id);
          }
        }
        body += "]";
        auto r = own[static_cast<size_t>(batch % 3)]->Request(Method::kPost, "/api/v1/executions",
                                                              body, h, std::chrono::seconds(3));
        {
          std::lock_guard lock(mu_);
          ++answers_[r.ok() ? r->status : 0];
          if (r.ok() && r->status == 200) acked_.insert(acked_.end(), ids.begin(), ids.end());
        }
        std::this_thread::sleep_for(30ms);
      }
    });
  }
  void StopLoad() {
    stop_ = true;
    if (load_.joinable()) load_.join();
  }
  void TearDown() override {
    StopLoad();
    ServeClusterTest::TearDown();
  }
  int Replies(int status) {
    std::lock_guard lock(mu_);
    return answers_[status];
  }
  // Outage of a server (`stop`, then `start` after `down`) in the middle of the load, then the
  // checks of the file comment.
  void RestartDuringLoad(const char* stop_variable, const char* start_variable) {
    const char* stop = std::getenv(stop_variable);
    const char* start = std::getenv(start_variable);
    if (stop == nullptr || start == nullptr) GTEST_SKIP() << "run under with_databases.sh";
    StartNodes(3);
    StartLoad();
    std::this_thread::sleep_for(1500ms);
    const int ok_before = Replies(200);
    ASSERT_EQ(std::system(stop), 0);
    std::this_thread::sleep_for(3s);
    ASSERT_EQ(std::system(start), 0);
    // Every node takes ingest again by itself.
    for (auto& client : clients_) {
      EXPECT_TRUE(Eventually(
          [&] {
            auto r = client->Request(Method::kGet, "/readyz", "", Headers());
            return r.ok() && r->status == 200;
          },
          30s));
    }
    const int ok_after_recovery = Replies(200);
    std::this_thread::sleep_for(2s);
    StopLoad();
    EXPECT_GT(ok_before, 0);
    EXPECT_GT(Replies(503), 0) << "the outage refused nothing";
    EXPECT_GT(Replies(200), ok_after_recovery) << "no ingest after the recovery";

    // Every acknowledged execution is in the store...
    std::vector<std::string> acked;
    {
      std::lock_guard lock(mu_);
      acked = acked_;
    }
    const std::string stored = db_.Query(
        "SELECT string_agg(agent_id || '/' || execution_id, ' ') FROM agent_execution_logs");
    std::set<std::string> in_store;
    for (size_t at = 0; at < stored.size();) {
      size_t end = stored.find(' ', at);
      if (end == std::string::npos) end = stored.size();
      in_store.insert(stored.substr(at, end - at));
      at = end + 1;
    }
    for (const std::string& id : acked) {
      ASSERT_TRUE(in_store.count(id)) << id << " was acknowledged but is not in the store";
    }
    // ...and each agent's one judge counts what the store holds for it, exactly.
    for (int a = 0; a < kLoadAgents; ++a) {
      const std::string agent = LoadAgent(a);
      const std::string where = " FROM agent_execution_logs WHERE agent_id = '" + agent + "'";
      const std::string total = db_.Query("SELECT count(*)" + where);
      const std::string failed = db_.Query("SELECT count(*)" + where + " AND status = 'error'");
      std::map<int, std::string> answers;
      const auto judged = [&] {
        answers = Answers(agent);
        return answers.size() == 1 &&
               answers.begin()->second.find(" total=" + total + " failed=" + failed) !=
                   std::string::npos;
      };
      EXPECT_TRUE(Eventually(judged)) << agent << ": the store holds " << total << " (" << failed
                                      << " failed); " << answers.size() << " nodes answer"
                                      << (answers.empty() ? "" : ", " + answers.begin()->second);
    }
  }

  std::thread load_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::string> acked_;  // guarded by mu_: "agent/execution_id"
  std::map<int, int> answers_;      // guarded by mu_: by HTTP status (0: no answer)
};

TEST_F(ServeClusterOutageTest, RedisRestartingEmptyDuringIngestLosesAndDoublesNothing) {
  RestartDuringLoad("VITALS_TEST_REDIS_STOP", "VITALS_TEST_REDIS_START");
}

TEST_F(ServeClusterOutageTest, PostgresRestartDuringIngestLosesAndDoublesNothing) {
  RestartDuringLoad("VITALS_TEST_POSTGRES_STOP", "VITALS_TEST_POSTGRES_START");
}

}  // namespace
}  // namespace vitals::server::testing
