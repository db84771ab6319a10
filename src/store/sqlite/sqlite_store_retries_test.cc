// The window of recent executions a retry is recognized among: bounded by
// SqliteOptions::recent_executions, and read back on reopen.
#include "store/sqlite/sqlite_test_util.h"

namespace vitals::store::testing {
namespace {

class RetriesTest : public StoreTest {};

TEST_F(RetriesTest, TheWindowHoldsTheLatestRowsOnly) {
  SqliteOptions o = Options();
  o.recent_executions = 4;
  auto store = Open(o);
  std::vector<ExecutionWrite> rows;
  for (int i = 0; i < 6; ++i) rows.push_back(MakeExecution("o", "a", At(i)));
  Append(*store, rows);
  EXPECT_EQ(Append(*store, {rows[5], rows[2]}),
            (std::vector<int64_t>{kDuplicateExecution, kDuplicateExecution}));
  EXPECT_GT(Append(*store, {rows[1]}).at(0), 0);  // pushed out: stored again
  // A reopen reads back as many of the latest rows as the window holds.
  store.reset();
  store = Open(o);
  EXPECT_EQ(Append(*store, {rows[1], rows[5]}),
            (std::vector<int64_t>{kDuplicateExecution, kDuplicateExecution}));
  EXPECT_GT(Append(*store, {rows[2]}).at(0), 0);
}

}  // namespace
}  // namespace vitals::store::testing
