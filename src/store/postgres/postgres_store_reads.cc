// PostgresStore's reads (each on a pooled connection for its duration) and retention.
#include <algorithm>
#include <climits>
#include <map>

#include "store/columns/agent_columns.h"
#include "store/columns/execution_columns.h"
#include "store/columns/record_columns.h"
#include "store/postgres/pg_schema.h"
#include "store/postgres/postgres_store_impl.h"

namespace vitals::store {
namespace {

constexpr int kMaxLimit = 10'000;
constexpr int64_t kHourUs = 3'600'000'000;
constexpr int kDeleteChunk = 5'000;

template <typename T>
core::Result<std::optional<T>> First(core::Result<std::vector<T>> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows->front()));
}

std::string Select(const char* columns, const char* rest) {
  return std::string("SELECT ") + columns + " " + rest;
}

template <typename T, T (*Read)(const PgRow&)>
std::optional<T> Always(const PgRow& r) {
  return Read(r);
}

int64_t FloorTo(int64_t t, int64_t unit) { return t - ((t % unit) + unit) % unit; }

}  // namespace

core::Result<std::vector<StoredExecution>> PostgresStore::QueryExecutions(const ExecutionQuery& q) {
  PgParams p;
  p.Bind(1, std::string_view(q.organization_id));
  p.Bind(2, std::string_view(q.agent_id));
  p.Bind(3, q.from ? core::ToMicros(*q.from) : INT64_MIN);
  p.Bind(4, q.to ? core::ToMicros(*q.to) : INT64_MAX);
  p.Bind(5, q.include_started);
  if (q.status) p.Bind(6, std::string_view(*q.status));
  p.Bind(7, std::clamp(q.limit, 0, kMaxLimit));
  if (!q.status) p.BindNull(6);
  return PgQuery<StoredExecution>(
      pool_,
      Select(kExecutionColumns,
             "FROM agent_execution_logs WHERE organization_id = $1 AND agent_id = $2 AND "
             "timestamp >= $3 AND timestamp <= $4 AND ($5::boolean OR NOT started_only) AND "
             "($6::text IS NULL OR status = $6) ORDER BY timestamp DESC, id DESC LIMIT $7"),
      p, Always<StoredExecution, ReadExecution<PgRow>>);
}

core::Result<std::vector<StoredExecution>> PostgresStore::ExecutionsAfter(int64_t after_id,
                                                                          int limit) {
  PgParams p;
  p.Bind(1, after_id);
  p.Bind(2, std::max(limit, 0));
  return PgQuery<StoredExecution>(
      pool_,
      Select(kExecutionColumns, "FROM agent_execution_logs WHERE id > $1 ORDER BY id LIMIT $2"), p,
      Always<StoredExecution, ReadExecution<PgRow>>);
}

core::Result<std::vector<StoredHeartbeat>> PostgresStore::QueryHeartbeats(
    std::string_view organization_id, std::string_view agent_id,
    std::optional<core::Timestamp> from, std::optional<core::Timestamp> to, int limit) {
  PgParams p;
  p.Bind(1, organization_id);
  p.Bind(2, agent_id);
  p.Bind(3, from ? core::ToMicros(*from) : INT64_MIN);
  p.Bind(4, to ? core::ToMicros(*to) : INT64_MAX);
  p.Bind(5, std::max(limit, 0));
  return PgQuery<StoredHeartbeat>(
      pool_,
      Select(kHeartbeatColumns,
             "FROM heartbeats WHERE organization_id = $1 AND agent_id = $2 AND timestamp >= $3 "
             "AND timestamp <= $4 ORDER BY timestamp DESC, id DESC LIMIT $5"),
      p, Always<StoredHeartbeat, ReadHeartbeat<PgRow>>);
}

core::Result<std::vector<StoredHeartbeat>> PostgresStore::LatestHeartbeats() {
  PgParams p;
  return PgQuery<StoredHeartbeat>(pool_, Select(kHeartbeatColumns, "FROM heartbeat_latest"), p,
                                  Always<StoredHeartbeat, ReadHeartbeat<PgRow>>);
}

core::Result<std::vector<RegisteredAgent>> PostgresStore::LoadAgents() {
  PgParams p;
  return PgQuery<RegisteredAgent>(
      pool_, Select(kAgentColumns, "FROM agent_registry ORDER BY organization_id, agent_id"), p,
      ReadAgent<PgRow>);
}

core::Result<std::vector<core::Alert>> PostgresStore::QueryAlerts(const AlertQuery& q) {
  PgParams p;
  p.BindNull(1);
  if (!q.all_organizations) p.Bind(1, std::string_view(q.organization_id));
  p.Bind(2, q.open);
  p.BindNull(3);
  if (q.severity) p.Bind(3, core::AlertSeverityName(*q.severity));
  p.BindNull(4);
  if (q.source_type) p.Bind(4, core::AlertSourceName(*q.source_type));
  p.BindNull(5);
  if (q.source_id) p.Bind(5, std::string_view(*q.source_id));
  p.Bind(6, q.acknowledged);
  p.Bind(7, q.since);
  p.Bind(8, std::max(q.limit, 0));
  return PgQuery<core::Alert>(
      pool_,
      Select(kAlertColumns,
             "FROM alerts WHERE ($1::text IS NULL OR organization_id = $1) "
             "AND ($2::boolean IS NULL OR (resolved_at IS NULL) = $2) "
             "AND ($3::text IS NULL OR severity = $3) AND ($4::text IS NULL OR source_type = $4) "
             "AND ($5::text IS NULL OR source_id = $5) "
             "AND ($6::boolean IS NULL OR (acknowledged_at IS NOT NULL) = $6) "
             "AND ($7::bigint IS NULL OR raised_at >= $7) "
             "ORDER BY raised_at DESC, id DESC LIMIT $8"),
      p, ReadAlert<PgRow>);
}

core::Result<std::optional<core::Alert>> PostgresStore::GetAlert(std::string_view organization_id,
                                                                 std::string_view alert_id) {
  PgParams p;
  p.Bind(1, organization_id);
  p.Bind(2, alert_id);
  return First(PgQuery<core::Alert>(
      pool_, Select(kAlertColumns, "FROM alerts WHERE organization_id = $1 AND id = $2"), p,
      ReadAlert<PgRow>));
}

core::Result<uint64_t> PostgresStore::MaxAlertNumber() {
  PgParams p;
  auto rows = PgQuery<int64_t>(
      pool_,
      "SELECT COALESCE(MAX(substr(id, 7)::numeric), 0)::bigint FROM alerts "
      "WHERE id ~ '^alert_[0-9]{1,19}$' AND substr(id, 7)::numeric <= 9223372036854775807",
      p, [](const PgRow& r) { return std::optional(r.Int(0)); });
  if (!rows.ok()) return rows.status();
  return static_cast<uint64_t>(rows->empty() ? 0 : std::max<int64_t>(rows->front(), 0));
}

core::Result<std::vector<HistoryPoint>> PostgresStore::QueryAgentHistory(
    std::string_view organization_id, std::string_view agent_id, core::Timestamp from,
    core::Timestamp to, core::Duration bucket) {
  const int64_t width = bucket.count();
  if (width <= 0 || width % kHourUs != 0) {
    return core::Status::InvalidArgument("history bucket must be a whole number of hours");
  }
  PgParams p;
  p.Bind(1, organization_id);
  p.Bind(2, agent_id);
  p.Bind(3, FloorTo(core::ToMicros(from), kHourUs));
  p.Bind(4, core::ToMicros(to));
  p.Bind(5, width);
  // Buckets aligned to multiples of `bucket` since the epoch; each one's status is that of its
  // latest snapshot (as the SQLite store computes it).
  return PgQuery<HistoryPoint>(
      pool_,
      "SELECT b, SUM(score_sum), SUM(score_count), "
      "(array_agg(last_status ORDER BY last_at DESC))[1], SUM(executions), SUM(completed), "
      "SUM(failed) FROM (SELECT *, hour - (((hour % $5) + $5) % $5) AS b "
      "FROM health_history_hourly WHERE organization_id = $1 AND agent_id = $2 AND hour >= $3 "
      "AND hour <= $4) h GROUP BY b ORDER BY b",
      p, [](const PgRow& r) -> std::optional<HistoryPoint> {
        auto status = core::ParseHealthStatus(r.TextView(3));
        if (!status) return std::nullopt;
        HistoryPoint point;
        point.timestamp = core::FromMicros(r.Int(0));
        if (r.Int(2) > 0) point.health_score = r.Double(1) / static_cast<double>(r.Int(2));
        point.status = *status;
        point.total_executions = r.Int(4);
        point.completed = r.Int(5);
        point.failed = r.Int(6);
        return point;
      });
}

core::Result<std::vector<TransitionRecord>> PostgresStore::QueryTransitions(
    std::string_view organization_id, std::string_view agent_id,
    std::optional<core::Timestamp> from, int limit) {
  PgParams p;
  p.Bind(1, organization_id);
  p.Bind(2, agent_id);
  p.Bind(3, from ? core::ToMicros(*from) : INT64_MIN);
  p.Bind(4, std::max(limit, 0));
  return PgQuery<TransitionRecord>(
      pool_,
      Select(kTransitionColumns,
             "FROM health_transitions WHERE organization_id = $1 AND agent_id = $2 AND at >= $3 "
             "ORDER BY at DESC, id DESC LIMIT $4"),
      p, ReadTransition<PgRow>);
}

core::Result<std::vector<HealthRecord>> PostgresStore::LoadHealth() {
  PgParams p;
  return PgQuery<HealthRecord>(pool_, Select(kHealthColumns, "FROM agent_health_realtime"), p,
                               ReadHealth<PgRow>);
}

core::Result<std::vector<MetricRecord>> PostgresStore::QueryMetrics(
    std::string_view organization_id, std::string_view resource_type, std::string_view resource_id,
    std::string_view metric_name, core::Timestamp from, core::Timestamp to, int limit) {
  PgParams p;
  p.Bind(1, organization_id);
  p.Bind(2, resource_type);
  p.Bind(3, resource_id);
  p.Bind(4, metric_name);
  p.Bind(5, from);
  p.Bind(6, to);
  p.Bind(7, std::max(limit, 0));
  return PgQuery<MetricRecord>(
      pool_,
      Select(kMetricColumns,
             "FROM health_metrics WHERE organization_id = $1 AND resource_type = $2 AND "
             "resource_id = $3 AND metric_name = $4 AND timestamp >= $5 AND timestamp <= $6 "
             "ORDER BY timestamp, id LIMIT $7"),
      p, Always<MetricRecord, ReadMetric<PgRow>>);
}

core::Result<std::vector<ApiKeyRecord>> PostgresStore::ListApiKeys(
    std::string_view organization_id) {
  PgParams p;
  p.Bind(1, organization_id);
  return PgQuery<ApiKeyRecord>(
      pool_,
      Select(kApiKeyColumns, "FROM api_keys WHERE organization_id = $1 ORDER BY created_at, id"), p,
      ReadApiKey<PgRow>);
}

core::Result<std::vector<ApiKeyRecord>> PostgresStore::ListAllApiKeys() {
  PgParams p;
  return PgQuery<ApiKeyRecord>(
      pool_, Select(kApiKeyColumns, "FROM api_keys ORDER BY organization_id, created_at, id"), p,
      ReadApiKey<PgRow>);
}

core::Result<std::optional<ApiKeyRecord>> PostgresStore::FindApiKeyByHash(
    std::string_view secret_hash) {
  PgParams p;
  p.Bind(1, secret_hash);
  return First(PgQuery<ApiKeyRecord>(
      pool_, Select(kApiKeyColumns, "FROM api_keys WHERE secret_hash = $1"), p, ReadApiKey<PgRow>));
}

core::Result<bool> PostgresStore::HasActiveApiKeys() {
  PgParams p;
  auto rows =
      PgQuery<bool>(pool_, "SELECT EXISTS (SELECT 1 FROM api_keys WHERE revoked_at IS NULL)", p,
                    [](const PgRow& r) { return std::optional(r.Bool(0)); });
  if (!rows.ok()) return rows.status();
  return !rows->empty() && rows->front();
}

core::Result<std::vector<Checkpoint>> PostgresStore::LoadCheckpoints() {
  PgParams p;
  auto agents = PgQuery<Checkpoint>(pool_, Select(kCheckpointColumns, "FROM agent_checkpoints"), p,
                                    Always<Checkpoint, ReadCheckpoint<PgRow>>);
  if (!agents.ok()) return agents;
  auto integrations = PgQuery<Checkpoint>(
      pool_, Select(kIntegrationCheckpointColumns, "FROM integration_checkpoints"), p,
      [](const PgRow& r) {
        Checkpoint c = ReadCheckpoint(r);
        c.kind = CheckpointKind::kIntegration;
        return std::optional(std::move(c));
      });
  if (!integrations.ok()) return integrations;
  for (Checkpoint& c : *integrations) agents->push_back(std::move(c));
  return agents;
}

core::Result<std::vector<ResourceRecord>> PostgresStore::ListResources(std::string_view kind) {
  PgParams p;
  p.Bind(1, kind);
  return PgQuery<ResourceRecord>(
      pool_,
      "SELECT organization_id, kind, id, spec, created_at, updated_at FROM resources "
      "WHERE kind = $1 ORDER BY organization_id, id",
      p, [](const PgRow& r) {
        return std::optional(
            ResourceRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Time(4), r.Time(5)});
      });
}

core::Result<std::vector<DeliveryRecord>> PostgresStore::QueryDeliveries(
    std::string_view organization_id, std::string_view alert_id, int limit) {
  PgParams p;
  p.Bind(1, organization_id);
  p.Bind(2, alert_id);
  p.Bind(3, std::max(limit, 0));
  return PgQuery<DeliveryRecord>(
      pool_,
      "SELECT id, organization_id, alert_id, route_id, change, attempt, outcome, detail, at "
      "FROM deliveries WHERE organization_id = $1 AND ($2 = '' OR alert_id = $2) "
      "ORDER BY id DESC LIMIT $3",
      p, [](const PgRow& r) {
        return std::optional(DeliveryRecord{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4),
                                            static_cast<int>(r.Int(5)), r.Text(6), r.Text(7),
                                            r.Time(8)});
      });
}

// Drops each day partition that holds only rows older than the cutoff (its rows counted first).
core::Result<uint64_t> PostgresStore::DropExpiredPartitions(const PgPartitionedTable& t,
                                                            int64_t cutoff_us) {
  PgPool::Lease c = pool_.Acquire();
  auto days = PgPartitionDays(*c, t);
  if (!days.ok()) return days.status();
  uint64_t deleted = 0;
  for (int64_t day : *days) {
    if (PgDayStart(day + 1) > cutoff_us) break;
    const std::string name = PgPartitionName(t, day);
    auto count = c->Query("SELECT count(*) FROM " + name);
    if (!count.ok()) return count.status();
    deleted += static_cast<uint64_t>(PgRow(count->get(), 0).Int(0));
    if (core::Status s = c->Exec("DROP TABLE " + name); !s.ok()) return s;
    writer_->PartitionsChanged();
  }
  return deleted;
}

core::Status PostgresStore::RunRetention(core::Timestamp cutoff) {
  const int64_t cutoff_us = core::ToMicros(cutoff);
  for (const PgPartitionedTable* t : {&kPgExecutionLog, &kPgHeartbeats}) {
    auto dropped = DropExpiredPartitions(*t, cutoff_us);
    if (!dropped.ok()) return dropped.status();
    retention_deleted_.fetch_add(*dropped, std::memory_order_relaxed);
  }
  // The smaller tables lose their old rows in chunks, so no statement holds locks long.
  constexpr std::pair<const char*, const char*> kTables[] = {
      {"health_metrics", "timestamp < $1"},
      {"deliveries", "at < $1"},
      {"health_transitions", "at < $1"},
      {"health_history_hourly", "hour + 3600000000 <= $1"},
      {"heartbeat_latest", "received_at < $1"}};
  for (const auto& [table, expired] : kTables) {
    const std::string sql = std::string("DELETE FROM ") + table +
                            " WHERE ctid IN (SELECT ctid FROM " + table + " WHERE " + expired +
                            " LIMIT " + std::to_string(kDeleteChunk) + ")";
    for (int64_t n = kDeleteChunk; n >= kDeleteChunk;) {
      PgParams p;
      p.Bind(1, cutoff_us);
      if (core::Status s = Run(sql, p, &n); !s.ok()) return s;
      retention_deleted_.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
    }
  }
  return core::Status::Ok();
}

}  // namespace vitals::store
