// Group commit: where and in which order acknowledgements run, batches sharing one commit,
// the counters of Stats() and Health().
#include <algorithm>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <utility>

#include "store/contract/store_contract_fixture.h"

namespace vitals::store::testing {
namespace {

class StoreContractCommitsTest : public StoreContractTest {};

// Acknowledgements of executions and heartbeats go to the executor, whole groups in commit
// order; jobs (Flush) never wait for it; a refusing executor means they run on the writer.
TEST_P(StoreContractCommitsTest, CompletionExecutorRunsAcknowledgementsInCommitOrder) {
  std::mutex mu;
  std::vector<std::function<void()>> tasks;
  bool refuse = false;
  store_->SetCompletionExecutor([&](std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mu);
    if (refuse) return false;
    tasks.push_back(std::move(task));
    return true;
  });
  std::vector<int64_t> acked;  // first id of each batch, in acknowledgement order
  int heartbeats_acked = 0;
  for (int i = 0; i < 20; ++i) {
    store_->AppendExecutions({MakeExecution("o", "a", At(i))},
                             [&](core::Status s, std::span<const int64_t> ids) {
                               ASSERT_TRUE(s.ok()) << s.ToString();
                               ASSERT_EQ(ids.size(), 1u);
                               acked.push_back(ids[0]);
                             });
    if (i % 5 == 0) {
      store_->AppendHeartbeats({{0, "o", "a", At(i), At(i), ""}}, [&](core::Status s) {
        EXPECT_TRUE(s.ok());
        ++heartbeats_acked;
      });
    }
  }
  store_->Flush();  // returns although no acknowledgement has run yet
  EXPECT_TRUE(acked.empty());
  EXPECT_EQ(heartbeats_acked, 0);
  std::vector<std::function<void()>> taken;
  {
    std::lock_guard<std::mutex> lock(mu);
    taken.swap(tasks);
    refuse = true;
  }
  EXPECT_FALSE(taken.empty());
  EXPECT_LE(taken.size(), store_->Stats().commits);  // one task per group commit, not per batch
  for (auto& task : taken) task();
  ASSERT_EQ(acked.size(), 20u);
  EXPECT_TRUE(std::is_sorted(acked.begin(), acked.end()));
  EXPECT_EQ(heartbeats_acked, 4);
  // Refused: the writer acknowledges by itself.
  EXPECT_EQ(Append(*store_, {MakeExecution("o", "a", At(30))}).at(0), acked.back() + 1);
}

// Batches that meet in one group commit are written together, yet each keeps its own ids,
// consecutive in queue order, and every row lands under its id, before and after a Flush (which
// in SQLite seals the tail into blocks).
TEST_P(StoreContractCommitsTest, BatchesOfOneGroupCommitKeepTheirOwnIdsAndRows) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  bool first = true;
  store_->SetCompletionExecutor([&](std::function<void()> task) {
    if (std::exchange(first, false)) {  // holds the writer while the next batches queue up
      entered.set_value();
      released.wait();
    }
    task();
    return true;
  });
  store_->AppendExecutions({MakeExecution("o", "hold", At(0))}, nullptr);
  entered.get_future().wait();
  const uint64_t commits_before = store_->Stats().commits;
  const std::vector<int> sizes = {1, 3, 40, 2, 64, 1, 7};
  std::vector<std::vector<int64_t>> ids(sizes.size());
  int64_t ts = 1;
  for (size_t b = 0; b < sizes.size(); ++b) {
    std::vector<ExecutionWrite> rows;
    for (int i = 0; i < sizes[b]; ++i) rows.push_back(MakeExecution("o", "a", At(ts++)));
    store_->AppendExecutions(std::move(rows),
                             [&ids, b](core::Status s, std::span<const int64_t> got) {
                               ASSERT_TRUE(s.ok()) << s.ToString();
                               ids[b].assign(got.begin(), got.end());
                             });
  }
  release.set_value();
  EXPECT_EQ(Append(*store_, {MakeExecution("o", "after", At(500))}).size(), 1u);
  EXPECT_LE(store_->Stats().commits - commits_before, 2u);  // the batches met in one group
  std::map<int64_t, std::string> expected;                  // id -> execution_id
  ts = 1;
  int64_t next = 0;
  for (size_t b = 0; b < sizes.size(); ++b) {
    ASSERT_EQ(ids[b].size(), static_cast<size_t>(sizes[b])) << "batch " << b;
    for (int64_t id : ids[b]) {
      if (next != 0) {
        EXPECT_EQ(id, next) << "batch " << b;
      }
      next = id + 1;
      expected[id] = "a@" + std::to_string(core::ToMicros(At(ts++)));
    }
  }
  for (bool sealed : {false, true}) {
    if (sealed) store_->Flush();
    std::map<int64_t, std::string> stored;
    for (const StoredExecution& row : Query(Q("o", "a").Limit(1000))) {
      const std::string& id = row.event.execution_id;
      stored[row.id] = id.substr(0, id.find('#'));  // without MakeExecution's serial number
    }
    EXPECT_EQ(stored, expected) << (sealed ? "sealed" : "in the tail");
  }
}

TEST_P(StoreContractCommitsTest, StatsCountWritesAndCommitsAndHealthIsOk) {
  EXPECT_TRUE(store_->Health().ok()) << store_->Health().ToString();
  Append(*store_, {MakeExecution("o", "a", At(1)), MakeExecution("o", "a", At(2))});
  ASSERT_TRUE(AppendHeartbeats(*store_, {{0, "o", "a", At(1), At(1), ""}}).ok());
  store_->RecordMetrics({{"o", "agent", "a", "m", 1, 2, 3, At(1), "", "healthy"}});
  store_->Flush();
  const StoreStats s = store_->Stats();
  EXPECT_EQ(s.executions_written, 2u);
  EXPECT_EQ(s.heartbeats_written, 1u);
  EXPECT_GE(s.commits, 2u);
  EXPECT_EQ(s.commit_failures, 0u);
  EXPECT_GT(s.commit_ms_total, 0);
  EXPECT_GT(s.last_commit_ms, 0);
  EXPECT_EQ(s.queue_depth, 0u);
  EXPECT_GT(s.queue_capacity, 0u);
  EXPECT_EQ(s.background_dropped, 0u);
  EXPECT_EQ(s.background_failures, 0u);
  EXPECT_EQ(s.rows_deleted_by_retention, 0u);
  EXPECT_TRUE(store_->Health().ok()) << store_->Health().ToString();
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractCommitsTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres), BackendName);

}  // namespace
}  // namespace vitals::store::testing
