#include "store/sqlite/schema.h"

#include <vector>

#include "store/sqlite/day_partition.h"

namespace vitals::store {
namespace {

struct Migration {
  int version;
  const char* sql;
};

// Version 1: the whole store.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('next_execution_id', 1), ('last_sealed_execution_id', 0);

-- Day tables of the execution log, in id order: ids [first_id, next first_id).
CREATE TABLE execution_partitions (
  day INTEGER PRIMARY KEY, first_id INTEGER NOT NULL, max_ts INTEGER NOT NULL);

-- One row per agent per seal: the ids and timestamps of the agent's executions in that period.
CREATE TABLE execution_blocks (
  id INTEGER PRIMARY KEY, organization_id TEXT NOT NULL, agent_id TEXT NOT NULL,
  min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL, first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL, count INTEGER NOT NULL, ids BLOB NOT NULL);
CREATE INDEX execution_blocks_by_agent ON execution_blocks (organization_id, agent_id, max_ts);

CREATE TABLE agents (
  organization_id TEXT NOT NULL, agent_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
  success_rate_healthy REAL NOT NULL, success_rate_critical REAL NOT NULL,
  latency_p95_healthy_ms REAL NOT NULL, latency_p95_critical_ms REAL NOT NULL,
  error_rate_healthy REAL NOT NULL, error_rate_critical REAL NOT NULL,
  consecutive_failures_critical INTEGER NOT NULL,
  heartbeat_interval_us INTEGER, heartbeat_failure_threshold INTEGER, heartbeat_mode TEXT,
  heartbeat_history_size INTEGER, phi_threshold REAL, phi_min_std_deviation_us INTEGER,
  phi_acceptable_pause_us INTEGER, phi_max_samples INTEGER,
  slo_enabled INTEGER NOT NULL, slo_objective REAL NOT NULL, slo_burn_rate_threshold REAL NOT NULL,
  slo_min_events INTEGER NOT NULL, stuck_after_us INTEGER, paused INTEGER NOT NULL,
  depends_on TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (organization_id, agent_id));

CREATE TABLE heartbeats (
  id INTEGER PRIMARY KEY AUTOINCREMENT, organization_id TEXT NOT NULL, agent_id TEXT NOT NULL,
  timestamp INTEGER NOT NULL, received_at INTEGER NOT NULL, metadata TEXT NOT NULL);
CREATE INDEX heartbeats_by_agent ON heartbeats (organization_id, agent_id, timestamp);
CREATE TABLE heartbeat_latest (
  organization_id TEXT NOT NULL, agent_id TEXT NOT NULL, id INTEGER NOT NULL,
  timestamp INTEGER NOT NULL, received_at INTEGER NOT NULL, metadata TEXT NOT NULL,
  PRIMARY KEY (organization_id, agent_id));

CREATE TABLE agent_health_realtime (
  organization_id TEXT NOT NULL, agent_id TEXT NOT NULL, status TEXT NOT NULL,
  health_score REAL NOT NULL, success_rate_5min REAL, success_rate_1hr REAL,
  latency_p95_5min REAL, error_count_5min INTEGER NOT NULL, error_count_1hr INTEGER NOT NULL,
  executions_5min INTEGER NOT NULL, executions_1hr INTEGER NOT NULL,
  consecutive_failures INTEGER NOT NULL, issues TEXT NOT NULL, last_success_at INTEGER,
  calculated_at INTEGER NOT NULL, PRIMARY KEY (organization_id, agent_id));

-- Per agent and UTC hour: the scores and the last snapshot recorded in that hour.
CREATE TABLE health_history_hourly (
  id INTEGER PRIMARY KEY, organization_id TEXT NOT NULL, agent_id TEXT NOT NULL,
  hour INTEGER NOT NULL, score_sum REAL NOT NULL, score_count INTEGER NOT NULL,
  last_status TEXT NOT NULL, last_at INTEGER NOT NULL, executions INTEGER NOT NULL,
  completed INTEGER NOT NULL, failed INTEGER NOT NULL,
  UNIQUE (organization_id, agent_id, hour));

CREATE TABLE health_transitions (
  id INTEGER PRIMARY KEY, organization_id TEXT NOT NULL, agent_id TEXT NOT NULL,
  transition TEXT NOT NULL, previous_status TEXT NOT NULL, new_status TEXT NOT NULL,
  score REAL NOT NULL, issues TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX health_transitions_by_agent ON health_transitions (organization_id, agent_id, at);

CREATE TABLE alerts (
  organization_id TEXT NOT NULL, id TEXT NOT NULL, severity TEXT NOT NULL,
  source_type TEXT NOT NULL, source_id TEXT NOT NULL, type TEXT NOT NULL, message TEXT NOT NULL,
  raised_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, resolved_at INTEGER,
  acknowledged_at INTEGER, acknowledged_by TEXT NOT NULL, last_notified_at INTEGER,
  flapping INTEGER NOT NULL, metadata TEXT NOT NULL, PRIMARY KEY (organization_id, id));
CREATE INDEX alerts_by_time ON alerts (organization_id, raised_at);

-- Seed 003's view of alerts, kept in step with `alerts`.
CREATE TABLE health_alerts (
  organization_id TEXT NOT NULL, id TEXT NOT NULL, resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL, alert_type TEXT NOT NULL, severity TEXT NOT NULL,
  message TEXT NOT NULL, timestamp INTEGER NOT NULL, metadata TEXT NOT NULL,
  resolved INTEGER NOT NULL, resolved_at INTEGER, PRIMARY KEY (organization_id, id));

CREATE TABLE health_metrics (
  id INTEGER PRIMARY KEY, organization_id TEXT NOT NULL, resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL, metric_name TEXT NOT NULL, value REAL NOT NULL,
  threshold_warning REAL NOT NULL, threshold_critical REAL NOT NULL, timestamp INTEGER NOT NULL,
  unit TEXT NOT NULL, status TEXT NOT NULL);
CREATE INDEX health_metrics_by_resource
  ON health_metrics (organization_id, resource_type, resource_id, metric_name, timestamp);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL, scope TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, revoked_at INTEGER);
CREATE INDEX api_keys_by_organization ON api_keys (organization_id);

CREATE TABLE agent_checkpoints (
  organization_id TEXT NOT NULL, agent_id TEXT NOT NULL, blob BLOB NOT NULL,
  last_execution_id INTEGER NOT NULL, taken_at INTEGER NOT NULL,
  PRIMARY KEY (organization_id, agent_id));
)sql";

// Version 2: registered resources (workspaces, checks, routes, ...) and the delivery log.
constexpr const char* kResourcesAndDeliveries = R"sql(
CREATE TABLE resources (
  organization_id TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, spec TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (kind, organization_id, id)) WITHOUT ROWID;

CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY, organization_id TEXT NOT NULL, alert_id TEXT NOT NULL,
  route_id TEXT NOT NULL, change TEXT NOT NULL, attempt INTEGER NOT NULL, outcome TEXT NOT NULL,
  detail TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX deliveries_by_alert ON deliveries (organization_id, alert_id, id);
)sql";

// Version 3: integration checkpoints (their passive statistics and checks survive a restart),
// and views that show the integer-microsecond timestamps of the tables people query by hand as
// ISO-8601 UTC text (the tables keep integers: changing them would break users' queries).
constexpr const char* kIntegrationCheckpointsAndViews = R"sql(
CREATE TABLE integration_checkpoints (
  organization_id TEXT NOT NULL, integration_id TEXT NOT NULL, blob BLOB NOT NULL,
  last_execution_id INTEGER NOT NULL, taken_at INTEGER NOT NULL,
  PRIMARY KEY (organization_id, integration_id));

CREATE VIEW health_alerts_view AS SELECT *,
  strftime('%Y-%m-%dT%H:%M:%fZ', timestamp / 1e6, 'unixepoch') AS timestamp_iso,
  strftime('%Y-%m-%dT%H:%M:%fZ', resolved_at / 1e6, 'unixepoch') AS resolved_at_iso
  FROM health_alerts;
CREATE VIEW health_metrics_view AS SELECT *,
  strftime('%Y-%m-%dT%H:%M:%fZ', timestamp / 1e6, 'unixepoch') AS timestamp_iso
  FROM health_metrics;
CREATE VIEW agent_health_realtime_view AS SELECT *,
  strftime('%Y-%m-%dT%H:%M:%fZ', calculated_at / 1e6, 'unixepoch') AS calculated_at_iso,
  strftime('%Y-%m-%dT%H:%M:%fZ', last_success_at / 1e6, 'unixepoch') AS last_success_at_iso
  FROM agent_health_realtime;
CREATE VIEW alerts_view AS SELECT *,
  strftime('%Y-%m-%dT%H:%M:%fZ', raised_at / 1e6, 'unixepoch') AS raised_at_iso,
  strftime('%Y-%m-%dT%H:%M:%fZ', updated_at / 1e6, 'unixepoch') AS updated_at_iso,
  strftime('%Y-%m-%dT%H:%M:%fZ', resolved_at / 1e6, 'unixepoch') AS resolved_at_iso,
  strftime('%Y-%m-%dT%H:%M:%fZ', acknowledged_at / 1e6, 'unixepoch') AS acknowledged_at_iso
  FROM alerts;
)sql";

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> migrations = {
      {1, kInitialSchema}, {2, kResourcesAndDeliveries}, {3, kIntegrationCheckpointsAndViews}};
  return migrations;
}

core::Status Apply(Connection& db, const Migration& m, core::Timestamp now) {
  core::Status s = db.Exec("BEGIN IMMEDIATE");
  if (!s.ok()) return s;
  s = db.Exec(m.sql);
  if (s.ok()) {
    s = db.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (" +
                std::to_string(m.version) + ", " + std::to_string(core::ToMicros(now)) + ")");
  }
  if (s.ok()) s = db.Exec("COMMIT");
  if (!s.ok()) {
    (void)db.Exec("ROLLBACK");
    return core::Status::IoError("migration " + std::to_string(m.version) + " of " + db.path() +
                                 " failed: " + s.message());
  }
  return s;
}

}  // namespace

int LatestSchemaVersion() { return Migrations().back().version; }

core::Status Migrate(Connection& db, core::Timestamp now) {
  core::Status s = db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "applied_at INTEGER NOT NULL)");
  if (!s.ok()) return s;
  auto current = db.QueryInt("SELECT MAX(version) FROM schema_migrations");
  if (!current.ok()) return current.status();
  const int64_t version = current->value_or(0);
  if (version > LatestSchemaVersion()) {
    return core::Status::IoError(db.path() + " has schema version " + std::to_string(version) +
                                 ", newer than this build's " +
                                 std::to_string(LatestSchemaVersion()));
  }
  for (const Migration& m : Migrations()) {
    if (m.version <= version) continue;
    s = Apply(db, m, now);
    if (!s.ok()) return s;
  }
  return core::Status::Ok();
}

std::string CreateExecutionTableSql(int32_t day) {
  return "CREATE TABLE IF NOT EXISTS " + ExecutionTableName(day) +
         " (id INTEGER PRIMARY KEY, organization_id TEXT NOT NULL, agent_id TEXT NOT NULL, "
         "execution_id TEXT NOT NULL, action_type TEXT NOT NULL, action_name TEXT NOT NULL, "
         "input_summary TEXT NOT NULL, output_summary TEXT NOT NULL, status TEXT NOT NULL, "
         "error_message TEXT NOT NULL, latency_ms REAL NOT NULL, token_count INTEGER, "
         "cost_usd REAL NOT NULL, metadata TEXT NOT NULL, integration_id TEXT NOT NULL, "
         "timestamp INTEGER NOT NULL, started_only INTEGER NOT NULL, received_at INTEGER NOT NULL)";
}

}  // namespace vitals::store
