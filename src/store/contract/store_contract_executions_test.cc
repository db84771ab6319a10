// The execution log: ids, every field, and queries across flushes, day boundaries and
// organizations.
#include <algorithm>

#include "store/contract/store_contract_fixture.h"

namespace vitals::store::testing {
namespace {

class StoreContractExecutionsTest : public StoreContractTest {};

std::vector<std::string> ExecutionIds(const std::vector<StoredExecution>& rows) {
  std::vector<std::string> ids;
  for (const auto& r : rows) ids.push_back(r.event.execution_id);
  return ids;
}

TEST_P(StoreContractExecutionsTest, RoundTripsEveryField) {
  ExecutionWrite full = MakeExecution("org", "a", At(1000), "timeout");
  core::ExecutionEvent& e = full.event;
  e.action_name = "summarize";
  e.input_summary = "in: \"quoted\"";
  e.output_summary = "out ✓";
  e.error_message = "deadline exceeded";
  e.latency_ms = 1234.5678;
  e.token_count = 9'000'000'000;
  e.cost_usd = 0.0123;
  e.metadata_json = R"({"k":[1,2]})";
  e.integration_id = "openai";
  ExecutionWrite bare = MakeExecution("org", "a", At(2000));
  bare.started_only = true;
  auto ids = Append(*store_, {full, bare});
  ASSERT_EQ(ids.size(), 2u);
  auto rows = Query(Q("org", "a").Started());
  ASSERT_EQ(rows.size(), 2u);
  const StoredExecution& got = rows[1];  // older
  EXPECT_EQ(got.id, ids[0]);
  EXPECT_EQ(got.event.organization_id, "org");
  EXPECT_EQ(got.event.agent_id, "a");
  EXPECT_EQ(got.event.execution_id, e.execution_id);
  EXPECT_EQ(got.event.action_type, "llm_call");
  EXPECT_EQ(got.event.action_name, e.action_name);
  EXPECT_EQ(got.event.input_summary, e.input_summary);
  EXPECT_EQ(got.event.output_summary, e.output_summary);
  EXPECT_EQ(got.event.status, "timeout");
  EXPECT_EQ(got.event.error_message, e.error_message);
  EXPECT_EQ(got.event.latency_ms, e.latency_ms);
  EXPECT_EQ(got.event.token_count, e.token_count);
  EXPECT_EQ(got.event.cost_usd, e.cost_usd);
  EXPECT_EQ(got.event.metadata_json, e.metadata_json);
  EXPECT_EQ(got.event.integration_id, "openai");
  EXPECT_EQ(got.event.timestamp, e.timestamp);
  EXPECT_FALSE(got.started_only);
  EXPECT_EQ(got.received_at, full.received_at);
  EXPECT_EQ(rows[0].id, ids[1]);
  EXPECT_TRUE(rows[0].started_only);
  EXPECT_EQ(rows[0].event.token_count, std::nullopt);
  EXPECT_EQ(rows[0].event.action_name, "");
}

TEST_P(StoreContractExecutionsTest, IdsIncreaseAcrossBatchesAndExecutionsAfterPagesInOrder) {
  std::vector<int64_t> all;
  for (int b = 0; b < 5; ++b) {
    std::vector<ExecutionWrite> rows;
    for (int i = 0; i < 7; ++i)
      rows.push_back(MakeExecution("o", "a" + std::to_string(i), At(b * 10 + i)));
    auto ids = Append(*store_, rows);
    all.insert(all.end(), ids.begin(), ids.end());
    if (b == 2) store_->Flush();
  }
  ASSERT_EQ(all.size(), 35u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
  std::vector<int64_t> paged;
  int64_t after = 0;
  for (;;) {
    auto page = store_->ExecutionsAfter(after, 8);
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    EXPECT_LE(page->size(), 8u);
    for (const auto& r : *page) paged.push_back(r.id);
    after = page->back().id;
  }
  EXPECT_EQ(paged, all);
  auto tail = store_->ExecutionsAfter(all[30], 100);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 4u);
  EXPECT_EQ(tail->front().id, all[31]);
}

TEST_P(StoreContractExecutionsTest, NewestFirstAcrossFlushes) {
  Append(*store_, {MakeExecution("o", "a", At(10)), MakeExecution("o", "b", At(11)),
                   MakeExecution("o", "a", At(30))});
  store_->Flush();  // SQLite seals: a's first two rows are now in a block
  Append(*store_, {MakeExecution("o", "a", At(20)), MakeExecution("o", "a", At(40))});
  store_->Flush();
  Append(*store_, {MakeExecution("o", "a", At(25)), MakeExecution("o", "a", At(50))});  // tail
  auto rows = Query(Q("o", "a"));
  std::vector<int64_t> ts;
  for (const auto& r : rows) ts.push_back(core::ToMicros(r.event.timestamp) - start_us_);
  EXPECT_EQ(ts, (std::vector<int64_t>{50, 40, 30, 25, 20, 10}));
  auto two = Query(Q("o", "a").Limit(2));
  EXPECT_EQ(ExecutionIds(two),
            (std::vector<std::string>{ExecutionIds(rows)[0], ExecutionIds(rows)[1]}));
}

TEST_P(StoreContractExecutionsTest, FiltersByTimeStatusStartedAndLimit) {
  std::vector<ExecutionWrite> rows;
  for (int i = 0; i < 40; ++i) {
    rows.push_back(MakeExecution("o", "a", At(i * 1000), i % 4 == 0 ? "error" : "success",
                                 /*started_only=*/i % 10 == 5));
  }
  Append(*store_, std::vector<ExecutionWrite>(rows.begin(), rows.begin() + 20));
  store_->Flush();
  Append(*store_, std::vector<ExecutionWrite>(rows.begin() + 20, rows.end()));
  auto errors = Query(Q("o", "a").Status("error"));
  ASSERT_EQ(errors.size(), 10u);
  EXPECT_EQ(errors.front().event.timestamp, At(36'000));
  EXPECT_EQ(errors.back().event.timestamp, At(0));
  auto window = Query(Q("o", "a").From(At(15'000)).To(At(24'000)).Limit(100));
  std::vector<int64_t> ts;
  for (const auto& r : window) ts.push_back((core::ToMicros(r.event.timestamp) - start_us_) / 1000);
  EXPECT_EQ(ts, (std::vector<int64_t>{24, 23, 22, 21, 20, 19, 18, 17, 16}));  // 15 is a start
  auto with_started = Query(Q("o", "a").From(At(15'000)).To(At(15'000)).Started());
  ASSERT_EQ(with_started.size(), 1u);
  EXPECT_TRUE(with_started[0].started_only);
  auto success = Query(Q("o", "a").Status("success").Limit(5));
  EXPECT_EQ(success.size(), 5u);
  for (const auto& r : success) EXPECT_EQ(r.event.status, "success");
  EXPECT_EQ(success.front().event.timestamp, At(39'000));
  EXPECT_TRUE(Query(Q("o", "a").Status("nope")).empty());
  EXPECT_EQ(Query(Q("o", "a").Limit(1000)).size(), 36u);
}

TEST_P(StoreContractExecutionsTest, QueriesSpanADayBoundary) {
  clock_.Set(At(kDayUs - 5'000'000));  // 23:59:55
  Append(*store_, {MakeExecution("o", "a", At(kDayUs - 6'000'000))});
  store_->Flush();
  clock_.Set(At(kDayUs + 5'000'000));  // the next day: a new day partition
  Append(*store_, {MakeExecution("o", "a", At(kDayUs + 4'000'000))});
  Append(*store_, {MakeExecution("o", "a", At(kDayUs - 1'000'000))});  // late, for the day before
  auto rows = Query(Q("o", "a"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].event.timestamp, At(kDayUs + 4'000'000));
  EXPECT_EQ(rows[1].event.timestamp, At(kDayUs - 1'000'000));
  EXPECT_EQ(rows[2].event.timestamp, At(kDayUs - 6'000'000));
  auto first_day = Query(Q("o", "a").To(At(kDayUs - 1)));
  EXPECT_EQ(first_day.size(), 2u);
  auto after = store_->ExecutionsAfter(0, 10);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 3u);
  EXPECT_LT(after->at(0).id, after->at(1).id);
  EXPECT_LT(after->at(1).id, after->at(2).id);
}

TEST_P(StoreContractExecutionsTest, OrganizationsNeverMix) {
  Append(*store_, {MakeExecution("acme", "bot", At(1)), MakeExecution("globex", "bot", At(2))});
  store_->Flush();
  Append(*store_, {MakeExecution("acme", "bot", At(3)), MakeExecution("globex", "bot", At(4))});
  for (const char* org : {"acme", "globex"}) {
    auto rows = Query(Q(org, "bot"));
    ASSERT_EQ(rows.size(), 2u) << org;
    for (const auto& r : rows) EXPECT_EQ(r.event.organization_id, org);
  }
  EXPECT_TRUE(Query(Q("initech", "bot")).empty());
}

TEST_P(StoreContractExecutionsTest, ManyAgentsManySealsFindEveryRow) {
  for (int round = 0; round < 6; ++round) {
    std::vector<ExecutionWrite> rows;
    for (int i = 0; i < 300; ++i) {
      rows.push_back(MakeExecution("o", "agent-" + std::to_string(i % 30), At(round * 1000 + i)));
    }
    Append(*store_, rows);
    if (round % 2 == 1) store_->Flush();
  }
  for (int a = 0; a < 30; ++a) {
    auto rows = Query(Q("o", "agent-" + std::to_string(a)).Limit(10'000));
    ASSERT_EQ(rows.size(), 60u);
    EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
      return x.event.timestamp > y.event.timestamp;
    }));
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractExecutionsTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres), BackendName);

}  // namespace
}  // namespace vitals::store::testing
