// The fixture of the Store contract suite: every TEST_P runs once per backend (StoreKind), each on
// a store of its own — a fresh SQLite file in a temporary directory, or a fresh PostgreSQL
// database created on the server named by VITALS_TEST_POSTGRES_URL (set by
// src/collect/testing/with_databases.sh) and dropped after the test. Both are opened through
// store::OpenStore with a FakeClock, so time-dependent behaviour (day partitions, retention) is
// the test's to drive.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/open_store.h"
#include "store/store.h"
#include "store/testing/pg_test_database.h"
#include "store/testing/store_test_rows.h"
#include "store/testing/temp_dir.h"

namespace vitals::store::testing {

// Names a test's backend parameter: "sqlite" or "postgres".
std::string BackendName(const ::testing::TestParamInfo<StoreKind>& info);

class StoreContractTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  // Opens `store_` on a fresh database. Skips the test when its backend is not available here.
  void SetUp() override;
  // Destroys the store, then drops its PostgreSQL database.
  void TearDown() override;

  // Destroys the store (its writer finishes what was queued) without touching its database.
  void Close();
  // Close(), then opens the same database again: what a restart of the process sees. Returns
  // false (and fails the test) when it cannot be opened.
  [[nodiscard]] bool Reopen();
  // Another store on this test's database, e.g. for a child process after fork().
  core::Result<std::unique_ptr<Store>> OpenAnother() const;

  // QueryExecutions on `store_`, failing the test on error.
  std::vector<StoredExecution> Query(const ExecutionQuery& q);
  core::Timestamp At(int64_t offset_us) const { return core::FromMicros(start_us_ + offset_us); }

  const int64_t start_us_ = 1'795'392'000'000'000;  // 2026-11-23T00:00:00Z
  core::FakeClock clock_{core::FromMicros(start_us_ + 12 * kHourUs)};
  std::unique_ptr<Store> store_;

 private:
  TempDir dir_;
  StoreLocation location_;
  std::unique_ptr<PgTestDatabase> pg_;  // PostgreSQL: this test's database
};

}  // namespace vitals::store::testing
