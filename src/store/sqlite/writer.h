// Writer: the thread that owns the write connection. It takes everything queued, writes it in
// ONE transaction (executions, heartbeats, background records, jobs, and — every seal period or
// when the tail grows large — the block seal), commits, then runs the `done` callbacks. When a
// commit leaves the WAL past a bound, it has the Checkpointer copy the WAL back (see there).
//
// Each commit's outcome is kept for readiness (health()); while the last one failed, an idle
// writer commits a one-row probe now and then, so readiness comes back by itself once the disk
// does. A database file deleted or replaced under it fails every later commit: what it would
// write could never be read again.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "store/commit_health.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/database_file.h"
#include "store/sqlite/execution_appender.h"
#include "store/sqlite/write_context.h"
#include "store/write_queue.h"

namespace vitals::store {

struct WriterOptions {
  core::Duration seal_period = std::chrono::seconds(2);  // by the store's clock
  size_t max_tail_rows = 1'000'000;                      // seal early past this
  int checkpoint_pages = 2048;                           // WAL pages that trigger a checkpoint
  size_t recent_executions = 1 << 18;                    // see RecentExecutions
};

// Past this many times WriterOptions::checkpoint_pages the writer checkpoints itself, so the WAL
// restarts; it is the largest the WAL grows (give or take one commit).
constexpr int kWalHardBoundFactor = 4;

// Counters behind StoreStats.
struct WriterCounters {
  std::atomic<uint64_t> executions_written{0};
  std::atomic<uint64_t> heartbeats_written{0};
  std::atomic<uint64_t> commits{0};
  std::atomic<uint64_t> commit_failures{0};
  std::atomic<uint64_t> background_failures{0};
  std::atomic<double> last_commit_ms{0};
  std::atomic<double> commit_ms_total{0};
};

class Writer {
 public:
  Writer(std::unique_ptr<Connection> db, WriteQueue& queue, ExecutionTail& tail,
         const core::Clock& clock, WriterOptions options);
  ~Writer();

  // Loads the execution log's state and starts the thread.
  core::Status Start();
  // Closes the queue, commits what is left, and joins the thread.
  void Stop();

  const WriterCounters& counters() const { return counters_; }
  const CommitHealth& health() const { return health_; }
  // See Store::SetCompletionExecutor. Thread-safe.
  void SetCompletionExecutor(CompletionExecutor executor);

 private:
  struct Outcome;

  void Run();
  bool SealDue(const WriteGroup& group, core::Timestamp now);
  void Commit(WriteGroup& group, bool seal, bool probe);
  core::Status CheckFile();
  // `s` as clients may see it: the database path replaced.
  core::Status ForClients(const core::Status& s) const;
  core::Status WriteAll(WriteGroup& group, core::Timestamp now, Outcome& out);
  core::Status AppendExecutions(WriteGroup& group, core::Timestamp now, Outcome& out);
  core::Status RunStatement(Statement& s, const char* what);
  void Deliver(WriteGroup& group, const core::Status& status, Outcome& out);
  void MaybeCheckpoint();
  static int OnWalCommit(void* self, sqlite3* db, const char* name, int pages);

  std::unique_ptr<Connection> db_;
  WriteQueue& queue_;
  const core::Clock& clock_;
  const WriterOptions options_;
  ExecutionAppender appender_;
  WriteContext context_;
  Checkpointer checkpointer_;
  Statement begin_;
  Statement commit_;
  Statement rollback_;
  Statement probe_;
  core::Timestamp last_seal_;
  int wal_pages_ = 0;
  WriterCounters counters_;
  DatabaseFile file_;
  core::Status file_lost_;  // set once the file is gone; fails every later commit
  CommitHealth health_;
  std::mutex executor_mu_;
  CompletionExecutor executor_;  // guarded by executor_mu_
  std::thread thread_;
};

}  // namespace vitals::store
