// A client's retry of executions already stored: recognized by key and content
// (kDuplicateExecution / kConflictingExecution), not stored twice, also after a reopen; a start
// and its finish are two keys.
#include "store/contract/store_contract_fixture.h"

namespace vitals::store::testing {
namespace {

class StoreContractRetriesTest : public StoreContractTest {};

TEST_P(StoreContractRetriesTest, TheSameRowsAgainAreDuplicatesAndStoredOnce) {
  const std::vector<ExecutionWrite> rows = {MakeExecution("o", "a", At(1)),
                                            MakeExecution("o", "a", At(2)),
                                            MakeExecution("o", "b", At(3))};
  const auto first = Append(*store_, rows);
  ASSERT_EQ(first.size(), 3u);
  for (int64_t id : first) EXPECT_GT(id, 0);
  EXPECT_EQ(Append(*store_, rows), std::vector<int64_t>(3, kDuplicateExecution));
  // A retry in the same batch as new rows, and a row repeated inside one batch.
  const ExecutionWrite fresh = MakeExecution("o", "a", At(4));
  const auto mixed = Append(*store_, {rows[1], fresh, fresh});
  EXPECT_EQ(mixed[0], kDuplicateExecution);
  EXPECT_EQ(mixed[1], first[2] + 1);
  EXPECT_EQ(mixed[2], kDuplicateExecution);
  EXPECT_EQ(Query(Q("o", "a")).size(), 3u);
  EXPECT_EQ(store_->Stats().executions_written, 4u);
}

TEST_P(StoreContractRetriesTest, OtherContentUnderAStoredKeyIsAConflictAndTheFirstIsKept) {
  ExecutionWrite row = MakeExecution("o", "a", At(1));
  Append(*store_, {row});
  ExecutionWrite changed = row;
  changed.event.status = "error";
  EXPECT_EQ(Append(*store_, {changed}), std::vector<int64_t>{kConflictingExecution});
  ExecutionWrite later = row;  // the timestamp is not content: a client may leave it to us
  later.event.timestamp = At(500);
  EXPECT_EQ(Append(*store_, {later}), std::vector<int64_t>{kDuplicateExecution});
  ExecutionWrite elsewhere = row;  // another agent's (or organization's) id is another key
  elsewhere.event.agent_id = "b";
  EXPECT_GT(Append(*store_, {elsewhere}).at(0), 0);
  elsewhere.event.organization_id = "p";
  EXPECT_GT(Append(*store_, {elsewhere}).at(0), 0);
  const auto stored = Query(Q("o", "a"));
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].event.status, "success");
}

TEST_P(StoreContractRetriesTest, AStartAndItsFinishAreBothStoredAndRowsWithoutAnIdAlways) {
  ExecutionWrite start = MakeExecution("o", "a", At(1), "success", /*started_only=*/true);
  ExecutionWrite finish = start;
  finish.started_only = false;
  EXPECT_GT(Append(*store_, {start}).at(0), 0);
  EXPECT_GT(Append(*store_, {finish}).at(0), 0);
  EXPECT_EQ(Append(*store_, {start, finish}),
            (std::vector<int64_t>{kDuplicateExecution, kDuplicateExecution}));
  ExecutionWrite anonymous = MakeExecution("o", "a", At(2));
  anonymous.event.execution_id.clear();
  EXPECT_GT(Append(*store_, {anonymous}).at(0), 0);
  EXPECT_GT(Append(*store_, {anonymous}).at(0), 0);
  EXPECT_EQ(Query(Q("o", "a").Started()).size(), 4u);
}

TEST_P(StoreContractRetriesTest, RetriesAreRecognizedAfterAReopen) {
  std::vector<ExecutionWrite> rows;
  for (int i = 0; i < 50; ++i) rows.push_back(MakeExecution("o", "a", At(i)));
  Append(*store_, {rows.begin(), rows.begin() + 20});
  store_->Flush();                                   // SQLite: sealed
  Append(*store_, {rows.begin() + 20, rows.end()});  // SQLite: in the tail when the store closes
  ASSERT_TRUE(Reopen());
  EXPECT_EQ(Append(*store_, rows), std::vector<int64_t>(rows.size(), kDuplicateExecution));
  EXPECT_EQ(Query(Q("o", "a").Limit(1000)).size(), 50u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractRetriesTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres), BackendName);

}  // namespace
}  // namespace vitals::store::testing
