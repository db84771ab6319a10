#include "store/postgres/pg_background.h"

#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "store/columns/record_columns.h"

namespace vitals::store {
namespace {

constexpr int kMaxParams = 30'000;
constexpr int64_t kHourUs = 3'600'000'000;

// Parameter i of a row's mapping, as $(base + i) of a multi-row statement.
struct ShiftedParams {
  PgParams& params;
  int base;
  template <typename... A>
  void Bind(int i, A&&... a) {
    params.Bind(base + i, std::forward<A>(a)...);
  }
  void BindNull(int i) { params.BindNull(base + i); }
  void BindBlob(int i, std::string_view v) { params.BindBlob(base + i, v); }
};

// INSERT INTO table (columns) VALUES (...), (...) <tail>, `columns` parameters a row, in
// statements of at most kMaxParams parameters. bind(ShiftedParams&, row). `written`, when given,
// counts the rows inserted or updated (a fencing trigger skips the others).
template <typename Row, typename BindRow>
core::Status InsertRows(PgConnection& db, const char* table, const char* columns, int count,
                        const char* tail, const std::vector<Row>& rows, BindRow bind,
                        int64_t* written = nullptr) {
  const size_t per_statement = static_cast<size_t>(kMaxParams / count);
  for (size_t from = 0; from < rows.size(); from += per_statement) {
    const size_t n = std::min(per_statement, rows.size() - from);
    std::string sql = std::string("INSERT INTO ") + table + " (" + columns + ") VALUES ";
    PgParams params;
    for (size_t r = 0; r < n; ++r) {
      const int base = static_cast<int>(r) * count;
      sql += r == 0 ? "(" : ", (";
      for (int c = 1; c <= count; ++c) sql += (c > 1 ? ", $" : "$") + std::to_string(base + c);
      sql += ")";
      ShiftedParams shifted{params, base};
      bind(shifted, rows[from + r]);
    }
    sql += " ";
    sql += tail;
    auto result = db.Query(sql, params);
    if (!result.ok()) return result.status();
    if (written != nullptr) *written += PgConnection::Affected(*result);
  }
  return core::Status::Ok();
}

// Rows of `sent` that the fencing triggers skipped.
uint64_t Skipped(size_t sent, int64_t written) {
  return sent > static_cast<size_t>(written) ? sent - static_cast<size_t>(written) : 0;
}

// "a = EXCLUDED.a, ..." for every column of `columns` not in the key.
std::string UpdateAll(std::string_view columns, int key_columns) {
  std::string out;
  int index = 0;
  for (size_t at = 0; at <= columns.size();) {
    size_t end = columns.find(',', at);
    if (end == std::string_view::npos) end = columns.size();
    std::string_view name = columns.substr(at, end - at);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    if (index++ >= key_columns) {
      if (!out.empty()) out += ", ";
      out += std::string(name) + " = EXCLUDED." + std::string(name);
    }
    at = end + 1;
  }
  return out;
}

// The last of the rows with the same key, in first-seen order of the keys.
template <typename Row, typename KeyOf>
std::vector<const Row*> LastByKey(const std::vector<Row>& rows, KeyOf key_of) {
  std::map<decltype(key_of(rows.front())), size_t> index;
  std::vector<const Row*> out;
  for (const Row& row : rows) {
    auto [it, inserted] = index.try_emplace(key_of(row), out.size());
    if (inserted) {
      out.push_back(&row);
    } else {
      out[it->second] = &row;
    }
  }
  return out;
}

core::Status Write(PgConnection& db, const std::vector<TransitionRecord>& rows, uint64_t* fenced) {
  std::string scratch;
  int64_t written = 0;
  core::Status s = InsertRows(
      db, "health_transitions", kTransitionColumns, 8, "", rows,
      [&](ShiftedParams& p, const TransitionRecord& r) { BindTransition(p, r, scratch); },
      &written);
  if (s.ok()) *fenced += Skipped(rows.size(), written);
  return s;
}

struct HourRow {
  const HealthRecord* last = nullptr;
  int64_t hour = 0;
  double score_sum = 0;
  int64_t score_count = 0;
};

// The hourly rollup keeps, per hour, the sum and count of known scores (0..1) and the counts of
// the hour's last snapshot (as the SQLite store does).
core::Status WriteHistory(PgConnection& db, const std::vector<HealthRecord>& rows) {
  std::map<std::tuple<std::string_view, std::string_view, int64_t>, HourRow> hours;
  for (const HealthRecord& r : rows) {
    const core::HealthSnapshot& h = r.snapshot;
    const int64_t at = core::ToMicros(h.calculated_at);
    const int64_t hour = at - ((at % kHourUs) + kHourUs) % kHourUs;
    HourRow& row = hours[{r.organization_id, r.agent_id, hour}];
    const bool known = h.status != core::HealthStatus::kUnknown;
    row.hour = hour;
    row.score_sum += known ? h.score / 100.0 : 0.0;
    row.score_count += known ? 1 : 0;
    if (row.last == nullptr || h.calculated_at >= row.last->snapshot.calculated_at) row.last = &r;
  }
  std::vector<HourRow> merged;
  merged.reserve(hours.size());
  for (auto& [key, row] : hours) merged.push_back(row);
  constexpr const char* kNewer = "EXCLUDED.last_at >= health_history_hourly.last_at";
  const std::string tail =
      std::string(
          "ON CONFLICT (organization_id, agent_id, hour) DO UPDATE SET "
          "score_sum = health_history_hourly.score_sum + EXCLUDED.score_sum, "
          "score_count = health_history_hourly.score_count + EXCLUDED.score_count, ") +
      "last_status = CASE WHEN " + kNewer +
      " THEN EXCLUDED.last_status ELSE health_history_hourly.last_status END, "
      "executions = CASE WHEN " +
      kNewer + " THEN EXCLUDED.executions ELSE health_history_hourly.executions END, " +
      "completed = CASE WHEN " + kNewer +
      " THEN EXCLUDED.completed ELSE health_history_hourly.completed END, "
      "failed = CASE WHEN " +
      kNewer + " THEN EXCLUDED.failed ELSE health_history_hourly.failed END, " +
      "last_at = GREATEST(health_history_hourly.last_at, EXCLUDED.last_at)";
  return InsertRows(db, "health_history_hourly",
                    "organization_id, agent_id, hour, score_sum, score_count, last_status, "
                    "last_at, executions, completed, failed",
                    10, tail.c_str(), merged, [](ShiftedParams& p, const HourRow& row) {
                      const core::HealthSnapshot& h = row.last->snapshot;
                      int i = 1;
                      p.Bind(i++, std::string_view(row.last->organization_id));
                      p.Bind(i++, std::string_view(row.last->agent_id));
                      p.Bind(i++, row.hour);
                      p.Bind(i++, row.score_sum);
                      p.Bind(i++, row.score_count);
                      p.Bind(i++, core::HealthStatusName(h.status));
                      p.Bind(i++, h.calculated_at);
                      p.Bind(i++, h.executions_1hr);
                      p.Bind(i++, h.executions_1hr - h.error_count_1hr);
                      p.Bind(i++, h.error_count_1hr);
                    });
}

core::Status Write(PgConnection& db, const std::vector<HealthRecord>& rows, uint64_t* fenced) {
  auto last = LastByKey(rows, [](const HealthRecord& r) {
    return std::pair<std::string_view, std::string_view>(r.organization_id, r.agent_id);
  });
  const std::string tail =
      "ON CONFLICT (organization_id, agent_id) DO UPDATE SET " + UpdateAll(kHealthColumns, 2);
  std::string scratch;
  int64_t written = 0;
  core::Status s = InsertRows(
      db, "agent_health_realtime", kHealthColumns, 15, tail.c_str(), last,
      [&](ShiftedParams& p, const HealthRecord* r) { BindHealth(p, *r, scratch); }, &written);
  if (!s.ok()) return s;
  *fenced += Skipped(last.size(), written);
  return WriteHistory(db, rows);
}

core::Status Write(PgConnection& db, const std::vector<core::Alert>& rows, uint64_t* fenced) {
  auto last = LastByKey(rows, [](const core::Alert& a) {
    return std::pair<std::string_view, std::string_view>(a.organization_id, a.id);
  });
  const std::string alerts =
      "ON CONFLICT (organization_id, id) DO UPDATE SET " + UpdateAll(kAlertColumns, 2);
  int64_t written = 0;
  core::Status s = InsertRows(
      db, "alerts", kAlertColumns, 15, alerts.c_str(), last,
      [](ShiftedParams& p, const core::Alert* a) { BindAlert(p, *a); }, &written);
  if (!s.ok()) return s;
  *fenced += Skipped(last.size(), written);
  const std::string mirror =
      "ON CONFLICT (organization_id, id) DO UPDATE SET " + UpdateAll(kHealthAlertColumns, 2);
  return InsertRows(db, "health_alerts", kHealthAlertColumns, 11, mirror.c_str(), last,
                    [](ShiftedParams& p, const core::Alert* a) { BindHealthAlert(p, *a); });
}

core::Status Write(PgConnection& db, const std::vector<MetricRecord>& rows, uint64_t*) {
  return InsertRows(db, "health_metrics", kMetricColumns, 10, "", rows,
                    [](ShiftedParams& p, const MetricRecord& m) { BindMetric(p, m); });
}

core::Status Write(PgConnection& db, const std::vector<Checkpoint>& rows, uint64_t* fenced) {
  std::vector<Checkpoint> agents, integrations;
  for (const Checkpoint& c : rows) {
    (c.kind == CheckpointKind::kAgent ? agents : integrations).push_back(c);
  }
  const auto key = [](const Checkpoint& c) {
    return std::pair<std::string_view, std::string_view>(c.organization_id, c.agent_id);
  };
  const auto bind = [](ShiftedParams& p, const Checkpoint* c) { BindCheckpoint(p, *c); };
  const std::string agent_tail =
      "ON CONFLICT (organization_id, agent_id) DO UPDATE SET " + UpdateAll(kCheckpointColumns, 2);
  const auto last_agents = LastByKey(agents, key);
  int64_t written = 0;
  core::Status s = InsertRows(db, "agent_checkpoints", kCheckpointColumns, 5, agent_tail.c_str(),
                              last_agents, bind, &written);
  if (!s.ok()) return s;
  *fenced += Skipped(last_agents.size(), written);
  const std::string integration_tail =
      "ON CONFLICT (organization_id, integration_id) DO UPDATE SET " +
      UpdateAll(kIntegrationCheckpointColumns, 2);
  return InsertRows(db, "integration_checkpoints", kIntegrationCheckpointColumns, 5,
                    integration_tail.c_str(), LastByKey(integrations, key), bind);
}

}  // namespace

core::Status WritePgBackground(PgConnection& db, const BackgroundBatch& batch, uint64_t* fenced) {
  return std::visit(
      [&](const auto& rows) { return rows.empty() ? core::Status::Ok() : Write(db, rows, fenced); },
      batch);
}

core::Status WritePgHeartbeats(PgConnection& db, const std::vector<const StoredHeartbeat*>& rows,
                               int64_t first_id) {
  if (rows.empty()) return core::Status::Ok();
  std::string data;
  data.reserve(rows.size() * 96);
  for (size_t i = 0; i < rows.size(); ++i) {
    PgCopyRow row(data);
    row.Bind(1, first_id + static_cast<int64_t>(i));
    BindHeartbeat(row, 2, *rows[i]);
  }
  core::Status s =
      db.CopyIn(std::string("COPY heartbeats (") + kHeartbeatColumns + ") FROM STDIN", data);
  if (!s.ok()) return s;
  // The newest of the group per agent (the later one of equal timestamps).
  std::map<std::pair<std::string_view, std::string_view>, size_t> newest;
  for (size_t i = 0; i < rows.size(); ++i) {
    auto [it, inserted] = newest.try_emplace({rows[i]->organization_id, rows[i]->agent_id}, i);
    if (!inserted && rows[i]->timestamp >= rows[it->second]->timestamp) it->second = i;
  }
  std::vector<std::pair<int64_t, const StoredHeartbeat*>> latest;
  latest.reserve(newest.size());
  for (const auto& [key, i] : newest)
    latest.emplace_back(first_id + static_cast<int64_t>(i), rows[i]);
  return InsertRows(db, "heartbeat_latest", kHeartbeatColumns, 6,
                    "ON CONFLICT (organization_id, agent_id) DO UPDATE SET id = EXCLUDED.id, "
                    "timestamp = EXCLUDED.timestamp, received_at = EXCLUDED.received_at, "
                    "metadata = EXCLUDED.metadata WHERE EXCLUDED.timestamp >= "
                    "heartbeat_latest.timestamp",
                    latest,
                    [](ShiftedParams& p, const std::pair<int64_t, const StoredHeartbeat*>& r) {
                      p.Bind(1, r.first);
                      BindHeartbeat(p, 2, *r.second);
                    });
}

}  // namespace vitals::store
