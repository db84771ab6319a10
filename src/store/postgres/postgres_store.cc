#include "store/postgres/postgres_store.h"

#include <future>
#include <set>

#include "store/columns/agent_columns.h"
#include "store/columns/record_columns.h"
#include "store/postgres/pg_schema.h"
#include "store/postgres/postgres_store_impl.h"

namespace vitals::store {
namespace {

// As the SQLite store: background records are derived data; a tenth of the acknowledged bound
// keeps them from crowding out memory when the database falls behind.
size_t BackgroundCapacity(size_t capacity) { return std::max<size_t>(capacity / 10, 10'000); }

std::string Placeholders(int count) {
  std::string out;
  for (int i = 1; i <= count; ++i) out += (i > 1 ? ", $" : "$") + std::to_string(i);
  return out;
}

}  // namespace

core::Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  return PostgresStore::Open(options);
}

core::Result<std::unique_ptr<Store>> PostgresStore::Open(const PostgresOptions& options) {
  for (char c : options.writer_node) {
    if (c <= ' ' || c > '~' || c == '"' || c == '\'' || c == '\\') {
      return core::Status::InvalidArgument(
          "store writer node id may hold printable characters only, no spaces, quotes or "
          "backslashes");
    }
  }
  std::unique_ptr<PostgresStore> store(new PostgresStore(options));
  if (core::Status s = store->Init(); !s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

PostgresStore::PostgresStore(const PostgresOptions& options)
    : options_(options),
      clock_(options.clock != nullptr ? *options.clock : *core::SystemClock::Instance()),
      queue_(options.write_queue_capacity, BackgroundCapacity(options.write_queue_capacity)),
      pool_(options.url, options.timeout_ms, options.read_connections) {}

PostgresStore::~PostgresStore() {
  if (writer_) writer_->Stop();
}

core::Status PostgresStore::Init() {
  {
    PgConnection db(options_.url, options_.timeout_ms);
    if (core::Status s = db.Connect(); !s.ok()) return s;
    if (core::Status s = MigratePg(db, clock_.Now()); !s.ok()) return s;
  }
  writer_ = std::make_unique<PgWriter>(options_.url, options_.timeout_ms, queue_, clock_,
                                       options_.recent_executions, options_.append_method,
                                       options_.writer_node);
  return writer_->Start();
}

void PostgresStore::AppendExecutions(
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

void PostgresStore::AppendHeartbeats(std::vector<StoredHeartbeat> rows, Done done) {
  HeartbeatBatch batch{std::move(rows), std::move(done)};
  if (queue_.Push(batch)) return;
  if (batch.done) {
    batch.done(core::Status::ResourceExhausted("store write queue is full (" +
                                               std::to_string(queue_.capacity()) + " rows)"));
  }
}

void PostgresStore::RecordTransitions(std::vector<TransitionRecord> rows) {
  queue_.Push(BackgroundBatch(std::move(rows)));
}
void PostgresStore::RecordHealth(std::vector<HealthRecord> rows) {
  queue_.Push(BackgroundBatch(std::move(rows)));
}
void PostgresStore::RecordAlerts(std::vector<core::Alert> rows) {
  queue_.Push(BackgroundBatch(std::move(rows)));
}
void PostgresStore::RecordMetrics(std::vector<MetricRecord> rows) {
  queue_.Push(BackgroundBatch(std::move(rows)));
}
void PostgresStore::SaveCheckpoints(std::vector<Checkpoint> rows) {
  queue_.Push(BackgroundBatch(std::move(rows)));
}

core::Status PostgresStore::Run(const std::string& sql, PgParams& params, int64_t* affected) {
  PgPool::Lease c = pool_.Acquire();
  auto result = c->Query(sql, params);
  if (!result.ok()) return result.status();
  if (affected != nullptr) *affected = PgConnection::Affected(*result);
  return core::Status::Ok();
}

core::Status PostgresStore::UpsertAgent(const RegisteredAgent& agent) {
  static const std::string sql = std::string("INSERT INTO agent_registry (") + kAgentColumns +
                                 ") VALUES (" + Placeholders(kAgentColumnCount) +
                                 ") ON CONFLICT (organization_id, agent_id) DO UPDATE SET (" +
                                 kAgentColumns + ") = ROW(EXCLUDED.*)";
  const std::string depends_on = EncodeJsonStrings(agent.settings.depends_on);
  Flush();  // Ordered after queued background writes (contract).
  PgParams p;
  BindAgent(p, agent, depends_on);
  return Run(sql, p);
}

core::Status PostgresStore::DeleteAgent(std::string_view organization_id,
                                        std::string_view agent_id) {
  Flush();  // A checkpoint queued before the deletion must not outlive it.
  PgParams p;
  p.Bind(1, organization_id);
  p.Bind(2, agent_id);
  int64_t deleted = 0;
  // One statement: the checkpoint goes with the registration.
  core::Status s =
      Run("WITH c AS (DELETE FROM agent_checkpoints WHERE organization_id = $1 AND agent_id = $2) "
          "DELETE FROM agent_registry WHERE organization_id = $1 AND agent_id = $2",
          p, &deleted);
  if (!s.ok() || deleted > 0) return s;
  return core::Status::NotFound("agent " + std::string(agent_id) + " is not registered in " +
                                std::string(organization_id));
}

core::Status PostgresStore::CreateApiKey(const ApiKeyRecord& key) {
  PgParams p;
  BindApiKey(p, key);
  core::Status s = Run(
      std::string("INSERT INTO api_keys (") + kApiKeyColumns + ") VALUES (" + Placeholders(7) + ")",
      p);
  if (s.code() == core::StatusCode::kAlreadyExists) {
    return core::Status::AlreadyExists("an api key with this id or secret exists: " + key.id);
  }
  return s;
}

core::Status PostgresStore::RevokeApiKey(std::string_view organization_id, std::string_view key_id,
                                         core::Timestamp at) {
  PgParams p;
  p.Bind(1, organization_id);
  p.Bind(2, key_id);
  p.Bind(3, at);
  int64_t changed = 0;
  core::Status s =
      Run("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3) WHERE organization_id = $1 "
          "AND id = $2",
          p, &changed);
  if (!s.ok() || changed > 0) return s;
  return core::Status::NotFound("no api key " + std::string(key_id) + " in " +
                                std::string(organization_id));
}

core::Status PostgresStore::PutResource(const ResourceRecord& r) {
  PgParams p;
  p.Bind(1, std::string_view(r.organization_id));
  p.Bind(2, std::string_view(r.kind));
  p.Bind(3, std::string_view(r.id));
  p.Bind(4, std::string_view(r.spec_json));
  p.Bind(5, r.created_at);
  p.Bind(6, r.updated_at);
  return Run(
      "INSERT INTO resources (organization_id, kind, id, spec, created_at, updated_at) VALUES "
      "($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, organization_id, id) DO UPDATE SET "
      "spec = EXCLUDED.spec, updated_at = EXCLUDED.updated_at",
      p);
}

core::Status PostgresStore::DeleteResource(std::string_view organization_id, std::string_view kind,
                                           std::string_view id) {
  PgParams p;
  p.Bind(1, organization_id);
  p.Bind(2, kind);
  p.Bind(3, id);
  int64_t deleted = 0;
  core::Status s = Run("DELETE FROM resources WHERE organization_id = $1 AND kind = $2 AND id = $3",
                       p, &deleted);
  if (!s.ok() || deleted > 0) return s;
  return core::Status::NotFound(std::string(kind) + " '" + std::string(id) + "' not found");
}

core::Status PostgresStore::RecordDelivery(const DeliveryRecord& d) {
  PgParams p;
  p.Bind(1, std::string_view(d.organization_id));
  p.Bind(2, std::string_view(d.alert_id));
  p.Bind(3, std::string_view(d.route_id));
  p.Bind(4, std::string_view(d.change));
  p.Bind(5, d.attempt);
  p.Bind(6, std::string_view(d.outcome));
  p.Bind(7, std::string_view(d.detail));
  p.Bind(8, d.at);
  return Run(
      "INSERT INTO deliveries (organization_id, alert_id, route_id, change, attempt, outcome, "
      "detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      p);
}

core::Result<size_t> PostgresStore::ClaimAgents(
    std::string_view node_id, uint64_t epoch,
    std::span<const std::pair<std::string, std::string>> agents) {
  std::set<std::pair<std::string_view, std::string_view>> distinct;
  for (const auto& [org, agent] : agents) distinct.emplace(org, agent);
  if (distinct.empty()) return size_t{0};
  std::vector<std::string_view> orgs, ids;
  orgs.reserve(distinct.size());
  ids.reserve(distinct.size());
  for (const auto& [org, agent] : distinct) {
    orgs.push_back(org);
    ids.push_back(agent);
  }
  PgParams p;
  p.Bind(1, std::string_view(PgTextArray(orgs)));
  p.Bind(2, std::string_view(PgTextArray(ids)));
  p.Bind(3, node_id);
  p.Bind(4, static_cast<int64_t>(epoch));
  p.Bind(5, clock_.Now());
  int64_t claimed = 0;
  core::Status s =
      Run("INSERT INTO agent_owners (organization_id, agent_id, node_id, epoch, claimed_at) "
          "SELECT o, a, $3, $4::bigint, $5::bigint FROM unnest($1::text[], $2::text[]) AS t(o, a) "
          "ON CONFLICT (organization_id, agent_id) DO UPDATE SET node_id = EXCLUDED.node_id, "
          "epoch = EXCLUDED.epoch, claimed_at = EXCLUDED.claimed_at "
          "WHERE agent_owners.epoch < EXCLUDED.epoch OR "
          "(agent_owners.epoch = EXCLUDED.epoch AND agent_owners.node_id = EXCLUDED.node_id)",
          p, &claimed);
  if (!s.ok()) return s;
  return static_cast<size_t>(claimed);
}

void PostgresStore::SetCompletionExecutor(CompletionExecutor executor) {
  writer_->SetCompletionExecutor(std::move(executor));
}

void PostgresStore::Flush() {
  std::promise<void> flushed;
  WriteJob marker{nullptr, [&flushed](core::Status) { flushed.set_value(); }};
  if (!queue_.Push(marker)) return;
  flushed.get_future().wait();
}

StoreStats PostgresStore::Stats() const {
  const PgWriterCounters& c = writer_->counters();
  StoreStats s;
  s.executions_written = c.executions_written.load(std::memory_order_relaxed);
  s.heartbeats_written = c.heartbeats_written.load(std::memory_order_relaxed);
  s.commits = c.commits.load(std::memory_order_relaxed);
  s.commit_failures = c.commit_failures.load(std::memory_order_relaxed);
  s.background_failures = c.background_failures.load(std::memory_order_relaxed);
  s.fenced_rows = c.fenced_rows.load(std::memory_order_relaxed);
  s.background_dropped = queue_.background_dropped();
  s.last_commit_ms = c.last_commit_ms.load(std::memory_order_relaxed);
  s.commit_ms_total = c.commit_ms_total.load(std::memory_order_relaxed);
  s.queue_depth = queue_.depth();
  s.queue_capacity = queue_.capacity();
  s.rows_deleted_by_retention = retention_deleted_.load(std::memory_order_relaxed);
  return s;
}

core::Status PostgresStore::Health() const { return writer_->health().Get(); }

}  // namespace vitals::store
