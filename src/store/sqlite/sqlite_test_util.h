// Helpers for the SQLite store tests: a fresh temporary directory per test, record builders, and
// synchronous wrappers over the asynchronous appends.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/sqlite/sqlite_store.h"

namespace vitals::store::testing {

inline constexpr int64_t kDayUs = 86'400'000'000;
inline constexpr int64_t kHourUs = 3'600'000'000;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vitals_store_XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Unique per call, so that rows made alike are not taken for a client's retry of each other.
inline ExecutionWrite MakeExecution(const std::string& org, const std::string& agent,
                                    core::Timestamp ts, const std::string& status = "success",
                                    bool started_only = false) {
  ExecutionWrite w;
  w.event.organization_id = org;
  w.event.agent_id = agent;
  static std::atomic<uint64_t> made{0};
  w.event.execution_id = agent + "@" + std::to_string(core::ToMicros(ts)) + "#" +
                         std::to_string(made.fetch_add(1, std::memory_order_relaxed));
  w.event.action_type = "llm_call";
  w.event.status = status;
  w.event.latency_ms = 120.5;
  w.event.timestamp = ts;
  w.started_only = started_only;
  w.received_at = ts + std::chrono::milliseconds(3);
  return w;
}

// An ExecutionQuery built by chained setters.
struct Q {
  Q(std::string org, std::string agent) {
    q.organization_id = std::move(org);
    q.agent_id = std::move(agent);
  }
  Q& From(core::Timestamp t) { return q.from = t, *this; }
  Q& To(core::Timestamp t) { return q.to = t, *this; }
  Q& Status(std::string s) { return q.status = std::move(s), *this; }
  Q& Started() { return q.include_started = true, *this; }
  Q& Limit(int n) { return q.limit = n, *this; }
  operator ExecutionQuery() const { return q; }  // NOLINT(google-explicit-constructor)
  ExecutionQuery q;
};

// Appends and waits for the commit; fails the test on error.
inline std::vector<int64_t> Append(Store& store, std::vector<ExecutionWrite> rows) {
  std::promise<std::pair<core::Status, std::vector<int64_t>>> p;
  store.AppendExecutions(std::move(rows), [&p](core::Status s, std::span<const int64_t> ids) {
    p.set_value({std::move(s), std::vector<int64_t>(ids.begin(), ids.end())});
  });
  auto [status, ids] = p.get_future().get();
  EXPECT_TRUE(status.ok()) << status.ToString();
  return ids;
}

inline core::Status AppendHeartbeats(Store& store, std::vector<StoredHeartbeat> rows) {
  std::promise<core::Status> p;
  store.AppendHeartbeats(std::move(rows), [&p](core::Status s) { p.set_value(std::move(s)); });
  return p.get_future().get();
}

// The single integer `sql` returns from the database at `path`, read with a connection of its
// own (-1 on error): for checks the Store interface cannot express.
inline int64_t QueryInt(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  int64_t value = -1;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    value = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return value;
}

class StoreTest : public ::testing::Test {
 protected:
  SqliteOptions Options() const {
    SqliteOptions o;
    o.path = dir_.File("vitals.db");
    o.clock = &clock_;
    o.read_connections = 2;
    o.cache_mb = 8;
    return o;
  }
  std::unique_ptr<Store> Open(SqliteOptions o) {
    auto store = OpenSqliteStore(o);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store.value()) : nullptr;
  }
  std::unique_ptr<Store> Open() { return Open(Options()); }
  std::vector<StoredExecution> Query(Store& store, ExecutionQuery q) {
    auto r = store.QueryExecutions(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r.value()) : std::vector<StoredExecution>();
  }
  core::Timestamp At(int64_t offset_us) const { return core::FromMicros(start_us_ + offset_us); }

  TempDir dir_;
  const int64_t start_us_ = 1'795'392'000'000'000;  // 2026-11-23T00:00:00Z
  core::FakeClock clock_{core::FromMicros(start_us_ + 12 * kHourUs)};
};

}  // namespace vitals::store::testing
