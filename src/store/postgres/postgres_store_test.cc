// What only the PostgreSQL store has: nodes sharing one database (migrations, ids in commit
// order), day partitions dropped by retention, outages of the server, and text PostgreSQL cannot
// hold. Runs under with_databases.sh; the Store contract itself is in store/contract/.
#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <future>
#include <set>
#include <thread>

#include "core/clock.h"
#include "store/testing/pg_test_database.h"

namespace vitals::store {
namespace {

using testing::PgTestDatabase;

constexpr int64_t kDayUs = 86'400'000'000;
const int64_t kStartUs = 1'795'392'000'000'000;  // 2026-11-23T00:00:00Z

ExecutionWrite Row(const std::string& agent, int64_t ts_us, const std::string& execution_id = "") {
  ExecutionWrite w;
  w.event.organization_id = "org";
  w.event.agent_id = agent;
  w.event.execution_id = execution_id;
  w.event.action_type = "llm_call";
  w.event.status = "success";
  w.event.latency_ms = 12.5;
  w.event.timestamp = core::FromMicros(ts_us);
  w.received_at = core::FromMicros(ts_us + 1000);
  return w;
}

std::pair<core::Status, std::vector<int64_t>> Append(Store& store,
                                                     std::vector<ExecutionWrite> rows) {
  std::promise<std::pair<core::Status, std::vector<int64_t>>> p;
  store.AppendExecutions(std::move(rows), [&p](core::Status s, std::span<const int64_t> ids) {
    p.set_value({std::move(s), std::vector<int64_t>(ids.begin(), ids.end())});
  });
  return p.get_future().get();
}

template <typename Pred>
bool Eventually(Pred pred, int seconds = 15) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (db_.url().empty()) GTEST_SKIP() << "VITALS_TEST_POSTGRES_URL is not set";
  }
  std::unique_ptr<Store> Open(int timeout_ms = 5000) {
    PostgresOptions o;
    o.url = db_.url();
    o.clock = &clock_;
    o.read_connections = 2;
    o.timeout_ms = timeout_ms;
    auto store = OpenPostgresStore(o);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store.value()) : nullptr;
  }

  PgTestDatabase db_;
  core::FakeClock clock_{core::FromMicros(kStartUs + 3 * kDayUs + 3'600'000'000)};
};

TEST_F(PostgresStoreTest, NodesStartingTogetherMigrateOnce) {
  std::vector<std::future<core::Status>> opens;
  for (int i = 0; i < 4; ++i) {
    opens.push_back(std::async(std::launch::async, [this] {
      PostgresOptions o;
      o.url = db_.url();
      o.clock = &clock_;
      auto store = OpenPostgresStore(o);
      return store.ok() ? core::Status::Ok() : store.status();
    }));
  }
  for (auto& f : opens) EXPECT_TRUE(f.get().ok());
  // Each migration once.
  EXPECT_EQ(db_.Query("SELECT count(*) FROM schema_migrations"), "2");
}

TEST_F(PostgresStoreTest, TwoNodesGetIdsInCommitOrderWithoutGapsOrRepeats) {
  auto a = Open();
  auto b = Open();
  ASSERT_TRUE(a && b);
  auto writer = [](Store& store, const std::string& agent) {
    for (int batch = 0; batch < 20; ++batch) {
      std::vector<ExecutionWrite> rows;
      for (int i = 0; i < 50; ++i) rows.push_back(Row(agent, kStartUs + 3 * kDayUs + i));
      auto [status, ids] = Append(store, std::move(rows));
      EXPECT_TRUE(status.ok()) << status.ToString();
    }
  };
  std::thread ta(writer, std::ref(*a), "a");
  std::thread tb(writer, std::ref(*b), "b");
  ta.join();
  tb.join();
  auto all = a->ExecutionsAfter(0, 10'000);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2000u);
  for (size_t i = 0; i < all->size(); ++i) EXPECT_EQ((*all)[i].id, static_cast<int64_t>(i + 1));
  // Replay after a checkpoint: what another node committed later has larger ids.
  auto after = b->ExecutionsAfter(1000, 10'000);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), 1000u);
}

TEST_F(PostgresStoreTest, PipelinedInsertStoresWhatCopyStores) {
  PostgresOptions o;
  o.url = db_.url();
  o.clock = &clock_;
  o.append_method = PgAppendMethod::kPipelinedInsert;
  auto store = OpenPostgresStore(o);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::vector<ExecutionWrite> rows;
  for (int i = 0; i < 2500; ++i) {  // three statements of one pipeline
    rows.push_back(Row("a", kStartUs + 3 * kDayUs + i, "run-" + std::to_string(i)));
    rows.back().event.output_summary = "tab\there, quote ' and \"";
    if (i % 7 == 0) rows.back().event.token_count = i;
  }
  auto [status, ids] = Append(**store, rows);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(ids.size(), 2500u);
  auto back = (*store)->ExecutionsAfter(0, 10'000);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 2500u);
  for (int i : {0, 1, 7, 1234, 2499}) {
    const auto& e = (*back)[static_cast<size_t>(i)];
    EXPECT_EQ(e.id, ids[static_cast<size_t>(i)]);
    EXPECT_EQ(e.event.execution_id, "run-" + std::to_string(i));
    EXPECT_EQ(e.event.output_summary, rows[static_cast<size_t>(i)].event.output_summary);
    EXPECT_EQ(e.event.token_count, rows[static_cast<size_t>(i)].event.token_count);
    EXPECT_EQ(e.event.timestamp, rows[static_cast<size_t>(i)].event.timestamp);
  }
}

TEST_F(PostgresStoreTest, RetentionDropsWholeDayPartitions) {
  auto store = Open();
  ASSERT_TRUE(store);
  for (int day : {0, 1, 3}) {
    std::vector<ExecutionWrite> rows;
    for (int i = 0; i < 10; ++i) rows.push_back(Row("a", kStartUs + day * kDayUs + i * 1000));
    ASSERT_TRUE(Append(*store, std::move(rows)).first.ok());
  }
  EXPECT_EQ(db_.Query("SELECT count(*) FROM pg_inherits WHERE inhparent = "
                      "'agent_execution_logs'::regclass"),
            "3");
  ASSERT_TRUE(store->RunRetention(core::FromMicros(kStartUs + 2 * kDayUs)).ok());
  EXPECT_EQ(db_.Query("SELECT count(*) FROM pg_inherits WHERE inhparent = "
                      "'agent_execution_logs'::regclass"),
            "1");
  EXPECT_EQ(db_.Query("SELECT to_regclass('agent_execution_logs_20261123') IS NULL"), "t");
  EXPECT_GE(store->Stats().rows_deleted_by_retention, 20u);
  auto left = store->ExecutionsAfter(0, 100);
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->size(), 10u);
  // A late event for a dropped day still lands: its partition is made again.
  auto [status, ids] = Append(*store, {Row("a", kStartUs + 5)});
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(db_.Query("SELECT count(*) FROM agent_execution_logs_20261123"), "1");
}

TEST_F(PostgresStoreTest, TextPostgresCannotHoldIsKeptWithReplacementCharacters) {
  auto store = Open();
  ASSERT_TRUE(store);
  ExecutionWrite odd = Row("a", kStartUs + 3 * kDayUs);
  odd.event.error_message = std::string("nul\0byte", 8);
  odd.event.output_summary = "bad \xFF utf8";
  ExecutionWrite plain = Row("a", kStartUs + 3 * kDayUs + 1);
  auto [status, ids] = Append(*store, {odd, plain});
  ASSERT_TRUE(status.ok()) << status.ToString();
  auto rows = store->ExecutionsAfter(0, 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].event.error_message,
            "nul\xEF\xBF\xBD"
            "byte");
  EXPECT_EQ((*rows)[0].event.output_summary, "bad \xEF\xBF\xBD utf8");
}

TEST_F(PostgresStoreTest, AWrongPasswordIsRefusedWithoutShowingIt) {
  const char* bad = std::getenv("VITALS_TEST_POSTGRES_BAD_URL");
  if (bad == nullptr) GTEST_SKIP();
  PostgresOptions o;
  o.url = bad;
  auto store = OpenPostgresStore(o);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(store.status().message().find("wrong"), std::string::npos) << store.status().message();
}

// Last in the file: it stops the server (and starts it again).
TEST_F(PostgresStoreTest, AnOutageRefusesWritesAndRecoversByItself) {
  const char* stop = std::getenv("VITALS_TEST_POSTGRES_STOP");
  const char* start = std::getenv("VITALS_TEST_POSTGRES_START");
  if (stop == nullptr || start == nullptr) GTEST_SKIP() << "no server control";
  auto store = Open(/*timeout_ms=*/1000);
  ASSERT_TRUE(store);
  ASSERT_TRUE(Append(*store, {Row("a", kStartUs + 3 * kDayUs, "before")}).first.ok());
  ASSERT_EQ(std::system(stop), 0);
  EXPECT_TRUE(Eventually([&] { return !store->Health().ok(); }));
  EXPECT_EQ(store->Health().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(store->Health().message().find("127.0.0.1"), std::string::npos);
  auto [during, no_ids] = Append(*store, {Row("a", kStartUs + 3 * kDayUs + 1, "during")});
  EXPECT_EQ(during.code(), core::StatusCode::kUnavailable) << during.ToString();
  ASSERT_EQ(std::system(start), 0);
  EXPECT_TRUE(Eventually([&] { return store->Health().ok(); }));
  auto [after, ids] = Append(*store, {Row("a", kStartUs + 3 * kDayUs + 2, "after")});
  EXPECT_TRUE(after.ok()) << after.ToString();
  auto rows = store->ExecutionsAfter(0, 10);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);  // the refused row was never acknowledged, nor stored
  EXPECT_EQ((*rows)[0].event.execution_id, "before");
  EXPECT_EQ((*rows)[1].event.execution_id, "after");
}

}  // namespace
}  // namespace vitals::store
