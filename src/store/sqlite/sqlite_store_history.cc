// SqliteStore::QueryAgentHistory: buckets of whole hours aggregated from health_history_hourly.
#include <map>

#include "store/sqlite/sqlite_store_impl.h"

namespace vitals::store {
namespace {

constexpr int64_t kHourUs = 3'600'000'000;

int64_t FloorTo(int64_t t, int64_t unit) { return t - ((t % unit) + unit) % unit; }

struct Bucket {
  double score_sum = 0;
  int64_t score_count = 0;
  int64_t last_at = INT64_MIN;
  core::HealthStatus status = core::HealthStatus::kUnknown;
  int64_t executions = 0;
  int64_t completed = 0;
  int64_t failed = 0;
};

}  // namespace

// Buckets are aligned to multiples of `bucket` since the epoch (UTC hours, UTC days, ...). Each
// holds the hours in [from's hour, to]; its status is that of its latest snapshot.
core::Result<std::vector<HistoryPoint>> SqliteStore::QueryAgentHistory(
    std::string_view organization_id, std::string_view agent_id, core::Timestamp from,
    core::Timestamp to, core::Duration bucket) {
  const int64_t width = bucket.count();
  if (width <= 0 || width % kHourUs != 0) {
    return core::Status::InvalidArgument("history bucket must be a whole number of hours");
  }
  ReadPool::Lease c = readers_.Acquire();
  auto s = c->Get(
      "SELECT hour, score_sum, score_count, last_status, last_at, executions, completed, failed "
      "FROM health_history_hourly WHERE organization_id = ?1 AND agent_id = ?2 AND hour >= ?3 "
      "AND hour <= ?4");
  if (!s.ok()) return s.status();
  Statement& stmt = **s;
  stmt.Bind(1, organization_id);
  stmt.Bind(2, agent_id);
  stmt.Bind(3, FloorTo(core::ToMicros(from), kHourUs));
  stmt.Bind(4, core::ToMicros(to));
  std::map<int64_t, Bucket> buckets;
  while (stmt.Step()) {
    Bucket& b = buckets[FloorTo(stmt.Int(0), width)];
    b.score_sum += stmt.Double(1);
    b.score_count += stmt.Int(2);
    b.executions += stmt.Int(5);
    b.completed += stmt.Int(6);
    b.failed += stmt.Int(7);
    if (stmt.Int(4) >= b.last_at) {
      auto status = core::ParseHealthStatus(stmt.TextView(3));
      if (!status) return core::Status::IoError("unreadable status in health_history_hourly");
      b.status = *status;
      b.last_at = stmt.Int(4);
    }
  }
  if (core::Status st = stmt.status("read health_history_hourly"); !st.ok()) return st;
  std::vector<HistoryPoint> points;
  points.reserve(buckets.size());
  for (const auto& [start, b] : buckets) {
    HistoryPoint p;
    p.timestamp = core::FromMicros(start);
    if (b.score_count > 0) p.health_score = b.score_sum / static_cast<double>(b.score_count);
    p.status = b.status;
    p.total_executions = b.executions;
    p.completed = b.completed;
    p.failed = b.failed;
    points.push_back(p);
  }
  return points;
}

}  // namespace vitals::store
