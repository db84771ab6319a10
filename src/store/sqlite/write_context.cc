#include "store/sqlite/write_context.h"

#include "store/columns/record_columns.h"

namespace vitals::store {
namespace {

constexpr int64_t kHourUs = 3'600'000'000;

std::string Insert(const char* how, const char* table, const char* columns, int count) {
  std::string sql = std::string(how) + " INTO " + table + " (" + columns + ") VALUES (";
  for (int i = 1; i <= count; ++i) sql += (i > 1 ? ", ?" : "?") + std::to_string(i);
  return sql + ")";
}

}  // namespace

core::Status WriteContext::Prepare() {
  const std::pair<Statement*, std::string> statements[] = {
      {&heartbeat_,
       "INSERT INTO heartbeats (organization_id, agent_id, timestamp, received_at, "
       "metadata) VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&heartbeat_latest_,
       "INSERT INTO heartbeat_latest (organization_id, agent_id, timestamp, received_at, "
       "metadata, id) VALUES (?1, ?2, ?3, ?4, ?5, last_insert_rowid()) "
       "ON CONFLICT (organization_id, agent_id) DO UPDATE SET id = excluded.id, "
       "timestamp = excluded.timestamp, received_at = excluded.received_at, "
       "metadata = excluded.metadata WHERE excluded.timestamp >= heartbeat_latest.timestamp"},
      {&transition_, Insert("INSERT", "health_transitions", kTransitionColumns, 8)},
      {&health_, Insert("INSERT OR REPLACE", "agent_health_realtime", kHealthColumns, 15)},
      {&history_,
       "INSERT INTO health_history_hourly (organization_id, agent_id, hour, score_sum, "
       "score_count, last_status, last_at, executions, completed, failed) VALUES (?1, ?2, ?3, "
       "?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (organization_id, agent_id, hour) DO UPDATE SET "
       "score_sum = score_sum + excluded.score_sum, "
       "score_count = score_count + excluded.score_count, "
       "last_status = iif(excluded.last_at >= last_at, excluded.last_status, last_status), "
       "executions = iif(excluded.last_at >= last_at, excluded.executions, executions), "
       "completed = iif(excluded.last_at >= last_at, excluded.completed, completed), "
       "failed = iif(excluded.last_at >= last_at, excluded.failed, failed), "
       "last_at = MAX(last_at, excluded.last_at)"},
      {&alert_, Insert("INSERT OR REPLACE", "alerts", kAlertColumns, 15)},
      {&health_alert_, Insert("INSERT OR REPLACE", "health_alerts", kHealthAlertColumns, 11)},
      {&metric_, Insert("INSERT", "health_metrics", kMetricColumns, 10)},
      {&checkpoint_, Insert("INSERT OR REPLACE", "agent_checkpoints", kCheckpointColumns, 5)},
      {&integration_checkpoint_,
       Insert("INSERT OR REPLACE", "integration_checkpoints", kIntegrationCheckpointColumns, 5)}};
  for (const auto& [stmt, sql] : statements) {
    auto prepared = db_.Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    *stmt = std::move(prepared.value());
  }
  return core::Status::Ok();
}

core::Status WriteContext::WriteHeartbeats(const std::vector<StoredHeartbeat>& rows) {
  for (const StoredHeartbeat& h : rows) {
    BindHeartbeat(heartbeat_, 1, h);
    if (core::Status s = heartbeat_.Run("insert into heartbeats"); !s.ok()) return s;
    BindHeartbeat(heartbeat_latest_, 1, h);
    if (core::Status s = heartbeat_latest_.Run("upsert heartbeat_latest"); !s.ok()) return s;
  }
  return core::Status::Ok();
}

core::Status WriteContext::WriteBackground(const BackgroundBatch& batch) {
  return std::visit([this](const auto& rows) { return Write(rows); }, batch);
}

core::Status WriteContext::Write(const std::vector<TransitionRecord>& rows) {
  for (const TransitionRecord& r : rows) {
    BindTransition(transition_, r, scratch_);
    if (core::Status s = transition_.Run("insert into health_transitions"); !s.ok()) return s;
  }
  return core::Status::Ok();
}

// The hourly rollup keeps, per hour, the sum and count of known scores (0..1) and the counts of
// the hour's last snapshot: its one-hour window is the best estimate of the hour's executions.
core::Status WriteContext::Write(const std::vector<HealthRecord>& rows) {
  for (const HealthRecord& r : rows) {
    BindHealth(health_, r, scratch_);
    if (core::Status s = health_.Run("upsert agent_health_realtime"); !s.ok()) return s;
    const core::HealthSnapshot& h = r.snapshot;
    const int64_t at = core::ToMicros(h.calculated_at);
    const bool known = h.status != core::HealthStatus::kUnknown;
    int i = 1;
    history_.Bind(i++, std::string_view(r.organization_id));
    history_.Bind(i++, std::string_view(r.agent_id));
    history_.Bind(i++, at - ((at % kHourUs) + kHourUs) % kHourUs);
    history_.Bind(i++, known ? h.score / 100.0 : 0.0);
    history_.Bind(i++, known ? 1 : 0);
    history_.Bind(i++, core::HealthStatusName(h.status));
    history_.Bind(i++, at);
    history_.Bind(i++, h.executions_1hr);
    history_.Bind(i++, h.executions_1hr - h.error_count_1hr);
    history_.Bind(i++, h.error_count_1hr);
    if (core::Status s = history_.Run("upsert health_history_hourly"); !s.ok()) return s;
  }
  return core::Status::Ok();
}

core::Status WriteContext::Write(const std::vector<core::Alert>& rows) {
  for (const core::Alert& a : rows) {
    BindAlert(alert_, a);
    if (core::Status s = alert_.Run("upsert alerts"); !s.ok()) return s;
    BindHealthAlert(health_alert_, a);
    if (core::Status s = health_alert_.Run("upsert health_alerts"); !s.ok()) return s;
  }
  return core::Status::Ok();
}

core::Status WriteContext::Write(const std::vector<MetricRecord>& rows) {
  for (const MetricRecord& m : rows) {
    BindMetric(metric_, m);
    if (core::Status s = metric_.Run("insert into health_metrics"); !s.ok()) return s;
  }
  return core::Status::Ok();
}

core::Status WriteContext::Write(const std::vector<Checkpoint>& rows) {
  for (const Checkpoint& c : rows) {
    const bool agent = c.kind == CheckpointKind::kAgent;
    Statement& stmt = agent ? checkpoint_ : integration_checkpoint_;
    BindCheckpoint(stmt, c);
    if (core::Status s =
            stmt.Run(agent ? "save agent_checkpoints" : "save integration_checkpoints");
        !s.ok()) {
      return s;
    }
  }
  return core::Status::Ok();
}

}  // namespace vitals::store
