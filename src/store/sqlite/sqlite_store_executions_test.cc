// A group commit that fails half-way through a multi-row statement, forced by a trigger added to
// the file.
#include <future>

#include "store/sqlite/sqlite_test_util.h"

namespace vitals::store::testing {
namespace {

class ExecutionsTest : public StoreTest {};

// The multi-row inserts skip SQLite's per-statement undo (INSERT OR FAIL, no statement journal),
// so a row that fails half-way through a statement relies on the writer rolling the group's
// transaction back whole: no row of the failed group is kept or listed, and its ids are given out
// again.
TEST_F(ExecutionsTest, ARowThatFailsMidStatementRollsBackTheWholeGroup) {
  const std::string path = Options().path;
  {
    auto store = Open();
    ASSERT_EQ(Append(*store, {MakeExecution("o", "a", At(0))}), std::vector<int64_t>{1});
  }
  const std::string table =
      "executions_" + std::to_string(QueryInt(path, "SELECT MAX(day) FROM execution_partitions"));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string trigger = "CREATE TRIGGER refuse BEFORE INSERT ON " + table +
                              " WHEN NEW.agent_id = 'refused' BEGIN SELECT RAISE(FAIL, 'no'); END";
  EXPECT_EQ(sqlite3_exec(db, trigger.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);

  auto store = Open();
  std::vector<ExecutionWrite> rows;
  for (int i = 1; i <= 5; ++i) rows.push_back(MakeExecution("o", i == 3 ? "refused" : "b", At(i)));
  std::promise<std::pair<core::Status, size_t>> failed;
  store->AppendExecutions(std::move(rows), [&failed](core::Status s, std::span<const int64_t> ids) {
    failed.set_value({std::move(s), ids.size()});
  });
  const auto [status, id_count] = failed.get_future().get();
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(id_count, 0u);  // rows that were not kept have no ids
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM " + table), 1);
  EXPECT_TRUE(Query(*store, Q("o", "b")).empty());
  EXPECT_EQ(Append(*store, {MakeExecution("o", "c", At(9))}), std::vector<int64_t>{2});
  EXPECT_EQ(Query(*store, Q("o", "c")).size(), 1u);
}

}  // namespace
}  // namespace vitals::store::testing
