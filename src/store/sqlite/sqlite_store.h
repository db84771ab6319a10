// The SQLite implementation of Store: one database file (WAL), a writer thread that group-commits,
// a pool of read connections. See store/store.h for the contract.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "store/store.h"

namespace vitals::store {

struct SqliteOptions {
  std::string path = "vitals.db";
  // "full": fsync on every group commit (survives power loss); "normal": WAL's default, survives
  // a process crash (kill -9) but may lose the last commits on power loss.
  std::string synchronous = "full";
  int read_connections = 4;
  size_t write_queue_capacity = 1'000'000;  // acknowledged rows waiting for a commit
  int cache_mb = 64;
  // A background checkpoint starts once the WAL holds this much; past kWalHardBoundFactor times it
  // the writer finishes the checkpoint itself, so the WAL restarts. The WAL file keeps the size it
  // reached (overwritten in place, trimmed only beyond that bound).
  int64_t wal_checkpoint_bytes = 64 << 20;
  // How many of the latest executions a client's retry is recognized among (see
  // Store::AppendExecutions); 40 bytes of memory each. A reopen reads back the latest 65,536.
  size_t recent_executions = 1 << 18;
  const core::Clock* clock = nullptr;  // defaults to the system clock
};

// Opens (creating and migrating as needed) the database. Fails with kIoError naming the file
// when it cannot be opened or migrated.
core::Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

}  // namespace vitals::store
