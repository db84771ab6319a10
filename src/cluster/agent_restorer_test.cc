// RestoreAgents and CatchUp against a real SQLite store, with the reorder window a cluster node
// runs with: executions that were still on their way to the judge when its checkpoint was taken
// are replayed exactly once.
#include "cluster/agent_restorer.h"

#include <gtest/gtest.h>

#include <future>

#include "store/sqlite/sqlite_store.h"
#include "store/testing/temp_dir.h"

namespace vitals::cluster {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class AgentRestorerTest : public ::testing::Test {
 protected:
  AgentRestorerTest() {
    store::SqliteOptions o;
    o.path = dir_.File("vitals.db");
    o.clock = &clock_;
    auto opened = store::OpenSqliteStore(o);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened.value());
    options_.log_reorder_window = seconds(30);
  }

  // Stores `n` executions of agent `agent` (every third one failed); returns them with their ids.
  std::vector<std::pair<core::ExecutionEvent, int64_t>> Append(const std::string& agent, int n) {
    std::vector<store::ExecutionWrite> rows;
    for (int i = 0; i < n; ++i) {
      store::ExecutionWrite w;
      w.event.organization_id = "acme";
      w.event.agent_id = agent;
      w.event.execution_id = agent + "-" + std::to_string(++seq_);
      w.event.action_type = "llm_call";
      w.event.status = i % 3 == 0 ? "error" : "success";
      w.event.latency_ms = 100;
      w.event.timestamp = clock_.Now();
      w.received_at = clock_.Now();
      rows.push_back(std::move(w));
    }
    std::vector<std::pair<core::ExecutionEvent, int64_t>> out;
    for (const auto& r : rows) out.emplace_back(r.event, 0);
    std::promise<void> done;
    store_->AppendExecutions(std::move(rows), [&](core::Status s, std::span<const int64_t> ids) {
      EXPECT_TRUE(s.ok()) << s.ToString();
      for (size_t k = 0; k < ids.size(); ++k) out[k].second = ids[k];
      done.set_value();
    });
    done.get_future().wait();
    return out;
  }

  // Ingests the executions whose positions `keep` accepts into `m`, as a node's live path does.
  template <typename Keep>
  void Ingest(engine::Monitor& m, const std::vector<std::pair<core::ExecutionEvent, int64_t>>& all,
              Keep keep) {
    std::vector<core::ExecutionEvent> events;
    std::vector<int64_t> ids;
    for (size_t k = 0; k < all.size(); ++k) {
      if (!keep(k)) continue;
      events.push_back(all[k].first);
      ids.push_back(all[k].second);
    }
    std::vector<core::Status> results(events.size());
    m.IngestBatch(events, results, ids);
  }

  int64_t Total(engine::Monitor& m, const std::string& agent) {
    auto v = m.GetAgent("acme", agent);
    return v.ok() ? v->long_window.total : -1;
  }

  void SaveCheckpoints(engine::Monitor& m) {
    int64_t replay_from = 0;
    std::vector<store::Checkpoint> rows;
    for (auto& c : m.CollectCheckpoints(false, &replay_from)) {
      rows.push_back({c.organization_id, c.agent_id, c.blob, c.log_floor, clock_.Now()});
    }
    store_->SaveCheckpoints(std::move(rows));
    store_->Flush();
  }

  store::testing::TempDir dir_;
  core::FakeClock clock_{core::FromMicros(1'795'392'000'000'000)};
  std::unique_ptr<store::Store> store_;
  engine::MonitorOptions options_;
  int seq_ = 0;
};

TEST_F(AgentRestorerTest, RestoreReplaysWhatWasInFlightBelowTheLargestIdCounted) {
  const auto a = Append("a", 12);
  const auto b = Append("b", 6);
  engine::Monitor owner(options_, &clock_);
  // Every fourth execution of "a" never reached its judge (lost with a stream); all of "b" did.
  Ingest(owner, a, [](size_t k) { return k % 4 != 1; });
  Ingest(owner, b, [](size_t) { return true; });
  ASSERT_EQ(Total(owner, "a"), 9);
  SaveCheckpoints(owner);

  engine::Monitor next(options_, &clock_);
  auto restored = RestoreAgents(*store_, next, clock_, nullptr, core::Duration(0));
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(Total(next, "a"), 12);
  EXPECT_EQ(Total(next, "b"), 6);  // nothing counted twice
  EXPECT_EQ(next.GetAgent("acme", "a")->long_window.failure, 4);

  // Without a reorder window (one node, ids in commit order) the largest position is trusted.
  engine::MonitorOptions in_order;
  engine::Monitor single(in_order, &clock_);
  ASSERT_TRUE(RestoreAgents(*store_, single, clock_, nullptr, core::Duration(0)).ok());
  EXPECT_EQ(Total(single, "b"), 6);
}

TEST_F(AgentRestorerTest, CatchUpReplaysOnlyWhatTheAgentsLackAndOnlyTheirs) {
  const auto a = Append("a", 10);
  const auto b = Append("b", 4);
  engine::Monitor owner(options_, &clock_);
  Ingest(owner, a, [](size_t k) { return k != 3 && k != 7; });  // two never forwarded
  Ingest(owner, b, [](size_t k) { return k == 0; });
  const AgentFilter only_a = [](std::string_view, std::string_view agent) { return agent == "a"; };
  auto replayed = CatchUp(*store_, owner, only_a, 0);
  ASSERT_TRUE(replayed.ok()) << replayed.status().ToString();
  EXPECT_EQ(*replayed, 2u);
  EXPECT_EQ(Total(owner, "a"), 10);
  EXPECT_EQ(Total(owner, "b"), 1);  // not taken
  auto again = CatchUp(*store_, owner, only_a, 0);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
  EXPECT_EQ(Total(owner, "a"), 10);
  // Starting after the rows: nothing read.
  auto after = CatchUp(*store_, owner, only_a, b.back().second);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, 0u);
}

}  // namespace
}  // namespace vitals::cluster
