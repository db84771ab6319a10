// The PostgreSQL implementation of Store (issue 16): the same contract as the SQLite store
// (store/store.h) on a shared PostgreSQL database, so that several vitals nodes can share one
// store. A writer thread group-commits everything queued (executions and heartbeats appended with
// COPY inside one transaction; acknowledged only after COMMIT); reads use a pool of connections of
// their own (which also serve the synchronous writes). The execution log and heartbeats are
// declaratively partitioned by UTC day, so retention drops whole partitions.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/clock.h"
#include "store/store.h"

namespace vitals::store {

// How the writer appends a group's executions. COPY is the default: measured faster (see
// BENCHMARKS.md, "PostgreSQL store"); the other stays for that comparison.
enum class PgAppendMethod { kCopy, kPipelinedInsert };

struct PostgresOptions {
  // A libpq connection URI: postgresql://USER:PASS@HOST:PORT/DB[?param=...].
  std::string url;
  int read_connections = 4;
  size_t write_queue_capacity = 1'000'000;  // acknowledged rows waiting for a commit
  // How many of the latest executions a client's retry is recognized among (see
  // Store::AppendExecutions). The window is this node's own appends (and, after a start, the
  // log's latest rows): a retry sent to another node of a cluster is stored again.
  size_t recent_executions = 1 << 18;
  PgAppendMethod append_method = PgAppendMethod::kCopy;
  // Bound on connecting and on each statement; a store that cannot answer within it reports
  // kUnavailable from Health() and refuses acknowledged writes until it can.
  int timeout_ms = 5000;
  const core::Clock* clock = nullptr;  // defaults to the system clock
  // The cluster node whose background writes these are (Store::ClaimAgents fences them by it);
  // empty: not fenced. Printable, without spaces, quotes or backslashes (as node ids are).
  std::string writer_node;
};

// Connects, creates the schema (migrations are idempotent and serialized between nodes by an
// advisory lock) and starts the writer. Fails with kUnavailable naming host and port (never the
// password) when the server cannot be reached or the login is refused, kIoError when a
// migration fails.
core::Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options);

}  // namespace vitals::store
