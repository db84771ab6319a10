// The execution log: ids, every field, and queries across sealed blocks, the unsealed tail and
// day tables.
#include <algorithm>
#include <functional>
#include <future>
#include <map>
#include <mutex>

#include "store/sqlite/sqlite_test_util.h"

namespace vitals::store::testing {
namespace {

class ExecutionsTest : public StoreTest {};

std::vector<std::string> ExecutionIds(const std::vector<StoredExecution>& rows) {
  std::vector<std::string> ids;
  for (const auto& r : rows) ids.push_back(r.event.execution_id);
  return ids;
}

// Acknowledgements of executions and heartbeats go to the executor, whole groups in commit
// order; jobs (Flush) never wait for it; a refusing executor means they run on the writer.
TEST_F(ExecutionsTest, CompletionExecutorRunsAcknowledgementsInCommitOrder) {
  auto store = Open();
  std::mutex mu;
  std::vector<std::function<void()>> tasks;
  bool refuse = false;
  store->SetCompletionExecutor([&](std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mu);
    if (refuse) return false;
    tasks.push_back(std::move(task));
    return true;
  });
  std::vector<int64_t> acked;  // first id of each batch, in acknowledgement order
  int heartbeats_acked = 0;
  for (int i = 0; i < 20; ++i) {
    store->AppendExecutions({MakeExecution("o", "a", At(i))},
                            [&](core::Status s, std::span<const int64_t> ids) {
                              ASSERT_TRUE(s.ok()) << s.ToString();
                              ASSERT_EQ(ids.size(), 1u);
                              acked.push_back(ids[0]);
                            });
    if (i % 5 == 0) {
      store->AppendHeartbeats({{0, "o", "a", At(i), At(i), ""}}, [&](core::Status s) {
        EXPECT_TRUE(s.ok());
        ++heartbeats_acked;
      });
    }
  }
  store->Flush();  // returns although no acknowledgement has run yet
  EXPECT_TRUE(acked.empty());
  EXPECT_EQ(heartbeats_acked, 0);
  std::vector<std::function<void()>> taken;
  {
    std::lock_guard<std::mutex> lock(mu);
    taken.swap(tasks);
    refuse = true;
  }
  EXPECT_FALSE(taken.empty());
  EXPECT_LE(taken.size(), store->Stats().commits);  // one task per group commit, not per batch
  for (auto& task : taken) task();
  ASSERT_EQ(acked.size(), 20u);
  EXPECT_TRUE(std::is_sorted(acked.begin(), acked.end()));
  EXPECT_EQ(heartbeats_acked, 4);
  // Refused: the writer acknowledges by itself.
  EXPECT_EQ(Append(*store, {MakeExecution("o", "a", At(30))}).at(0), acked.back() + 1);
}

// Batches that meet in one group commit share multi-row statements, yet each keeps its own ids,
// consecutive in queue order, and every row lands under its id.
TEST_F(ExecutionsTest, BatchesOfOneGroupCommitKeepTheirOwnIdsAndRows) {
  auto store = Open();
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  bool first = true;
  store->SetCompletionExecutor([&](std::function<void()> task) {
    if (std::exchange(first, false)) {  // holds the writer while the next batches queue up
      entered.set_value();
      released.wait();
    }
    task();
    return true;
  });
  store->AppendExecutions({MakeExecution("o", "hold", At(0))}, nullptr);
  entered.get_future().wait();
  const uint64_t commits_before = store->Stats().commits;
  const std::vector<int> sizes = {1, 3, 40, 2, 64, 1, 7};
  std::vector<std::vector<int64_t>> ids(sizes.size());
  int64_t ts = 1;
  for (size_t b = 0; b < sizes.size(); ++b) {
    std::vector<ExecutionWrite> rows;
    for (int i = 0; i < sizes[b]; ++i) rows.push_back(MakeExecution("o", "a", At(ts++)));
    store->AppendExecutions(std::move(rows),
                            [&ids, b](core::Status s, std::span<const int64_t> got) {
                              ASSERT_TRUE(s.ok()) << s.ToString();
                              ids[b].assign(got.begin(), got.end());
                            });
  }
  release.set_value();
  EXPECT_EQ(Append(*store, {MakeExecution("o", "after", At(500))}).size(), 1u);
  EXPECT_LE(store->Stats().commits - commits_before, 2u);  // the batches met in one group
  std::map<int64_t, std::string> expected;                 // id -> execution_id
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
    if (sealed) store->Flush();
    std::map<int64_t, std::string> stored;
    for (const StoredExecution& row : Query(*store, Q("o", "a").Limit(1000))) {
      const std::string& id = row.event.execution_id;
      stored[row.id] = id.substr(0, id.find('#'));  // without MakeExecution's serial number
    }
    EXPECT_EQ(stored, expected) << (sealed ? "sealed" : "in the tail");
  }
}

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

TEST_F(ExecutionsTest, RoundTripsEveryField) {
  auto store = Open();
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
  auto ids = Append(*store, {full, bare});
  ASSERT_EQ(ids.size(), 2u);
  auto rows = Query(*store, Q("org", "a").Started());
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

TEST_F(ExecutionsTest, IdsIncreaseAcrossBatchesAndExecutionsAfterPagesInOrder) {
  auto store = Open();
  std::vector<int64_t> all;
  for (int b = 0; b < 5; ++b) {
    std::vector<ExecutionWrite> rows;
    for (int i = 0; i < 7; ++i)
      rows.push_back(MakeExecution("o", "a" + std::to_string(i), At(b * 10 + i)));
    auto ids = Append(*store, rows);
    all.insert(all.end(), ids.begin(), ids.end());
    if (b == 2) store->Flush();
  }
  ASSERT_EQ(all.size(), 35u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
  std::vector<int64_t> paged;
  int64_t after = 0;
  for (;;) {
    auto page = store->ExecutionsAfter(after, 8);
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    EXPECT_LE(page->size(), 8u);
    for (const auto& r : *page) paged.push_back(r.id);
    after = page->back().id;
  }
  EXPECT_EQ(paged, all);
  auto tail = store->ExecutionsAfter(all[30], 100);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 4u);
  EXPECT_EQ(tail->front().id, all[31]);
}

TEST_F(ExecutionsTest, NewestFirstAcrossSealedBlocksAndTail) {
  auto store = Open();
  Append(*store, {MakeExecution("o", "a", At(10)), MakeExecution("o", "b", At(11)),
                  MakeExecution("o", "a", At(30))});
  store->Flush();  // seals: a's first two rows are now in a block
  Append(*store, {MakeExecution("o", "a", At(20)), MakeExecution("o", "a", At(40))});
  store->Flush();
  Append(*store, {MakeExecution("o", "a", At(25)), MakeExecution("o", "a", At(50))});  // tail
  auto rows = Query(*store, Q("o", "a"));
  std::vector<int64_t> ts;
  for (const auto& r : rows) ts.push_back(core::ToMicros(r.event.timestamp) - start_us_);
  EXPECT_EQ(ts, (std::vector<int64_t>{50, 40, 30, 25, 20, 10}));
  auto two = Query(*store, Q("o", "a").Limit(2));
  EXPECT_EQ(ExecutionIds(two),
            (std::vector<std::string>{ExecutionIds(rows)[0], ExecutionIds(rows)[1]}));
}

TEST_F(ExecutionsTest, FiltersByTimeStatusStartedAndLimit) {
  auto store = Open();
  std::vector<ExecutionWrite> rows;
  for (int i = 0; i < 40; ++i) {
    rows.push_back(MakeExecution("o", "a", At(i * 1000), i % 4 == 0 ? "error" : "success",
                                 /*started_only=*/i % 10 == 5));
  }
  Append(*store, std::vector<ExecutionWrite>(rows.begin(), rows.begin() + 20));
  store->Flush();
  Append(*store, std::vector<ExecutionWrite>(rows.begin() + 20, rows.end()));
  auto errors = Query(*store, Q("o", "a").Status("error"));
  ASSERT_EQ(errors.size(), 10u);
  EXPECT_EQ(errors.front().event.timestamp, At(36'000));
  EXPECT_EQ(errors.back().event.timestamp, At(0));
  auto window = Query(*store, Q("o", "a").From(At(15'000)).To(At(24'000)).Limit(100));
  std::vector<int64_t> ts;
  for (const auto& r : window) ts.push_back((core::ToMicros(r.event.timestamp) - start_us_) / 1000);
  EXPECT_EQ(ts, (std::vector<int64_t>{24, 23, 22, 21, 20, 19, 18, 17, 16}));  // 15 is a start
  auto with_started = Query(*store, Q("o", "a").From(At(15'000)).To(At(15'000)).Started());
  ASSERT_EQ(with_started.size(), 1u);
  EXPECT_TRUE(with_started[0].started_only);
  auto success = Query(*store, Q("o", "a").Status("success").Limit(5));
  EXPECT_EQ(success.size(), 5u);
  for (const auto& r : success) EXPECT_EQ(r.event.status, "success");
  EXPECT_EQ(success.front().event.timestamp, At(39'000));
  EXPECT_TRUE(Query(*store, Q("o", "a").Status("nope")).empty());
  EXPECT_EQ(Query(*store, Q("o", "a").Limit(1000)).size(), 36u);
}

TEST_F(ExecutionsTest, QueriesSpanADayBoundary) {
  auto store = Open();
  clock_.Set(At(kDayUs - 5'000'000));  // 23:59:55
  Append(*store, {MakeExecution("o", "a", At(kDayUs - 6'000'000))});
  store->Flush();
  clock_.Set(At(kDayUs + 5'000'000));  // the next day: a new day table
  Append(*store, {MakeExecution("o", "a", At(kDayUs + 4'000'000))});
  Append(*store, {MakeExecution("o", "a", At(kDayUs - 1'000'000))});  // late, stays in the tail
  auto rows = Query(*store, Q("o", "a"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].event.timestamp, At(kDayUs + 4'000'000));
  EXPECT_EQ(rows[1].event.timestamp, At(kDayUs - 1'000'000));
  EXPECT_EQ(rows[2].event.timestamp, At(kDayUs - 6'000'000));
  auto first_day = Query(*store, Q("o", "a").To(At(kDayUs - 1)));
  EXPECT_EQ(first_day.size(), 2u);
  auto after = store->ExecutionsAfter(0, 10);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 3u);
  EXPECT_LT(after->at(0).id, after->at(1).id);
  EXPECT_LT(after->at(1).id, after->at(2).id);
}

TEST_F(ExecutionsTest, OrganizationsNeverMix) {
  auto store = Open();
  Append(*store, {MakeExecution("acme", "bot", At(1)), MakeExecution("globex", "bot", At(2))});
  store->Flush();
  Append(*store, {MakeExecution("acme", "bot", At(3)), MakeExecution("globex", "bot", At(4))});
  for (const char* org : {"acme", "globex"}) {
    auto rows = Query(*store, Q(org, "bot"));
    ASSERT_EQ(rows.size(), 2u) << org;
    for (const auto& r : rows) EXPECT_EQ(r.event.organization_id, org);
  }
  EXPECT_TRUE(Query(*store, Q("initech", "bot")).empty());
}

TEST_F(ExecutionsTest, ManyAgentsManySealsFindEveryRow) {
  auto store = Open();
  for (int round = 0; round < 6; ++round) {
    std::vector<ExecutionWrite> rows;
    for (int i = 0; i < 300; ++i) {
      rows.push_back(MakeExecution("o", "agent-" + std::to_string(i % 30), At(round * 1000 + i)));
    }
    Append(*store, rows);
    if (round % 2 == 1) store->Flush();
  }
  for (int a = 0; a < 30; ++a) {
    auto rows = Query(*store, Q("o", "agent-" + std::to_string(a)).Limit(10'000));
    ASSERT_EQ(rows.size(), 60u);
    EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
      return x.event.timestamp > y.event.timestamp;
    }));
  }
}

}  // namespace
}  // namespace vitals::store::testing
