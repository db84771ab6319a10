// SqliteStore's reads: each takes a connection from the pool for its duration.
#include <climits>
#include <map>

#include "store/columns/agent_columns.h"
#include "store/columns/record_columns.h"
#include "store/sqlite/execution_reader.h"
#include "store/sqlite/pooled_query.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace vitals::store {
namespace {

auto NoParams() {
  return [](Statement&) {};
}

template <typename T>
core::Result<std::optional<T>> First(core::Result<std::vector<T>> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows->front()));
}

std::string Select(const char* columns, const char* rest) {
  return std::string("SELECT ") + columns + " " + rest;
}

}  // namespace

core::Result<std::vector<StoredExecution>> SqliteStore::QueryExecutions(const ExecutionQuery& q) {
  ReadPool::Lease c = readers_.Acquire();
  return QueryExecutionLog(*c, tail_, q);
}

core::Result<std::vector<StoredExecution>> SqliteStore::ExecutionsAfter(int64_t after_id,
                                                                        int limit) {
  ReadPool::Lease c = readers_.Acquire();
  return ReadExecutionsAfter(*c, after_id, limit);
}

core::Result<std::vector<StoredHeartbeat>> SqliteStore::QueryHeartbeats(
    std::string_view organization_id, std::string_view agent_id,
    std::optional<core::Timestamp> from, std::optional<core::Timestamp> to, int limit) {
  return Query<StoredHeartbeat>(
      readers_,
      Select(kHeartbeatColumns,
             "FROM heartbeats WHERE organization_id = ?1 AND agent_id = ?2 AND timestamp >= ?3 "
             "AND timestamp <= ?4 ORDER BY timestamp DESC, id DESC LIMIT ?5"),
      [&](Statement& s) {
        s.Bind(1, organization_id);
        s.Bind(2, agent_id);
        s.Bind(3, from ? core::ToMicros(*from) : INT64_MIN);
        s.Bind(4, to ? core::ToMicros(*to) : INT64_MAX);
        s.Bind(5, limit);
      },
      [](const Statement& s) { return std::optional(ReadHeartbeat(s)); });
}

core::Result<std::vector<StoredHeartbeat>> SqliteStore::LatestHeartbeats() {
  return Query<StoredHeartbeat>(readers_, Select(kHeartbeatColumns, "FROM heartbeat_latest"),
                                NoParams(),
                                [](const Statement& s) { return std::optional(ReadHeartbeat(s)); });
}

core::Result<std::vector<RegisteredAgent>> SqliteStore::LoadAgents() {
  return Query<RegisteredAgent>(readers_,
                                Select(kAgentColumns,
                                       "FROM agents ORDER BY organization_id, "
                                       "agent_id"),
                                NoParams(), ReadAgent<Statement>);
}

core::Result<std::vector<core::Alert>> SqliteStore::QueryAlerts(const AlertQuery& q) {
  return Query<core::Alert>(
      readers_,
      Select(kAlertColumns,
             "FROM alerts WHERE (?1 IS NULL OR organization_id = ?1) "
             "AND (?2 IS NULL OR (resolved_at IS NULL) = ?2) AND (?3 IS NULL OR severity = ?3) "
             "AND (?4 IS NULL OR source_type = ?4) AND (?5 IS NULL OR source_id = ?5) "
             "AND (?6 IS NULL OR (acknowledged_at IS NOT NULL) = ?6) "
             "AND (?7 IS NULL OR raised_at >= ?7) ORDER BY raised_at DESC, id DESC LIMIT ?8"),
      [&](Statement& s) {
        if (!q.all_organizations) s.Bind(1, std::string_view(q.organization_id));
        s.Bind(2, q.open);
        if (q.severity) s.Bind(3, core::AlertSeverityName(*q.severity));
        if (q.source_type) s.Bind(4, core::AlertSourceName(*q.source_type));
        if (q.source_id) s.Bind(5, std::string_view(*q.source_id));
        s.Bind(6, q.acknowledged);
        s.Bind(7, q.since);
        s.Bind(8, q.limit);
      },
      ReadAlert<Statement>);
}

core::Result<std::optional<core::Alert>> SqliteStore::GetAlert(std::string_view organization_id,
                                                               std::string_view alert_id) {
  return First(Query<core::Alert>(
      readers_, Select(kAlertColumns, "FROM alerts WHERE organization_id = ?1 AND id = ?2"),
      [&](Statement& s) {
        s.Bind(1, organization_id);
        s.Bind(2, alert_id);
      },
      ReadAlert<Statement>));
}

core::Result<uint64_t> SqliteStore::MaxAlertNumber() {
  auto rows = Query<int64_t>(
      readers_,
      "SELECT COALESCE(MAX(CAST(substr(id, 7) AS INTEGER)), 0) FROM alerts WHERE id GLOB "
      "'alert_[0-9]*' AND substr(id, 7) NOT GLOB '*[^0-9]*' AND length(id) <= 25",
      NoParams(), [](const Statement& s) { return std::optional(s.Int(0)); });
  if (!rows.ok()) return rows.status();
  return static_cast<uint64_t>(rows->empty() ? 0 : std::max<int64_t>(rows->front(), 0));
}

core::Result<std::vector<TransitionRecord>> SqliteStore::QueryTransitions(
    std::string_view organization_id, std::string_view agent_id,
    std::optional<core::Timestamp> from, int limit) {
  return Query<TransitionRecord>(
      readers_,
      Select(kTransitionColumns,
             "FROM health_transitions WHERE organization_id = ?1 AND agent_id = ?2 AND at >= ?3 "
             "ORDER BY at DESC, id DESC LIMIT ?4"),
      [&](Statement& s) {
        s.Bind(1, organization_id);
        s.Bind(2, agent_id);
        s.Bind(3, from ? core::ToMicros(*from) : INT64_MIN);
        s.Bind(4, limit);
      },
      ReadTransition<Statement>);
}

core::Result<std::vector<HealthRecord>> SqliteStore::LoadHealth() {
  return Query<HealthRecord>(readers_, Select(kHealthColumns, "FROM agent_health_realtime"),
                             NoParams(), ReadHealth<Statement>);
}

core::Result<std::vector<MetricRecord>> SqliteStore::QueryMetrics(
    std::string_view organization_id, std::string_view resource_type, std::string_view resource_id,
    std::string_view metric_name, core::Timestamp from, core::Timestamp to, int limit) {
  return Query<MetricRecord>(
      readers_,
      Select(kMetricColumns,
             "FROM health_metrics WHERE organization_id = ?1 AND resource_type = ?2 AND "
             "resource_id = ?3 AND metric_name = ?4 AND timestamp >= ?5 AND timestamp <= ?6 "
             "ORDER BY timestamp, id LIMIT ?7"),
      [&](Statement& s) {
        s.Bind(1, organization_id);
        s.Bind(2, resource_type);
        s.Bind(3, resource_id);
        s.Bind(4, metric_name);
        s.Bind(5, from);
        s.Bind(6, to);
        s.Bind(7, limit);
      },
      [](const Statement& s) { return std::optional(ReadMetric(s)); });
}

core::Result<std::vector<ApiKeyRecord>> SqliteStore::ListApiKeys(std::string_view organization_id) {
  return Query<ApiKeyRecord>(
      readers_,
      Select(kApiKeyColumns, "FROM api_keys WHERE organization_id = ?1 ORDER BY created_at, id"),
      [&](Statement& s) { s.Bind(1, organization_id); }, ReadApiKey<Statement>);
}

core::Result<std::vector<ApiKeyRecord>> SqliteStore::ListAllApiKeys() {
  return Query<ApiKeyRecord>(
      readers_, Select(kApiKeyColumns, "FROM api_keys ORDER BY organization_id, created_at, id"),
      [](Statement&) {}, ReadApiKey<Statement>);
}

core::Result<std::optional<ApiKeyRecord>> SqliteStore::FindApiKeyByHash(
    std::string_view secret_hash) {
  return First(Query<ApiKeyRecord>(
      readers_, Select(kApiKeyColumns, "FROM api_keys WHERE secret_hash = ?1"),
      [&](Statement& s) { s.Bind(1, secret_hash); }, ReadApiKey<Statement>));
}

core::Result<bool> SqliteStore::HasActiveApiKeys() {
  auto rows =
      Query<int64_t>(readers_, "SELECT EXISTS (SELECT 1 FROM api_keys WHERE revoked_at IS NULL)",
                     NoParams(), [](const Statement& s) { return std::optional(s.Int(0)); });
  if (!rows.ok()) return rows.status();
  return !rows->empty() && rows->front() != 0;
}

core::Result<std::vector<Checkpoint>> SqliteStore::LoadCheckpoints() {
  auto agents =
      Query<Checkpoint>(readers_, Select(kCheckpointColumns, "FROM agent_checkpoints"), NoParams(),
                        [](const Statement& s) { return std::optional(ReadCheckpoint(s)); });
  if (!agents.ok()) return agents;
  auto integrations = Query<Checkpoint>(
      readers_, Select(kIntegrationCheckpointColumns, "FROM integration_checkpoints"), NoParams(),
      [](const Statement& s) {
        Checkpoint c = ReadCheckpoint(s);
        c.kind = CheckpointKind::kIntegration;
        return std::optional(std::move(c));
      });
  if (!integrations.ok()) return integrations;
  for (Checkpoint& c : *integrations) agents->push_back(std::move(c));
  return agents;
}

}  // namespace vitals::store
