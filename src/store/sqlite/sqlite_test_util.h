// Helpers for the SQLite store tests: a fixture opening a fresh file per test, and reads of the
// file behind the Store interface's back. The backend-neutral row builders are in
// store/testing/store_test_rows.h.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/store_test_rows.h"
#include "store/testing/temp_dir.h"

namespace vitals::store::testing {

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
