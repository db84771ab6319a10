// The file behind the store: its sealed tail and migrations across reopens, day tables dropped
// by retention, a full queue, the WAL and options the file cannot be opened with.
#include <thread>
#include <utility>

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

// A close leaves the unsealed tail in the day table only: the next open rebuilds it from there.
TEST_F(DurabilityTest, CloseRecordsTheLastSealedIdAndLeavesTheTailUnsealed) {
  std::vector<int64_t> sealed;
  {
    auto store = Open();
    sealed = Append(*store, {MakeExecution("o", "a", At(1)), MakeExecution("o", "b", At(2))});
    store->Flush();
    Append(*store, {MakeExecution("o", "a", At(3))});
  }
  EXPECT_EQ(
      QueryInt(Options().path, "SELECT value FROM meta WHERE key = 'last_sealed_execution_id'"),
      sealed[1]);
  EXPECT_EQ(QueryInt(Options().path, "SELECT COUNT(*) FROM executions_20261123"), 3);
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

// Retention drops whole day tables with their block index, in steps when a day is large.
TEST_F(DurabilityTest, RetentionDropsOldDayTablesAndTheirBlocks) {
  auto store = Open();
  const std::pair<int, int> days[] = {{0, 45'000}, {1, 10}, {2, 10}};  // day, executions
  for (const auto& [day, executions] : days) {
    clock_.Set(At(day * kDayUs + 12 * kHourUs));
    Append(*store, MakeExecutionsAt("o", "a", 5, clock_.Now(), executions));
    store->Flush();
  }
  const std::string path = Options().path;
  ASSERT_EQ(QueryInt(path, "SELECT COUNT(*) FROM execution_partitions"), 3);
  ASSERT_TRUE(store->RunRetention(At(kDayUs + 6 * kHourUs)).ok());
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'executions_20261123'"),
            0);
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM execution_partitions"), 2);
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM execution_blocks"), 10);  // days 1 and 2, 5 agents
  EXPECT_GE(store->Stats().rows_deleted_by_retention, 45'000u + 5);
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

}  // namespace
}  // namespace vitals::store::testing
