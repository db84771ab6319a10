// What must survive: reopen, migrations, retention, a full queue, and a kill -9 mid-ingest.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <set>
#include <thread>

#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_test_util.h"
#include "store/sqlite/writer.h"

namespace vitals::store::testing {
namespace {

class DurabilityTest : public StoreTest {
 protected:
  // Commits 40 rows of agent "a", at the offsets from `ts` on.
  void AppendForty(Store& store, int64_t& ts) {
    std::vector<ExecutionWrite> rows;
    for (int i = 0; i < 40; ++i) rows.push_back(MakeExecution("o", "a", At(ts++)));
    Append(store, std::move(rows));
  }
};

int64_t FileSize(const std::string& path) {
  return static_cast<int64_t>(std::filesystem::file_size(path));
}

TEST_F(DurabilityTest, ReopenKeepsEverythingRebuildsTheTailAndContinuesIds) {
  std::vector<int64_t> ids;
  {
    auto store = Open();
    ids = Append(*store, {MakeExecution("o", "a", At(1)), MakeExecution("o", "b", At(2))});
    store->Flush();  // sealed
    auto more = Append(*store, {MakeExecution("o", "a", At(3)), MakeExecution("o", "a", At(4))});
    ids.insert(ids.end(), more.begin(), more.end());  // unsealed when the store closes
    ASSERT_TRUE(store->UpsertAgent({"o", "a", {}, At(0), At(0)}).ok());
    ASSERT_TRUE(AppendHeartbeats(*store, {{0, "o", "a", At(5), At(5), ""}}).ok());
  }
  EXPECT_EQ(
      QueryInt(Options().path, "SELECT value FROM meta WHERE key = 'last_sealed_execution_id'"),
      ids[1]);
  auto store = Open();
  auto rows = Query(*store, Q("o", "a"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].id, ids[3]);
  EXPECT_EQ(rows[1].id, ids[2]);
  EXPECT_EQ(rows[2].id, ids[0]);
  EXPECT_EQ(store->LoadAgents()->size(), 1u);
  EXPECT_EQ(store->LatestHeartbeats()->size(), 1u);
  auto next = Append(*store, {MakeExecution("o", "a", At(6))});
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0], ids[3] + 1);
  store->Flush();  // the rebuilt tail seals like any other
  EXPECT_EQ(Query(*store, Q("o", "a")).size(), 4u);
}

TEST_F(DurabilityTest, MigrationsAreIdempotentOnReopen) {
  for (int i = 0; i < 3; ++i) {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    Append(*store, {MakeExecution("o", "a", At(i))});
  }
  const std::string path = Options().path;
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM schema_migrations"), LatestSchemaVersion());
  EXPECT_EQ(QueryInt(path, "SELECT MAX(version) FROM schema_migrations"), LatestSchemaVersion());
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM " + std::string("executions_20261123")), 3);
  EXPECT_EQ(Query(*Open(), Q("o", "a")).size(), 3u);
}

TEST_F(DurabilityTest, RetentionDropsOldDaysAndKeepsNewer) {
  auto store = Open();
  auto write_day = [&](int day, int executions) {
    clock_.Set(At(day * kDayUs + 12 * kHourUs));
    std::vector<ExecutionWrite> rows;
    for (int i = 0; i < executions; ++i)
      rows.push_back(MakeExecution("o", "a" + std::to_string(i % 5), clock_.Now()));
    Append(*store, rows);
    ASSERT_TRUE(AppendHeartbeats(*store, {{0, "o", "a0", clock_.Now(), clock_.Now(), ""}}).ok());
    store->RecordMetrics({{"o", "agent", "a0", "m", 1, 2, 3, clock_.Now(), "", "healthy"}});
    store->RecordTransitions({{"o",
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
    store->RecordHealth({h});
    store->Flush();
  };
  write_day(0, 45'000);  // more than one retention step's worth
  write_day(1, 10);
  write_day(2, 10);
  const std::string path = Options().path;
  ASSERT_EQ(QueryInt(path, "SELECT COUNT(*) FROM execution_partitions"), 3);
  const core::Status retention = store->RunRetention(At(kDayUs + 6 * kHourUs));
  ASSERT_TRUE(retention.ok()) << retention.ToString();
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'executions_20261123'"),
            0);
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM execution_partitions"), 2);
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM execution_blocks"), 10);  // days 1 and 2, 5 agents
  EXPECT_EQ(Query(*store, Q("o", "a0").Limit(10'000)).size(), 4u);
  auto after = store->ExecutionsAfter(0, 100'000);
  ASSERT_EQ(after->size(), 20u);
  EXPECT_EQ(after->front().event.timestamp, At(kDayUs + 12 * kHourUs));
  EXPECT_EQ(store->QueryHeartbeats("o", "a0", std::nullopt, std::nullopt, 10)->size(), 2u);
  EXPECT_EQ(store->QueryMetrics("o", "agent", "a0", "m", At(0), At(3 * kDayUs), 10)->size(), 2u);
  EXPECT_EQ(store->QueryTransitions("o", "a0", std::nullopt, 10)->size(), 2u);
  EXPECT_EQ(
      store->QueryAgentHistory("o", "a0", At(0), At(3 * kDayUs), std::chrono::hours(1))->size(),
      2u);
  EXPECT_GE(store->Stats().rows_deleted_by_retention, 45'000u + 5 + 1 + 1 + 1 + 1);
  // Nothing newer is touched by a second run.
  ASSERT_TRUE(store->RunRetention(At(kDayUs + 6 * kHourUs)).ok());
  EXPECT_EQ(store->ExecutionsAfter(0, 100)->size(), 20u);
}

// Between seals the sequence and a partition's newest timestamp live only in the rows; a reopen
// must recover both, and a day roll-over must record the old day's for retention.
TEST_F(DurabilityTest, UnsealedRowsKeepIdsAndRetentionCorrectAcrossReopenAndDayRollOver) {
  const std::string path = Options().path;
  std::vector<int64_t> ids;
  {
    auto store = Open();
    clock_.Set(At(12 * kHourUs));
    ids = Append(*store, {MakeExecution("o", "a", At(11 * kHourUs)),
                          MakeExecution("o", "a", At(12 * kHourUs))});
  }
  ASSERT_EQ(QueryInt(path, "SELECT value FROM meta WHERE key = 'last_sealed_execution_id'"), 0);
  {
    auto store = Open();
    clock_.Set(At(kDayUs + kHourUs));
    auto next = Append(*store, {MakeExecution("o", "a", clock_.Now())});
    ASSERT_EQ(next.size(), 1u);
    EXPECT_EQ(next[0], ids[1] + 1);
    EXPECT_EQ(QueryInt(path,
                       "SELECT max_ts FROM execution_partitions WHERE day = (SELECT "
                       "MIN(day) FROM execution_partitions)"),
              core::ToMicros(At(12 * kHourUs)));
    // Day 0's newest row is 12:00: a cutoff before it keeps the day, one after drops it.
    ASSERT_TRUE(store->RunRetention(At(11 * kHourUs + 30 * 60'000'000LL)).ok());
    EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM execution_partitions"), 2);
    ASSERT_TRUE(store->RunRetention(At(13 * kHourUs)).ok());
    EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM execution_partitions"), 1);
    EXPECT_EQ(Query(*store, Q("o", "a")).size(), 1u);
  }
}

TEST_F(DurabilityTest, FullQueueIsResourceExhaustedOnTheCallersThread) {
  SqliteOptions o = Options();
  o.write_queue_capacity = 100;
  auto store = Open(o);
  std::vector<ExecutionWrite> rows(101, MakeExecution("o", "a", At(1)));
  bool called = false;
  store->AppendExecutions(rows, [&](core::Status s, std::span<const int64_t> ids) {
    called = true;
    EXPECT_EQ(s.code(), core::StatusCode::kResourceExhausted);
    EXPECT_TRUE(ids.empty());
  });
  EXPECT_TRUE(called);  // before AppendExecutions returned, so on this thread
  called = false;
  store->AppendHeartbeats(std::vector<StoredHeartbeat>(101, {0, "o", "a", At(1), At(1), ""}),
                          [&](core::Status s) {
                            called = true;
                            EXPECT_EQ(s.code(), core::StatusCode::kResourceExhausted);
                          });
  EXPECT_TRUE(called);
  rows.pop_back();
  EXPECT_EQ(Append(*store, rows).size(), 100u);  // at capacity is fine
  EXPECT_EQ(store->Stats().queue_capacity, 100u);
}

TEST_F(DurabilityTest, StatsCountWritesAndCommits) {
  auto store = Open();
  Append(*store, {MakeExecution("o", "a", At(1)), MakeExecution("o", "a", At(2))});
  ASSERT_TRUE(AppendHeartbeats(*store, {{0, "o", "a", At(1), At(1), ""}}).ok());
  const StoreStats s = store->Stats();
  EXPECT_EQ(s.executions_written, 2u);
  EXPECT_EQ(s.heartbeats_written, 1u);
  EXPECT_GE(s.commits, 2u);
  EXPECT_EQ(s.commit_failures, 0u);
  EXPECT_GT(s.commit_ms_total, 0);
  EXPECT_GT(s.last_commit_ms, 0);
  EXPECT_EQ(s.queue_depth, 0u);
  EXPECT_EQ(s.queue_capacity, Options().write_queue_capacity);
}

// Small commits are cheap only while the WAL is overwritten in place: a WAL trimmed back at each
// restart makes every commit grow the file again (and its fdatasync write the new size).
TEST_F(DurabilityTest, WalRestartsInPlaceWithoutShrinkingBelowItsBound) {
  SqliteOptions o = Options();
  o.wal_checkpoint_bytes = 256 << 10;
  const int64_t hard_bound = kWalHardBoundFactor * o.wal_checkpoint_bytes;
  auto store = Open(o);
  ASSERT_NE(store, nullptr);
  const std::string wal = o.path + "-wal";
  int64_t largest = 0;
  int64_t appended = 0;  // bytes of rows, a lower bound of what the WAL received
  int64_t ts = 0;
  for (int commit = 0; appended < 10 * (kWalHardBoundFactor + 1) * o.wal_checkpoint_bytes;
       ++commit) {
    AppendForty(*store, ts);
    appended += 40 * 200;
    const int64_t size = FileSize(wal);
    if (largest >= hard_bound) {
      ASSERT_GE(size, hard_bound) << "WAL trimmed after commit " << commit;
    }
    largest = std::max(largest, size);
  }
  EXPECT_GE(largest, hard_bound);
  EXPECT_LT(largest, appended / 2) << "the WAL never restarted";
}

// Past the checkpoint bound the checkpointer copies frames into the database file on its own
// thread, long before the writer's hard bound makes the writer do it.
TEST_F(DurabilityTest, CheckpointerCopiesFramesBeforeTheHardBound) {
  SqliteOptions o = Options();
  o.wal_checkpoint_bytes = 1 << 20;
  auto store = Open(o);
  ASSERT_NE(store, nullptr);
  const int64_t db_before = FileSize(o.path);
  const std::string wal = o.path + "-wal";
  const int64_t start_wal = FileSize(wal);
  int64_t ts = 0;
  // Past the bound by half, far from the writer's own checkpoint at kWalHardBoundFactor times it.
  while (FileSize(wal) - start_wal < o.wal_checkpoint_bytes * 3 / 2) AppendForty(*store, ts);
  ASSERT_LT(FileSize(wal), kWalHardBoundFactor * o.wal_checkpoint_bytes);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (FileSize(o.path) <= db_before && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(FileSize(o.path), db_before) << "no frame reached the database file";
}

TEST_F(DurabilityTest, BadOptionsAndUnopenableFilesFail) {
  SqliteOptions o = Options();
  o.synchronous = "off";
  EXPECT_EQ(OpenSqliteStore(o).status().code(), core::StatusCode::kInvalidArgument);
  o = Options();
  o.path = dir_.File("missing/dir/vitals.db");
  auto r = OpenSqliteStore(o);
  ASSERT_EQ(r.status().code(), core::StatusCode::kIoError);
  EXPECT_NE(r.status().message().find("missing/dir/vitals.db"), std::string::npos);
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
[[noreturn]] void AppendUntilKilled(const SqliteOptions& options, int ack_fd) {
  auto store = OpenSqliteStore(options);
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

TEST_F(DurabilityTest, KilledProcessKeepsEveryAcknowledgedBatch) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    AppendUntilKilled(Options(), fds[1]);
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

  auto store = Open();
  ASSERT_NE(store, nullptr);
  int64_t max_id = 0;
  for (const Ack& ack : acks) {
    auto rows = store->ExecutionsAfter(ack.first_id - 1, static_cast<int>(ack.count));
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
  // The recent acknowledged rows are found through the block index and the rebuilt tail too
  // (500 batches of a0's 17 rows fit the query's limit, with room for unacknowledged ones).
  std::set<int64_t> found;
  for (const auto& r : Query(*store, Q("o", "a0").Limit(10'000))) found.insert(r.id);
  int64_t last_batch = 0;
  for (const Ack& ack : acks) last_batch = std::max(last_batch, ack.batch);
  for (const Ack& ack : acks) {
    if (ack.batch < last_batch - 500) continue;
    for (int64_t i = 0; i < ack.count; i += 3) EXPECT_EQ(found.count(ack.first_id + i), 1u);
  }
  auto next = Append(*store, {MakeExecution("o", "a0", At(0))});
  ASSERT_EQ(next.size(), 1u);
  EXPECT_GT(next[0], max_id);
}

}  // namespace
}  // namespace vitals::store::testing
