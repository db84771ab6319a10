// A client's retry of executions already stored: recognized by key and content, not stored twice,
// also after a reopen; a start and its finish are two keys; the window is bounded.
#include "store/sqlite/sqlite_test_util.h"

namespace vitals::store::testing {
namespace {

class RetriesTest : public StoreTest {};

TEST_F(RetriesTest, TheSameRowsAgainAreDuplicatesAndStoredOnce) {
  auto store = Open();
  const std::vector<ExecutionWrite> rows = {MakeExecution("o", "a", At(1)),
                                            MakeExecution("o", "a", At(2)),
                                            MakeExecution("o", "b", At(3))};
  const auto first = Append(*store, rows);
  ASSERT_EQ(first.size(), 3u);
  for (int64_t id : first) EXPECT_GT(id, 0);
  EXPECT_EQ(Append(*store, rows), std::vector<int64_t>(3, kDuplicateExecution));
  // A retry in the same batch as new rows, and a row repeated inside one batch.
  const ExecutionWrite fresh = MakeExecution("o", "a", At(4));
  const auto mixed = Append(*store, {rows[1], fresh, fresh});
  EXPECT_EQ(mixed[0], kDuplicateExecution);
  EXPECT_EQ(mixed[1], first[2] + 1);
  EXPECT_EQ(mixed[2], kDuplicateExecution);
  EXPECT_EQ(Query(*store, Q("o", "a")).size(), 3u);
  EXPECT_EQ(store->Stats().executions_written, 4u);
}

TEST_F(RetriesTest, OtherContentUnderAStoredKeyIsAConflictAndTheFirstIsKept) {
  auto store = Open();
  ExecutionWrite row = MakeExecution("o", "a", At(1));
  Append(*store, {row});
  ExecutionWrite changed = row;
  changed.event.status = "error";
  EXPECT_EQ(Append(*store, {changed}), std::vector<int64_t>{kConflictingExecution});
  ExecutionWrite later = row;  // the timestamp is not content: a client may leave it to us
  later.event.timestamp = At(500);
  EXPECT_EQ(Append(*store, {later}), std::vector<int64_t>{kDuplicateExecution});
  ExecutionWrite elsewhere = row;  // another agent's (or organization's) id is another key
  elsewhere.event.agent_id = "b";
  EXPECT_GT(Append(*store, {elsewhere}).at(0), 0);
  elsewhere.event.organization_id = "p";
  EXPECT_GT(Append(*store, {elsewhere}).at(0), 0);
  const auto stored = Query(*store, Q("o", "a"));
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].event.status, "success");
}

TEST_F(RetriesTest, AStartAndItsFinishAreBothStoredAndRowsWithoutAnIdAlways) {
  auto store = Open();
  ExecutionWrite start = MakeExecution("o", "a", At(1), "success", /*started_only=*/true);
  ExecutionWrite finish = start;
  finish.started_only = false;
  EXPECT_GT(Append(*store, {start}).at(0), 0);
  EXPECT_GT(Append(*store, {finish}).at(0), 0);
  EXPECT_EQ(Append(*store, {start, finish}),
            (std::vector<int64_t>{kDuplicateExecution, kDuplicateExecution}));
  ExecutionWrite anonymous = MakeExecution("o", "a", At(2));
  anonymous.event.execution_id.clear();
  EXPECT_GT(Append(*store, {anonymous}).at(0), 0);
  EXPECT_GT(Append(*store, {anonymous}).at(0), 0);
  EXPECT_EQ(Query(*store, Q("o", "a").Started()).size(), 4u);
}

TEST_F(RetriesTest, RetriesAreRecognizedAfterAReopen) {
  std::vector<ExecutionWrite> rows;
  for (int i = 0; i < 50; ++i) rows.push_back(MakeExecution("o", "a", At(i)));
  {
    auto store = Open();
    Append(*store, {rows.begin(), rows.begin() + 20});
    store->Flush();                                   // sealed
    Append(*store, {rows.begin() + 20, rows.end()});  // in the tail when the store closes
  }
  auto store = Open();
  EXPECT_EQ(Append(*store, rows), std::vector<int64_t>(rows.size(), kDuplicateExecution));
  EXPECT_EQ(Query(*store, Q("o", "a").Limit(1000)).size(), 50u);
}

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
