// The PostgreSQL store's schema: the seed's tables with the SQLite store's columns (timestamps
// as integer microseconds since the epoch, so users' queries carry over; views add ISO-8601
// text), the execution log (agent_execution_logs) and heartbeats declaratively partitioned by UTC
// day so retention drops whole partitions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"
#include "store/postgres/pg_connection.h"

namespace vitals::store {

// Brings the database to the latest version. Migrations run under a session advisory lock, so
// nodes starting together apply each exactly once; each is one transaction. kIoError when a
// migration fails or the database is newer than this build.
core::Status MigratePg(PgConnection& db, core::Timestamp now);
int LatestPgSchemaVersion();

// The partitioned tables and the column each is partitioned by.
struct PgPartitionedTable {
  const char* name;
  const char* column;
};
inline constexpr PgPartitionedTable kPgExecutionLog = {"agent_execution_logs", "timestamp"};
inline constexpr PgPartitionedTable kPgHeartbeats = {"heartbeats", "received_at"};

// The UTC day (days since the epoch) of t, and the first microsecond of day `day`.
int64_t PgDayOf(int64_t micros);
int64_t PgDayStart(int64_t day);
// "<table>_YYYYMMDD".
std::string PgPartitionName(const PgPartitionedTable& t, int64_t day);

// Creates the day partition of `t` for `day` when missing. Outside any transaction: takes a
// transaction-scoped advisory lock so nodes creating the same partition do not collide.
core::Status EnsurePgPartition(PgConnection& db, const PgPartitionedTable& t, int64_t day);

// The days of t's partitions, ascending.
core::Result<std::vector<int64_t>> PgPartitionDays(PgConnection& db, const PgPartitionedTable& t);

}  // namespace vitals::store
