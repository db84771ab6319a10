#include "store/postgres/pg_writer.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "store/acknowledge_group.h"
#include "store/columns/execution_columns.h"
#include "store/postgres/pg_background.h"
#include "store/postgres/pg_schema.h"

namespace vitals::store {
namespace {

void AddDouble(std::atomic<double>& a, double v) {
  double old = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(old, old + v, std::memory_order_relaxed)) {
  }
}

// Advances the meta counter `key` by n inside the transaction; the first of the n ids.
core::Result<int64_t> TakeIds(PgConnection& db, const char* key, size_t n) {
  PgParams p;
  p.Bind(1, static_cast<int64_t>(n));
  p.Bind(2, std::string_view(key));
  auto r = db.Query("UPDATE meta SET value = value + $1 WHERE key = $2 RETURNING value - $1", p);
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) != 1)
    return core::Status::IoError(std::string("meta row missing: ") + key);
  return PgRow(r->get(), 0).Int(0);
}

}  // namespace

PgWriter::PgWriter(std::string url, int timeout_ms, WriteQueue& queue, const core::Clock& clock,
                   size_t recent_executions, PgAppendMethod append_method,
                   const std::string& writer_node)
    : db_(std::move(url), timeout_ms,
          writer_node.empty() ? "" : "-c vitals.node_id=" + writer_node),
      queue_(queue),
      clock_(clock),
      recent_(recent_executions),
      append_method_(append_method) {}

PgWriter::~PgWriter() { Stop(); }

core::Status PgWriter::Start() {
  if (core::Status s = db_.Connect(); !s.ok()) return s;
  if (core::Status s = LoadRecent(); !s.ok()) return s;
  const int64_t today = PgDayOf(core::ToMicros(clock_.Now()));
  for (const PgPartitionedTable* t : {&kPgExecutionLog, &kPgHeartbeats}) {
    if (core::Status s = EnsurePgPartition(db_, *t, today); !s.ok()) return s;
  }
  execution_days_.insert(today);
  heartbeat_days_.insert(today);
  thread_ = std::thread([this] { Run(); });
  return core::Status::Ok();
}

// Remembers the latest rows of the log, so a client's retry after a restart is recognized.
core::Status PgWriter::LoadRecent() {
  if (recent_.capacity() == 0) return core::Status::Ok();
  const size_t n = std::min(recent_.capacity(), RecentExecutions::kRestoredRows);
  auto rows = db_.Query(std::string("SELECT * FROM (SELECT ") + kExecutionColumns +
                        " FROM agent_execution_logs ORDER BY id DESC LIMIT " + std::to_string(n) +
                        ") latest ORDER BY id");
  if (!rows.ok()) return rows.status();
  for (int i = 0; i < PQntuples(rows->get()); ++i) recent_.RememberRow(PgRow(rows->get(), i));
  return core::Status::Ok();
}

void PgWriter::Stop() {
  queue_.Close();
  if (thread_.joinable()) thread_.join();
}

void PgWriter::SetCompletionExecutor(CompletionExecutor executor) {
  std::lock_guard<std::mutex> lock(executor_mu_);
  executor_ = std::move(executor);
}

void PgWriter::Run() {
  pthread_setname_np(pthread_self(), "vitals-pgwriter");
  auto last_ping = std::chrono::steady_clock::now();
  for (;;) {
    const auto wait =
        health_.ok() ? std::chrono::milliseconds(1000) : std::chrono::milliseconds(250);
    WriteGroup group = queue_.Take(std::chrono::steady_clock::now() + wait);
    const auto now = std::chrono::steady_clock::now();
    if (!group.empty()) {
      Commit(group);
      last_ping = now;
    } else if (!health_.ok() || now - last_ping >= std::chrono::milliseconds(900)) {
      Ping();
      last_ping = now;
    }
    if (group.closed) return;
  }
}

void PgWriter::Ping() {
  core::Status s = db_.Connect();
  if (s.ok()) s = db_.Exec("SELECT 1");
  (void)Record(s);
}

core::Status PgWriter::Record(const core::Status& s) {
  if (s.ok()) {
    if (!last_logged_.empty()) std::fprintf(stderr, "vitals store: PostgreSQL is back\n");
    last_logged_.clear();
    health_.Record(s);
    return s;
  }
  if (s.message() != last_logged_) {
    std::fprintf(stderr, "vitals store: %s\n", s.message().c_str());
    last_logged_ = s.message();
  }
  const core::Status for_clients =
      s.code() == core::StatusCode::kUnavailable
          ? core::Status::Unavailable("the PostgreSQL store is unavailable")
          : core::Status::IoError("the PostgreSQL store failed to commit");
  health_.Record(for_clients);
  return for_clients;
}

void PgWriter::Commit(WriteGroup& group) {
  const auto start = std::chrono::steady_clock::now();
  Outcome out;
  core::Status s = TryCommit(group, out);
  if (!s.ok() && s.code() != core::StatusCode::kUnavailable) {
    // A partition dropped under us (retention here or on another node) fails the COPY: learn the
    // partitions again and retry once.
    execution_days_.clear();
    heartbeat_days_.clear();
    out = Outcome();
    s = TryCommit(group, out);
  }
  if (!s.ok()) counters_.commit_failures.fetch_add(1, std::memory_order_relaxed);
  const core::Status answer = Record(s);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  counters_.last_commit_ms.store(ms, std::memory_order_relaxed);
  AddDouble(counters_.commit_ms_total, ms);
  counters_.commits.fetch_add(1, std::memory_order_relaxed);
  if (s.ok()) {
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
  AcknowledgeGroup(group, answer, std::move(out.ids), {}, executor);
}

core::Status PgWriter::TryCommit(WriteGroup& group, Outcome& out) {
  if (partitions_changed_.exchange(false, std::memory_order_acq_rel)) {
    execution_days_.clear();
    heartbeat_days_.clear();
  }
  core::Status s = EnsurePartitions(group);
  if (s.ok()) s = db_.Exec("BEGIN");
  if (s.ok()) s = WriteBackground(group);
  if (s.ok()) s = AppendHeartbeats(group, out);
  // Last, so the meta row's lock (which orders commits across nodes) is held briefly.
  if (s.ok()) s = AppendExecutions(group, out);
  if (s.ok()) s = db_.Exec("COMMIT");
  if (s.ok()) {
    recent_.Commit();
    return s;
  }
  if (db_.connected()) (void)db_.Exec("ROLLBACK");
  recent_.RollBack();
  return s;
}

core::Status PgWriter::EnsurePartitions(const WriteGroup& group) {
  std::set<int64_t> executions, heartbeats;
  for (const ExecutionBatch& b : group.executions) {
    for (const ExecutionWrite& row : b.rows) {
      const int64_t day = PgDayOf(core::ToMicros(row.event.timestamp));
      if (!execution_days_.contains(day)) executions.insert(day);
    }
  }
  for (const HeartbeatBatch& b : group.heartbeats) {
    for (const StoredHeartbeat& h : b.rows) {
      const int64_t day = PgDayOf(core::ToMicros(h.received_at));
      if (!heartbeat_days_.contains(day)) heartbeats.insert(day);
    }
  }
  for (int64_t day : executions) {
    if (core::Status s = EnsurePgPartition(db_, kPgExecutionLog, day); !s.ok()) return s;
    execution_days_.insert(day);
  }
  for (int64_t day : heartbeats) {
    if (core::Status s = EnsurePgPartition(db_, kPgHeartbeats, day); !s.ok()) return s;
    heartbeat_days_.insert(day);
  }
  return core::Status::Ok();
}

core::Status PgWriter::WriteBackground(WriteGroup& group) {
  for (const BackgroundBatch& batch : group.background) {
    uint64_t fenced = 0;
    core::Status s = db_.Exec("SAVEPOINT background");
    if (s.ok()) s = WritePgBackground(db_, batch, &fenced);
    if (s.ok()) s = db_.Exec("RELEASE SAVEPOINT background");
    if (s.ok()) {
      counters_.fenced_rows.fetch_add(fenced, std::memory_order_relaxed);
      continue;
    }
    if (s.code() == core::StatusCode::kUnavailable) return s;
    counters_.background_failures.fetch_add(1, std::memory_order_relaxed);
    std::fprintf(stderr, "vitals store: background write failed: %s\n", s.message().c_str());
    if (core::Status r = db_.Exec("ROLLBACK TO SAVEPOINT background"); !r.ok()) return r;
  }
  return core::Status::Ok();
}

core::Status PgWriter::AppendHeartbeats(WriteGroup& group, Outcome& out) {
  std::vector<const StoredHeartbeat*> rows;
  for (const HeartbeatBatch& b : group.heartbeats) {
    for (const StoredHeartbeat& h : b.rows) rows.push_back(&h);
  }
  if (rows.empty()) return core::Status::Ok();
  auto first = TakeIds(db_, "next_heartbeat_id", rows.size());
  if (!first.ok()) return first.status();
  out.heartbeats = rows.size();
  return WritePgHeartbeats(db_, rows, *first);
}

// One COPY for the whole group: its requests' rows share it.
core::Status PgWriter::AppendExecutions(WriteGroup& group, Outcome& out) {
  if (group.executions.empty()) return core::Status::Ok();
  out.ids.reserve(group.acknowledged_rows);
  std::vector<const ExecutionWrite*> fresh;
  fresh.reserve(group.acknowledged_rows);
  for (const ExecutionBatch& b : group.executions) {
    for (const ExecutionWrite& row : b.rows) {
      switch (recent_.Admit(row)) {
        case RecentExecutions::Verdict::kNew:
          out.ids.push_back(1);  // a placeholder; numbered below
          fresh.push_back(&row);
          break;
        case RecentExecutions::Verdict::kDuplicate:
          out.ids.push_back(kDuplicateExecution);
          break;
        case RecentExecutions::Verdict::kConflict:
          out.ids.push_back(kConflictingExecution);
          break;
      }
    }
  }
  if (fresh.empty()) return core::Status::Ok();
  auto first = TakeIds(db_, "next_execution_id", fresh.size());
  if (!first.ok()) return first.status();
  int64_t next = *first;
  for (int64_t& id : out.ids) {
    if (id > 0) id = next++;
  }
  if (append_method_ == PgAppendMethod::kPipelinedInsert) return InsertExecutions(fresh, *first);
  std::string data;
  data.reserve(fresh.size() * 192);
  next = *first;
  for (const ExecutionWrite* row : fresh) {
    PgCopyRow copy(data);
    BindExecution(copy, 1, next++, *row);
  }
  return db_.CopyIn(std::string("COPY agent_execution_logs (") + kExecutionColumns + ") FROM STDIN",
                    data);
}

// Multi-row INSERTs of up to 1,000 rows, all sent in one pipeline.
core::Status PgWriter::InsertExecutions(const std::vector<const ExecutionWrite*>& rows,
                                        int64_t first_id) {
  constexpr size_t kRowsPerStatement = 1000;
  std::vector<std::pair<std::string, PgParams>> statements;
  for (size_t from = 0; from < rows.size(); from += kRowsPerStatement) {
    const size_t n = std::min(kRowsPerStatement, rows.size() - from);
    std::string sql =
        std::string("INSERT INTO agent_execution_logs (") + kExecutionColumns + ") VALUES ";
    PgParams params;
    for (size_t r = 0; r < n; ++r) {
      const int base = static_cast<int>(r) * kExecutionColumnCount;
      sql += r == 0 ? "(" : ", (";
      for (int c = 1; c <= kExecutionColumnCount; ++c) {
        sql += (c > 1 ? ", $" : "$") + std::to_string(base + c);
      }
      sql += ")";
      BindExecution(params, base + 1, first_id + static_cast<int64_t>(from + r), *rows[from + r]);
    }
    statements.emplace_back(std::move(sql), std::move(params));
  }
  return db_.Pipeline(statements);
}

}  // namespace vitals::store
