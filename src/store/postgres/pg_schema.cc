#include "store/postgres/pg_schema.h"

#include <chrono>
#include <cstdio>

namespace vitals::store {
namespace {

constexpr int64_t kDayUs = 86'400'000'000;
// Advisory lock keys ("vitals" + a number), one per purpose.
constexpr const char* kMigrationLock = "7311051160001";
constexpr const char* kPartitionLock = "7311051160002";

struct PgMigration {
  int version;
  const char* sql;
};

constexpr const char* kInitialSchema = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO meta (key, value) VALUES ('next_execution_id', 1), ('next_heartbeat_id', 1);

CREATE TABLE agent_execution_logs (
  id BIGINT NOT NULL, organization_id TEXT NOT NULL, agent_id TEXT NOT NULL,
  execution_id TEXT NOT NULL, action_type TEXT NOT NULL, action_name TEXT NOT NULL,
  input_summary TEXT NOT NULL, output_summary TEXT NOT NULL, status TEXT NOT NULL,
  error_message TEXT NOT NULL, latency_ms DOUBLE PRECISION NOT NULL, token_count BIGINT,
  cost_usd DOUBLE PRECISION NOT NULL, metadata TEXT NOT NULL, integration_id TEXT NOT NULL,
  timestamp BIGINT NOT NULL, started_only BOOLEAN NOT NULL, received_at BIGINT NOT NULL
) PARTITION BY RANGE (timestamp);
CREATE INDEX agent_execution_logs_by_agent
  ON agent_execution_logs (organization_id, agent_id, timestamp DESC, id DESC);
CREATE INDEX agent_execution_logs_by_id ON agent_execution_logs (id);

CREATE TABLE agent_registry (
  organization_id TEXT NOT NULL, agent_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
  success_rate_healthy DOUBLE PRECISION NOT NULL, success_rate_critical DOUBLE PRECISION NOT NULL,
  latency_p95_healthy_ms DOUBLE PRECISION NOT NULL,
  latency_p95_critical_ms DOUBLE PRECISION NOT NULL,
  error_rate_healthy DOUBLE PRECISION NOT NULL, error_rate_critical DOUBLE PRECISION NOT NULL,
  consecutive_failures_critical BIGINT NOT NULL,
  heartbeat_interval_us BIGINT, heartbeat_failure_threshold BIGINT, heartbeat_mode TEXT,
  heartbeat_history_size BIGINT, phi_threshold DOUBLE PRECISION, phi_min_std_deviation_us BIGINT,
  phi_acceptable_pause_us BIGINT, phi_max_samples BIGINT,
  slo_enabled BOOLEAN NOT NULL, slo_objective DOUBLE PRECISION NOT NULL,
  slo_burn_rate_threshold DOUBLE PRECISION NOT NULL, slo_min_events BIGINT NOT NULL,
  stuck_after_us BIGINT, paused BOOLEAN NOT NULL, depends_on TEXT NOT NULL,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
  PRIMARY KEY (organization_id, agent_id));

CREATE TABLE heartbeats (
  id BIGINT NOT NULL, organization_id TEXT NOT NULL, agent_id TEXT NOT NULL,
  timestamp BIGINT NOT NULL, received_at BIGINT NOT NULL, metadata TEXT NOT NULL
) PARTITION BY RANGE (received_at);
CREATE INDEX heartbeats_by_agent ON heartbeats (organization_id, agent_id, timestamp);
CREATE TABLE heartbeat_latest (
  organization_id TEXT NOT NULL, agent_id TEXT NOT NULL, id BIGINT NOT NULL,
  timestamp BIGINT NOT NULL, received_at BIGINT NOT NULL, metadata TEXT NOT NULL,
  PRIMARY KEY (organization_id, agent_id));

CREATE TABLE agent_health_realtime (
  organization_id TEXT NOT NULL, agent_id TEXT NOT NULL, status TEXT NOT NULL,
  health_score DOUBLE PRECISION NOT NULL, success_rate_5min DOUBLE PRECISION,
  success_rate_1hr DOUBLE PRECISION, latency_p95_5min DOUBLE PRECISION,
  error_count_5min BIGINT NOT NULL, error_count_1hr BIGINT NOT NULL,
  executions_5min BIGINT NOT NULL, executions_1hr BIGINT NOT NULL,
  consecutive_failures BIGINT NOT NULL, issues TEXT NOT NULL, last_success_at BIGINT,
  calculated_at BIGINT NOT NULL, PRIMARY KEY (organization_id, agent_id));

CREATE TABLE health_history_hourly (
  organization_id TEXT NOT NULL, agent_id TEXT NOT NULL, hour BIGINT NOT NULL,
  score_sum DOUBLE PRECISION NOT NULL, score_count BIGINT NOT NULL, last_status TEXT NOT NULL,
  last_at BIGINT NOT NULL, executions BIGINT NOT NULL, completed BIGINT NOT NULL,
  failed BIGINT NOT NULL, PRIMARY KEY (organization_id, agent_id, hour));

CREATE TABLE health_transitions (
  id BIGSERIAL PRIMARY KEY, organization_id TEXT NOT NULL, agent_id TEXT NOT NULL,
  transition TEXT NOT NULL, previous_status TEXT NOT NULL, new_status TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL, issues TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX health_transitions_by_agent ON health_transitions (organization_id, agent_id, at);

CREATE TABLE alerts (
  organization_id TEXT NOT NULL, id TEXT NOT NULL, severity TEXT NOT NULL,
  source_type TEXT NOT NULL, source_id TEXT NOT NULL, type TEXT NOT NULL, message TEXT NOT NULL,
  raised_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, resolved_at BIGINT,
  acknowledged_at BIGINT, acknowledged_by TEXT NOT NULL, last_notified_at BIGINT,
  flapping BOOLEAN NOT NULL, metadata TEXT NOT NULL, PRIMARY KEY (organization_id, id));
CREATE INDEX alerts_by_time ON alerts (organization_id, raised_at);

CREATE TABLE health_alerts (
  organization_id TEXT NOT NULL, id TEXT NOT NULL, resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL, alert_type TEXT NOT NULL, severity TEXT NOT NULL,
  message TEXT NOT NULL, timestamp BIGINT NOT NULL, metadata TEXT NOT NULL,
  resolved BOOLEAN NOT NULL, resolved_at BIGINT, PRIMARY KEY (organization_id, id));

CREATE TABLE health_metrics (
  id BIGSERIAL PRIMARY KEY, organization_id TEXT NOT NULL, resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL, metric_name TEXT NOT NULL, value DOUBLE PRECISION NOT NULL,
  threshold_warning DOUBLE PRECISION NOT NULL, threshold_critical DOUBLE PRECISION NOT NULL,
  timestamp BIGINT NOT NULL, unit TEXT NOT NULL, status TEXT NOT NULL);
CREATE INDEX health_metrics_by_resource
  ON health_metrics (organization_id, resource_type, resource_id, metric_name, timestamp);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL, scope TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, revoked_at BIGINT);
CREATE INDEX api_keys_by_organization ON api_keys (organization_id);

CREATE TABLE agent_checkpoints (
  organization_id TEXT NOT NULL, agent_id TEXT NOT NULL, blob BYTEA NOT NULL,
  last_execution_id BIGINT NOT NULL, taken_at BIGINT NOT NULL,
  PRIMARY KEY (organization_id, agent_id));
CREATE TABLE integration_checkpoints (
  organization_id TEXT NOT NULL, integration_id TEXT NOT NULL, blob BYTEA NOT NULL,
  last_execution_id BIGINT NOT NULL, taken_at BIGINT NOT NULL,
  PRIMARY KEY (organization_id, integration_id));

CREATE TABLE resources (
  organization_id TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, spec TEXT NOT NULL,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
  PRIMARY KEY (kind, organization_id, id));

CREATE TABLE deliveries (
  id BIGSERIAL PRIMARY KEY, organization_id TEXT NOT NULL, alert_id TEXT NOT NULL,
  route_id TEXT NOT NULL, change TEXT NOT NULL, attempt BIGINT NOT NULL, outcome TEXT NOT NULL,
  detail TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX deliveries_by_alert ON deliveries (organization_id, alert_id, id);

CREATE FUNCTION vitals_iso(us BIGINT) RETURNS TEXT IMMUTABLE LANGUAGE SQL AS
  $$ SELECT to_char(to_timestamp(us / 1e6) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;
CREATE VIEW health_alerts_view AS SELECT *, vitals_iso(timestamp) AS timestamp_iso,
  vitals_iso(resolved_at) AS resolved_at_iso FROM health_alerts;
CREATE VIEW health_metrics_view AS SELECT *, vitals_iso(timestamp) AS timestamp_iso
  FROM health_metrics;
CREATE VIEW agent_health_realtime_view AS SELECT *,
  vitals_iso(calculated_at) AS calculated_at_iso,
  vitals_iso(last_success_at) AS last_success_at_iso FROM agent_health_realtime;
CREATE VIEW alerts_view AS SELECT *, vitals_iso(raised_at) AS raised_at_iso,
  vitals_iso(updated_at) AS updated_at_iso, vitals_iso(resolved_at) AS resolved_at_iso,
  vitals_iso(acknowledged_at) AS acknowledged_at_iso FROM alerts;
)sql";

// Fencing (Store::ClaimAgents): each agent's owner and the epoch it claimed it under. The
// triggers skip (RETURN NULL) a row of an agent claimed by a node other than the session's
// vitals.node_id; a session without one (psql, a single node) is not fenced.
constexpr const char* kOwnership = R"sql(
CREATE TABLE agent_owners (
  organization_id TEXT NOT NULL, agent_id TEXT NOT NULL, node_id TEXT NOT NULL,
  epoch BIGINT NOT NULL, claimed_at BIGINT NOT NULL, PRIMARY KEY (organization_id, agent_id));

CREATE FUNCTION vitals_fenced(org TEXT, agent TEXT) RETURNS BOOLEAN STABLE LANGUAGE SQL AS $$
  SELECT COALESCE(current_setting('vitals.node_id', true), '') <> '' AND EXISTS (
    SELECT 1 FROM agent_owners o WHERE o.organization_id = org AND o.agent_id = agent
      AND o.node_id <> current_setting('vitals.node_id', true)) $$;
CREATE FUNCTION vitals_fence_agent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF vitals_fenced(NEW.organization_id, NEW.agent_id) THEN RETURN NULL; END IF;
  RETURN NEW;
END $$;
CREATE FUNCTION vitals_fence_alert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.source_type = 'agent' AND vitals_fenced(NEW.organization_id, NEW.source_id) THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE FUNCTION vitals_fence_health_alert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.resource_type = 'agent' AND vitals_fenced(NEW.organization_id, NEW.resource_id) THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER fence BEFORE INSERT OR UPDATE ON agent_health_realtime
  FOR EACH ROW EXECUTE FUNCTION vitals_fence_agent();
CREATE TRIGGER fence BEFORE INSERT OR UPDATE ON health_history_hourly
  FOR EACH ROW EXECUTE FUNCTION vitals_fence_agent();
CREATE TRIGGER fence BEFORE INSERT OR UPDATE ON health_transitions
  FOR EACH ROW EXECUTE FUNCTION vitals_fence_agent();
CREATE TRIGGER fence BEFORE INSERT OR UPDATE ON agent_checkpoints
  FOR EACH ROW EXECUTE FUNCTION vitals_fence_agent();
CREATE TRIGGER fence BEFORE INSERT OR UPDATE ON alerts
  FOR EACH ROW EXECUTE FUNCTION vitals_fence_alert();
CREATE TRIGGER fence BEFORE INSERT OR UPDATE ON health_alerts
  FOR EACH ROW EXECUTE FUNCTION vitals_fence_health_alert();
)sql";

const std::vector<PgMigration>& Migrations() {
  static const std::vector<PgMigration> migrations = {{1, kInitialSchema}, {2, kOwnership}};
  return migrations;
}

core::Status MigrateLocked(PgConnection& db, core::Timestamp now) {
  core::Status s = db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "applied_at BIGINT NOT NULL)");
  if (!s.ok()) return s;
  auto current = db.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!current.ok()) return current.status();
  const int64_t version = PgRow(current->get(), 0).Int(0);
  if (version > LatestPgSchemaVersion()) {
    return core::Status::IoError("the PostgreSQL database has schema version " +
                                 std::to_string(version) + ", newer than this build's " +
                                 std::to_string(LatestPgSchemaVersion()));
  }
  for (const PgMigration& m : Migrations()) {
    if (m.version <= version) continue;
    s = db.Exec(std::string("BEGIN;\n") + m.sql +
                "\nINSERT INTO schema_migrations (version, applied_at) VALUES (" +
                std::to_string(m.version) + ", " + std::to_string(core::ToMicros(now)) +
                ");\nCOMMIT;");
    if (!s.ok()) {
      (void)db.Exec("ROLLBACK");
      if (s.code() == core::StatusCode::kUnavailable) return s;
      return core::Status::IoError("migration " + std::to_string(m.version) +
                                   " of the PostgreSQL store failed: " + s.message());
    }
  }
  return core::Status::Ok();
}

}  // namespace

int LatestPgSchemaVersion() { return Migrations().back().version; }

core::Status MigratePg(PgConnection& db, core::Timestamp now) {
  if (core::Status s = db.Exec(std::string("SELECT pg_advisory_lock(") + kMigrationLock + ")");
      !s.ok()) {
    return s;
  }
  core::Status s = MigrateLocked(db, now);
  (void)db.Exec(std::string("SELECT pg_advisory_unlock(") + kMigrationLock + ")");
  return s;
}

int64_t PgDayOf(int64_t micros) {
  return micros >= 0 ? micros / kDayUs : -((-micros + kDayUs - 1) / kDayUs);
}

int64_t PgDayStart(int64_t day) { return day * kDayUs; }

std::string PgPartitionName(const PgPartitionedTable& t, int64_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(day))};
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%04d%02u%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return std::string(t.name) + "_" + suffix;
}

core::Status EnsurePgPartition(PgConnection& db, const PgPartitionedTable& t, int64_t day) {
  return db.Exec(std::string("BEGIN; SELECT pg_advisory_xact_lock(") + kPartitionLock +
                 "); CREATE TABLE IF NOT EXISTS " + PgPartitionName(t, day) + " PARTITION OF " +
                 t.name + " FOR VALUES FROM (" + std::to_string(PgDayStart(day)) + ") TO (" +
                 std::to_string(PgDayStart(day + 1)) + "); COMMIT;");
}

core::Result<std::vector<int64_t>> PgPartitionDays(PgConnection& db, const PgPartitionedTable& t) {
  PgParams p;
  p.Bind(1, std::string_view(t.name));
  auto rows = db.Query(
      "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
      "WHERE i.inhparent = $1::regclass ORDER BY c.relname",
      p);
  if (!rows.ok()) return rows.status();
  std::vector<int64_t> days;
  const size_t prefix = std::string_view(t.name).size() + 1;
  for (int i = 0; i < PQntuples(rows->get()); ++i) {
    const std::string name = PgRow(rows->get(), i).Text(0);
    unsigned y = 0, m = 0, d = 0;
    if (name.size() != prefix + 8 ||
        std::sscanf(name.c_str() + prefix, "%4u%2u%2u", &y, &m, &d) != 3) {
      continue;
    }
    const std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(y)),
                                          std::chrono::month(m), std::chrono::day(d)};
    days.push_back(std::chrono::sys_days(ymd).time_since_epoch().count());
  }
  return days;
}

}  // namespace vitals::store
