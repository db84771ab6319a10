// PgWriter: the PostgreSQL store's writer thread. It owns one connection, takes everything
// queued, and writes it in ONE transaction: executions and heartbeats by COPY, background records
// in multi-row statements (each batch under a savepoint, so a bad record costs only itself), then
// COMMIT, and only then runs the `done` callbacks.
//
// Execution ids come from the meta row `next_execution_id`, advanced inside the transaction: the
// row lock orders the commits of every node sharing the database, so ids increase in commit order
// across the cluster (what replay after a checkpoint relies on).
//
// Each commit's outcome is kept for readiness (health()); an idle writer pings the server about
// every second (every 250 ms while failing), so an outage is seen without traffic and readiness
// comes back by itself once the server does.
#pragma once

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "core/clock.h"
#include "store/commit_health.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/postgres_store.h"
#include "store/recent_executions.h"
#include "store/write_queue.h"

namespace vitals::store {

struct PgWriterCounters {
  std::atomic<uint64_t> executions_written{0};
  std::atomic<uint64_t> heartbeats_written{0};
  std::atomic<uint64_t> commits{0};
  std::atomic<uint64_t> commit_failures{0};
  std::atomic<uint64_t> background_failures{0};
  std::atomic<uint64_t> fenced_rows{0};
  std::atomic<double> last_commit_ms{0};
  std::atomic<double> commit_ms_total{0};
};

class PgWriter {
 public:
  // `writer_node`: the session's vitals.node_id, which the fencing triggers check ("": none).
  PgWriter(std::string url, int timeout_ms, WriteQueue& queue, const core::Clock& clock,
           size_t recent_executions, PgAppendMethod append_method, const std::string& writer_node);
  ~PgWriter();

  // Connects, remembers the log's latest executions, creates today's partitions, and starts the
  // thread.
  core::Status Start();
  // Closes the queue, commits what is left, and joins the thread.
  void Stop();

  const PgWriterCounters& counters() const { return counters_; }
  const CommitHealth& health() const { return health_; }
  // See Store::SetCompletionExecutor. Thread-safe.
  void SetCompletionExecutor(CompletionExecutor executor);
  // Forget which partitions exist (retention dropped some). Thread-safe.
  void PartitionsChanged() { partitions_changed_.store(true, std::memory_order_release); }

 private:
  struct Outcome {
    std::vector<int64_t> ids;
    uint64_t heartbeats = 0;
  };

  void Run();
  void Commit(WriteGroup& group);
  core::Status TryCommit(WriteGroup& group, Outcome& out);
  core::Status EnsurePartitions(const WriteGroup& group);
  core::Status AppendExecutions(WriteGroup& group, Outcome& out);
  core::Status AppendHeartbeats(WriteGroup& group, Outcome& out);
  core::Status InsertExecutions(const std::vector<const ExecutionWrite*>& rows, int64_t first_id);
  core::Status WriteBackground(WriteGroup& group);
  core::Status LoadRecent();
  void Ping();
  // `s` as clients may see it (no host names), logged when it is new.
  core::Status Record(const core::Status& s);

  PgConnection db_;
  WriteQueue& queue_;
  const core::Clock& clock_;
  RecentExecutions recent_;
  const PgAppendMethod append_method_;
  std::set<int64_t> execution_days_;  // partitions known to exist
  std::set<int64_t> heartbeat_days_;
  std::atomic<bool> partitions_changed_{false};
  PgWriterCounters counters_;
  CommitHealth health_;
  std::string last_logged_;
  std::mutex executor_mu_;
  CompletionExecutor executor_;  // guarded by executor_mu_
  std::thread thread_;
};

}  // namespace vitals::store
