#include "store/sqlite/sqlite_store.h"

#include <future>

#include "store/columns/agent_columns.h"
#include "store/columns/record_columns.h"
#include "store/json_strings.h"
#include "store/sqlite/database_file.h"
#include "store/sqlite/retention.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace vitals::store {
namespace {

constexpr int kPageSize = 32768;

// A WAL that restarts is overwritten in place, never trimmed below the size the writer lets it
// reach: an fdatasync that must also write a grown file's size costs about twice as much
// (measured on this machine's ext4: 218 vs 112 us per 32 KB write + fdatasync), and trimming
// made every small commit pay that while the WAL grew back.
int64_t WalKeepBytes(const SqliteOptions& o) {
  return (kWalHardBoundFactor + 1) * o.wal_checkpoint_bytes;
}

// Background records are derived data; a tenth of the acknowledged bound keeps them from
// crowding out memory when the disk falls behind.
size_t BackgroundCapacity(size_t capacity) { return std::max<size_t>(capacity / 10, 10'000); }

core::Status Configure(Connection& db, const SqliteOptions& o) {
  if (o.synchronous != "full" && o.synchronous != "normal") {
    return core::Status::InvalidArgument("synchronous must be \"full\" or \"normal\", got \"" +
                                         o.synchronous + "\"");
  }
  // Large pages cut the WAL's per-page work (a write call and a frame header per page); measured
  // on the ingest benchmark: 4 KB 260k rows/s, 16 KB 324k, 32 KB 370k, 64 KB 313k. Only applies
  // to a new database.
  if (core::Status s = db.Exec("PRAGMA page_size = " + std::to_string(kPageSize)); !s.ok()) {
    return s;
  }
  auto mode = db.Prepare("PRAGMA journal_mode = WAL", false);
  if (!mode.ok()) return mode.status();
  if (!mode->Step() || mode->TextView(0) != "wal") {
    return core::Status::IoError("cannot switch " + o.path + " to WAL mode");
  }
  sqlite3_busy_timeout(db.db(), 5000);
  return db.Exec("PRAGMA synchronous = " + o.synchronous + "; PRAGMA cache_size = -" +
                 std::to_string(int64_t{o.cache_mb} * 1024) +
                 "; PRAGMA temp_store = MEMORY; PRAGMA journal_size_limit = " +
                 std::to_string(WalKeepBytes(o)));
}

}  // namespace

core::Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  return SqliteStore::Open(options);
}

core::Result<std::unique_ptr<Store>> SqliteStore::Open(const SqliteOptions& options) {
  std::unique_ptr<SqliteStore> store(new SqliteStore(options));
  if (core::Status s = store->Init(); !s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

SqliteStore::SqliteStore(const SqliteOptions& options)
    : options_(options),
      clock_(options.clock != nullptr ? *options.clock : *core::SystemClock::Instance()),
      queue_(options.write_queue_capacity, BackgroundCapacity(options.write_queue_capacity)) {}

SqliteStore::~SqliteStore() {
  if (writer_) writer_->Stop();
}

core::Status SqliteStore::Init() {
  if (core::Status s = DatabaseFile(options_.path).MakePrivate(); !s.ok()) return s;
  auto db = std::make_unique<Connection>();
  if (core::Status s = db->Open(options_.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      !s.ok()) {
    return s;
  }
  if (core::Status s = Configure(*db, options_); !s.ok()) return s;
  if (core::Status s = Migrate(*db, clock_.Now()); !s.ok()) return s;
  auto page_size = db->QueryInt("PRAGMA page_size");
  if (!page_size.ok()) return page_size.status();
  WriterOptions writer_options;
  writer_options.recent_executions = options_.recent_executions;
  writer_options.checkpoint_pages = static_cast<int>(std::max<int64_t>(
      options_.wal_checkpoint_bytes / std::max<int64_t>(page_size->value_or(kPageSize), 512), 1));
  writer_ = std::make_unique<Writer>(std::move(db), queue_, tail_, clock_, writer_options);
  if (core::Status s = writer_->Start(); !s.ok()) return s;
  return readers_.Open(options_.path, std::max(options_.read_connections, 1), options_.cache_mb);
}

void SqliteStore::AppendExecutions(
    std::vector<ExecutionWrite> rows,
    std::function<void(core::Status, std::span<const int64_t>)> done) {
  ExecutionBatch batch{std::move(rows), std::move(done)};
  if (queue_.Push(batch)) return;
  if (batch.done) {
    batch.done(core::Status::ResourceExhausted("store write queue is full (" +
                                               std::to_string(queue_.capacity()) + " rows)"),
               {});
  }
}

void SqliteStore::AppendHeartbeats(std::vector<StoredHeartbeat> rows, Done done) {
  HeartbeatBatch batch{std::move(rows), std::move(done)};
  if (queue_.Push(batch)) return;
  if (batch.done) {
    batch.done(core::Status::ResourceExhausted("store write queue is full (" +
                                               std::to_string(queue_.capacity()) + " rows)"));
  }
}

void SqliteStore::RecordTransitions(std::vector<TransitionRecord> rows) {
  queue_.Push(BackgroundBatch(std::move(rows)));
}
void SqliteStore::RecordHealth(std::vector<HealthRecord> rows) {
  queue_.Push(BackgroundBatch(std::move(rows)));
}
void SqliteStore::RecordAlerts(std::vector<core::Alert> rows) {
  queue_.Push(BackgroundBatch(std::move(rows)));
}
void SqliteStore::RecordMetrics(std::vector<MetricRecord> rows) {
  queue_.Push(BackgroundBatch(std::move(rows)));
}
void SqliteStore::SaveCheckpoints(std::vector<Checkpoint> rows) {
  queue_.Push(BackgroundBatch(std::move(rows)));
}

core::Status SqliteStore::RunJob(std::function<core::Status(WriteContext&)> run, bool seal) {
  std::promise<core::Status> result;
  WriteJob job{std::move(run), [&result](core::Status s) { result.set_value(std::move(s)); }, seal};
  if (!queue_.Push(job)) return core::Status::Unavailable("store is closing");
  return result.get_future().get();
}

core::Status SqliteStore::UpsertAgent(const RegisteredAgent& agent) {
  return RunJob([&agent](WriteContext& ctx) {
    auto s = ctx.db().Prepare(std::string("INSERT OR REPLACE INTO agents (") + kAgentColumns +
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                  "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, "
                                  "?25, ?26, ?27, ?28)",
                              false);
    if (!s.ok()) return s.status();
    const std::string depends_on = EncodeJsonStrings(agent.settings.depends_on);
    BindAgent(*s, agent, depends_on);
    return s->Run("upsert into agents");
  });
}

core::Status SqliteStore::DeleteAgent(std::string_view organization_id, std::string_view agent_id) {
  return RunJob([&](WriteContext& ctx) -> core::Status {
    for (const char* table : {"agent_checkpoints", "agents"}) {
      auto s = ctx.db().Prepare(
          std::string("DELETE FROM ") + table + " WHERE organization_id = ?1 AND agent_id = ?2",
          false);
      if (!s.ok()) return s.status();
      s->Bind(1, organization_id);
      s->Bind(2, agent_id);
      if (core::Status st = s->Run(std::string("delete from ") + table); !st.ok()) return st;
    }
    if (ctx.db().changes() > 0) return core::Status::Ok();
    return core::Status::NotFound("agent " + std::string(agent_id) + " is not registered in " +
                                  std::string(organization_id));
  });
}

core::Status SqliteStore::CreateApiKey(const ApiKeyRecord& key) {
  return RunJob([&key](WriteContext& ctx) -> core::Status {
    auto s = ctx.db().Prepare(std::string("INSERT INTO api_keys (") + kApiKeyColumns +
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                              false);
    if (!s.ok()) return s.status();
    BindApiKey(*s, key);
    s->Step();
    const int rc = s->result_code();
    core::Status st = s->status("insert into api_keys");
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
      return core::Status::AlreadyExists("an api key with this id or secret exists: " + key.id);
    }
    return st;
  });
}

core::Status SqliteStore::RevokeApiKey(std::string_view organization_id, std::string_view key_id,
                                       core::Timestamp at) {
  return RunJob([&](WriteContext& ctx) -> core::Status {
    auto s = ctx.db().Prepare(
        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?3) WHERE organization_id = ?1 "
        "AND id = ?2",
        false);
    if (!s.ok()) return s.status();
    s->Bind(1, organization_id);
    s->Bind(2, key_id);
    s->Bind(3, at);
    if (core::Status st = s->Run("revoke in api_keys"); !st.ok()) return st;
    if (ctx.db().changes() > 0) return core::Status::Ok();
    return core::Status::NotFound("no api key " + std::string(key_id) + " in " +
                                  std::string(organization_id));
  });
}

void SqliteStore::SetCompletionExecutor(CompletionExecutor executor) {
  writer_->SetCompletionExecutor(std::move(executor));
}

void SqliteStore::Flush() { (void)RunJob(nullptr, /*seal=*/true); }

core::Status SqliteStore::RunRetention(core::Timestamp cutoff) {
  for (;;) {
    RetentionProgress progress;
    core::Status s = RunJob([&](WriteContext& ctx) -> core::Status {
      auto step = RetentionStep(ctx.db(), cutoff);
      if (!step.ok()) return step.status();
      progress = *step;
      return core::Status::Ok();
    });
    if (!s.ok()) return s;
    retention_deleted_.fetch_add(progress.deleted, std::memory_order_relaxed);
    if (progress.done) return core::Status::Ok();
  }
}

StoreStats SqliteStore::Stats() const {
  const WriterCounters& c = writer_->counters();
  StoreStats s;
  s.executions_written = c.executions_written.load(std::memory_order_relaxed);
  s.heartbeats_written = c.heartbeats_written.load(std::memory_order_relaxed);
  s.commits = c.commits.load(std::memory_order_relaxed);
  s.commit_failures = c.commit_failures.load(std::memory_order_relaxed);
  s.background_failures = c.background_failures.load(std::memory_order_relaxed);
  s.background_dropped = queue_.background_dropped();
  s.last_commit_ms = c.last_commit_ms.load(std::memory_order_relaxed);
  s.commit_ms_total = c.commit_ms_total.load(std::memory_order_relaxed);
  s.queue_depth = queue_.depth();
  s.queue_capacity = queue_.capacity();
  s.rows_deleted_by_retention = retention_deleted_.load(std::memory_order_relaxed);
  return s;
}

core::Status SqliteStore::Health() const { return writer_->health().Get(); }

}  // namespace vitals::store
