#include "store/sqlite/writer.h"

#include <pthread.h>

#include <algorithm>
#include <cstdio>

#include "store/acknowledge_group.h"

namespace vitals::store {
namespace {

void AddDouble(std::atomic<double>& a, double v) {
  double old = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(old, old + v, std::memory_order_relaxed)) {
  }
}

}  // namespace

struct Writer::Outcome {
  std::vector<int64_t> ids;  // the group's execution batches' ids, batch after batch
  std::vector<core::Status> jobs;
  uint64_t heartbeats = 0;
};

Writer::Writer(std::unique_ptr<Connection> db, WriteQueue& queue, ExecutionTail& tail,
               const core::Clock& clock, WriterOptions options)
    : db_(std::move(db)),
      queue_(queue),
      clock_(clock),
      options_(options),
      appender_(*db_, tail, options.recent_executions),
      context_(*db_),
      file_(db_->path()) {}

Writer::~Writer() { Stop(); }

core::Status Writer::Start() {
  if (core::Status s = appender_.Load(); !s.ok()) return s;
  if (core::Status s = context_.Prepare(); !s.ok()) return s;
  const std::pair<Statement*, const char*> statements[] = {
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
      // Rewrites one row in place: the smallest write that must reach the WAL.
      {&probe_, "UPDATE meta SET value = value WHERE key = 'next_execution_id'"}};
  for (const auto& [stmt, sql] : statements) {
    auto prepared = db_->Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    *stmt = std::move(prepared.value());
  }
  if (core::Status s = file_.Remember(); !s.ok()) return s;
  if (core::Status s = checkpointer_.Start(db_->path()); !s.ok()) return s;
  sqlite3_wal_hook(db_->db(), &Writer::OnWalCommit, this);
  last_seal_ = clock_.Now();
  thread_ = std::thread([this] { Run(); });
  return core::Status::Ok();
}

void Writer::Stop() {
  queue_.Close();
  if (thread_.joinable()) thread_.join();
  checkpointer_.Stop();
}

int Writer::OnWalCommit(void* self, sqlite3*, const char*, int pages) {
  static_cast<Writer*>(self)->wal_pages_ = pages;
  return SQLITE_OK;
}

void Writer::Run() {
  pthread_setname_np(pthread_self(), "vitals-writer");
  for (;;) {
    // Wakes up now and then to seal a tail that stopped growing, or to probe a failing disk.
    const bool failing = !health_.ok() && file_lost_.ok();
    const auto wait = appender_.tail_rows() > 0 || failing ? std::chrono::milliseconds(250)
                                                           : std::chrono::milliseconds(1000);
    WriteGroup group = queue_.Take(std::chrono::steady_clock::now() + wait);
    const bool seal = SealDue(group, clock_.Now());
    const bool probe = failing && group.empty() && !seal;
    if (!group.empty() || seal || probe) Commit(group, seal, probe);
    if (group.closed) return;
  }
}

bool Writer::SealDue(const WriteGroup& group, core::Timestamp now) {
  for (const WriteJob& job : group.jobs) {
    if (job.seal) return true;
  }
  if (now < last_seal_) last_seal_ = now;  // the clock moved back
  const size_t rows = appender_.tail_rows() + group.acknowledged_rows;
  if (rows >= options_.max_tail_rows) return true;
  return appender_.tail_rows() > 0 && now - last_seal_ >= options_.seal_period;
}

core::Status Writer::RunStatement(Statement& s, const char* what) {
  core::Status status = s.Run(what);
  if (!status.ok()) return core::Status::IoError(status.message() + " (" + db_->path() + ")");
  return status;
}

void Writer::Commit(WriteGroup& group, bool seal, bool probe) {
  const auto start = std::chrono::steady_clock::now();
  const core::Timestamp now = clock_.Now();
  Outcome out;
  core::Status s = file_lost_;
  if (s.ok()) s = RunStatement(begin_, "begin the group commit");
  if (s.ok()) s = WriteAll(group, now, out);
  if (s.ok() && probe) s = RunStatement(probe_, "probe write");
  if (s.ok() && seal) s = appender_.Seal();
  if (s.ok()) s = appender_.Finish();
  if (s.ok()) s = RunStatement(commit_, "commit");
  // After the commit: what went into a file no longer at the path is not acknowledged.
  if (s.ok()) s = CheckFile();
  if (s.ok()) {
    appender_.Committed();
    if (seal) last_seal_ = now;
  } else {
    if (context_.in_transaction()) (void)rollback_.Run("rollback");
    appender_.RolledBack();
    counters_.commit_failures.fetch_add(1, std::memory_order_relaxed);
    if (s.code() != core::StatusCode::kUnavailable) {
      std::fprintf(stderr, "vitals store: group commit failed: %s\n", s.message().c_str());
    }
    s = ForClients(s);
  }
  health_.Record(s);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  counters_.last_commit_ms.store(ms, std::memory_order_relaxed);
  AddDouble(counters_.commit_ms_total, ms);
  counters_.commits.fetch_add(1, std::memory_order_relaxed);
  Deliver(group, s, out);
  MaybeCheckpoint();
}

core::Status Writer::CheckFile() {
  if (!file_lost_.ok()) return file_lost_;
  core::Status s = file_.CheckStillThere();
  if (s.ok()) return s;
  file_lost_ = s;
  std::fprintf(stderr,
               "vitals store: ERROR: the database file %s was deleted or replaced while the "
               "server was running; every write from now on fails (503) and readiness is off. "
               "Restart the server to open or create the file again.\n",
               file_.path().c_str());
  return s;
}

core::Status Writer::ForClients(const core::Status& s) const {
  const std::string& path = file_.path();
  std::string message = s.message();
  if (path.empty()) return s;
  // Statements note the file as " (path)": dropped; any other mention is replaced.
  const std::string noted = " (" + path + ")";
  for (size_t at; (at = message.find(noted)) != std::string::npos;) message.erase(at, noted.size());
  for (size_t at; (at = message.find(path)) != std::string::npos;) {
    message.replace(at, path.size(), "the database file");
  }
  return core::Status(s.code(), std::move(message));
}

core::Status Writer::WriteAll(WriteGroup& group, core::Timestamp now, Outcome& out) {
  if (core::Status s = AppendExecutions(group, now, out); !s.ok()) return s;
  for (const HeartbeatBatch& batch : group.heartbeats) {
    if (core::Status s = context_.WriteHeartbeats(batch.rows); !s.ok()) return s;
    out.heartbeats += batch.rows.size();
  }
  // A background record that fails is dropped and counted; the group goes on unless SQLite
  // ended the transaction.
  for (const BackgroundBatch& batch : group.background) {
    core::Status s = context_.WriteBackground(batch);
    if (s.ok()) continue;
    counters_.background_failures.fetch_add(1, std::memory_order_relaxed);
    std::fprintf(stderr, "vitals store: background write failed: %s\n", s.message().c_str());
    if (!context_.in_transaction()) return s;
  }
  out.jobs.reserve(group.jobs.size());
  for (WriteJob& job : group.jobs) {
    out.jobs.push_back(job.run ? job.run(context_) : core::Status::Ok());
    if (!context_.in_transaction()) return out.jobs.back();
  }
  return core::Status::Ok();
}

// One append for the whole group: its requests' rows share multi-row statements.
core::Status Writer::AppendExecutions(WriteGroup& group, core::Timestamp now, Outcome& out) {
  if (group.executions.empty()) return core::Status::Ok();
  std::vector<const ExecutionWrite*> rows;
  rows.reserve(group.acknowledged_rows);
  for (const ExecutionBatch& batch : group.executions) {
    for (const ExecutionWrite& row : batch.rows) rows.push_back(&row);
  }
  return appender_.Append(rows, now, out.ids);
}

void Writer::SetCompletionExecutor(CompletionExecutor executor) {
  std::lock_guard<std::mutex> lock(executor_mu_);
  executor_ = std::move(executor);
}

void Writer::Deliver(WriteGroup& group, const core::Status& status, Outcome& out) {
  if (status.ok()) {
    const auto stored =
        std::count_if(out.ids.begin(), out.ids.end(), [](int64_t id) { return id > 0; });
    counters_.executions_written.fetch_add(static_cast<uint64_t>(stored),
                                           std::memory_order_relaxed);
    counters_.heartbeats_written.fetch_add(out.heartbeats, std::memory_order_relaxed);
  }
  CompletionExecutor executor;
  {
    std::lock_guard<std::mutex> lock(executor_mu_);
    executor = executor_;
  }
  AcknowledgeGroup(group, status, std::move(out.ids), out.jobs, executor);
}

// The checkpointer copies frames beside the writer; past four times the bound (it cannot catch up
// with a writer that keeps appending) the writer copies the rest itself so the WAL can restart.
void Writer::MaybeCheckpoint() {
  if (wal_pages_ < options_.checkpoint_pages) return;
  if (wal_pages_ < kWalHardBoundFactor * options_.checkpoint_pages) {
    checkpointer_.Request();
    return;
  }
  const int rc =
      sqlite3_wal_checkpoint_v2(db_->db(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    std::fprintf(stderr, "vitals store: checkpoint of %s failed: %s\n", db_->path().c_str(),
                 sqlite3_errstr(rc));
  }
  wal_pages_ = 0;
}

}  // namespace vitals::store
