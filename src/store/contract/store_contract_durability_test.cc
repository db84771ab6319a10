// What must survive: a reopen (a restart of the process), retention, and a kill -9 mid-ingest.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <set>
#include <thread>

#include "store/contract/store_contract_fixture.h"

namespace vitals::store::testing {
namespace {

class StoreContractDurabilityTest : public StoreContractTest {};

TEST_P(StoreContractDurabilityTest, ReopenKeepsEverythingAndContinuesIds) {
  std::vector<int64_t> ids =
      Append(*store_, {MakeExecution("o", "a", At(1)), MakeExecution("o", "b", At(2))});
  store_->Flush();  // SQLite: sealed
  auto more = Append(*store_, {MakeExecution("o", "a", At(3)), MakeExecution("o", "a", At(4))});
  ids.insert(ids.end(), more.begin(), more.end());  // SQLite: unsealed when the store closes
  ASSERT_TRUE(store_->UpsertAgent({"o", "a", {}, At(0), At(0)}).ok());
  ASSERT_TRUE(AppendHeartbeats(*store_, {{0, "o", "a", At(5), At(5), ""}}).ok());
  ASSERT_TRUE(Reopen());
  auto rows = Query(Q("o", "a"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].id, ids[3]);
  EXPECT_EQ(rows[1].id, ids[2]);
  EXPECT_EQ(rows[2].id, ids[0]);
  EXPECT_EQ(store_->LoadAgents()->size(), 1u);
  EXPECT_EQ(store_->LatestHeartbeats()->size(), 1u);
  auto next = Append(*store_, {MakeExecution("o", "a", At(6))});
  ASSERT_EQ(next.size(), 1u);
  EXPECT_GT(next[0], ids[3]);
  store_->Flush();
  EXPECT_EQ(Query(Q("o", "a")).size(), 4u);
}

TEST_P(StoreContractDurabilityTest, RetentionDeletesOldDataAndKeepsNewer) {
  auto write_day = [&](int day, int executions) {
    clock_.Set(At(day * kDayUs + 12 * kHourUs));
    Append(*store_, MakeExecutionsAt("o", "a", 5, clock_.Now(), executions));
    ASSERT_TRUE(AppendHeartbeats(*store_, {{0, "o", "a0", clock_.Now(), clock_.Now(), ""}}).ok());
    store_->RecordMetrics({{"o", "agent", "a0", "m", 1, 2, 3, clock_.Now(), "", "healthy"}});
    store_->RecordTransitions({{"o",
                                "a0",
                                core::TransitionKind::kChanged,
                                core::HealthStatus::kUnknown,
                                core::HealthStatus::kHealthy,
                                100,
                                {},
                                clock_.Now()}});
    HealthRecord h{"o", "a0", {}};
    h.snapshot.status = core::HealthStatus::kHealthy;
    h.snapshot.calculated_at = clock_.Now();
    store_->RecordHealth({h});
    store_->Flush();
  };
  write_day(0, 2000);
  write_day(1, 10);
  write_day(2, 10);
  const core::Status retention = store_->RunRetention(At(kDayUs + 6 * kHourUs));
  ASSERT_TRUE(retention.ok()) << retention.ToString();
  EXPECT_EQ(Query(Q("o", "a0").Limit(10'000)).size(), 4u);
  auto after = store_->ExecutionsAfter(0, 100'000);
  ASSERT_EQ(after->size(), 20u);
  EXPECT_EQ(after->front().event.timestamp, At(kDayUs + 12 * kHourUs));
  EXPECT_EQ(store_->QueryHeartbeats("o", "a0", std::nullopt, std::nullopt, 10)->size(), 2u);
  EXPECT_EQ(store_->QueryMetrics("o", "agent", "a0", "m", At(0), At(3 * kDayUs), 10)->size(), 2u);
  EXPECT_EQ(store_->QueryTransitions("o", "a0", std::nullopt, 10)->size(), 2u);
  EXPECT_EQ(
      store_->QueryAgentHistory("o", "a0", At(0), At(3 * kDayUs), std::chrono::hours(1))->size(),
      2u);
  EXPECT_GE(store_->Stats().rows_deleted_by_retention, 2000u + 1 + 1 + 1 + 1);
  // Nothing newer is touched by a second run.
  ASSERT_TRUE(store_->RunRetention(At(kDayUs + 6 * kHourUs)).ok());
  EXPECT_EQ(store_->ExecutionsAfter(0, 100)->size(), 20u);
}

struct Ack {
  int64_t batch;
  int64_t first_id;
  int64_t count;
};

constexpr int kCrashBatch = 50;

std::string CrashExecutionId(int64_t batch, int64_t row) {
  return "b" + std::to_string(batch) + "-" + std::to_string(row);
}

// The child: appends batches (a few in flight) until killed, reporting each acknowledged batch.
[[noreturn]] void AppendUntilKilled(core::Result<std::unique_ptr<Store>> store, int ack_fd) {
  if (!store.ok()) _exit(2);
  std::atomic<int> in_flight{0};
  for (int64_t b = 0; b < 1'000'000; ++b) {
    while (in_flight.load() >= 4) std::this_thread::sleep_for(std::chrono::microseconds(100));
    std::vector<ExecutionWrite> rows;
    for (int i = 0; i < kCrashBatch; ++i) {
      ExecutionWrite w =
          MakeExecution("o", "a" + std::to_string(i % 3), core::FromMicros(b * 100 + i));
      w.event.execution_id = CrashExecutionId(b, i);
      rows.push_back(std::move(w));
    }
    ++in_flight;
    (*store)->AppendExecutions(std::move(rows),
                               [&, b](core::Status s, std::span<const int64_t> ids) {
                                 if (s.ok()) {
                                   const Ack ack{b, ids.front(), static_cast<int64_t>(ids.size())};
                                   if (write(ack_fd, &ack, sizeof ack) != sizeof ack) _exit(3);
                                 }
                                 --in_flight;
                               });
  }
  _exit(0);
}

TEST_P(StoreContractDurabilityTest, KilledProcessKeepsEveryAcknowledgedBatch) {
  Close();  // the child is the only process writing
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    AppendUntilKilled(OpenAnother(), fds[1]);
  }
  close(fds[1]);
  std::mt19937 rng(std::random_device{}());
  const auto kill_at = std::chrono::steady_clock::now() +
                       std::chrono::milliseconds(std::uniform_int_distribution<int>(150, 600)(rng));
  std::vector<Ack> acks;
  bool killed = false;
  for (;;) {
    if (!killed && std::chrono::steady_clock::now() >= kill_at) {
      ASSERT_EQ(kill(pid, SIGKILL), 0);
      killed = true;
    }
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, 10) <= 0) continue;
    Ack ack;
    const ssize_t n = read(fds[0], &ack, sizeof ack);
    if (n == 0) break;  // the child is gone and everything it wrote has been read
    ASSERT_EQ(n, static_cast<ssize_t>(sizeof ack));
    acks.push_back(ack);
  }
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child exited early";
  ASSERT_GT(acks.size(), 3u) << "the child acknowledged too little before the kill";

  ASSERT_TRUE(Reopen());
  int64_t max_id = 0;
  for (const Ack& ack : acks) {
    auto rows = store_->ExecutionsAfter(ack.first_id - 1, static_cast<int>(ack.count));
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), static_cast<size_t>(ack.count)) << "batch " << ack.batch;
    for (int64_t i = 0; i < ack.count; ++i) {
      const StoredExecution& r = (*rows)[i];
      EXPECT_EQ(r.id, ack.first_id + i);
      EXPECT_EQ(r.event.execution_id, CrashExecutionId(ack.batch, i));
      EXPECT_EQ(r.event.agent_id, "a" + std::to_string(i % 3));
      EXPECT_EQ(r.event.timestamp, core::FromMicros(ack.batch * 100 + i));
    }
    max_id = std::max(max_id, ack.first_id + ack.count - 1);
  }
  // The recent acknowledged rows are found by agent too (in SQLite: through the block index and
  // the rebuilt tail; 500 batches of a0's 17 rows fit the query's limit, with room for
  // unacknowledged ones).
  std::set<int64_t> found;
  for (const auto& r : Query(Q("o", "a0").Limit(10'000))) found.insert(r.id);
  int64_t last_batch = 0;
  for (const Ack& ack : acks) last_batch = std::max(last_batch, ack.batch);
  for (const Ack& ack : acks) {
    if (ack.batch < last_batch - 500) continue;
    for (int64_t i = 0; i < ack.count; i += 3) EXPECT_EQ(found.count(ack.first_id + i), 1u);
  }
  auto next = Append(*store_, {MakeExecution("o", "a0", At(0))});
  ASSERT_EQ(next.size(), 1u);
  EXPECT_GT(next[0], max_id);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractDurabilityTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres), BackendName);

}  // namespace
}  // namespace vitals::store::testing
