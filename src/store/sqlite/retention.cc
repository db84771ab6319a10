#include "store/sqlite/retention.h"

#include <string>

#include "store/sqlite/day_partition.h"

namespace vitals::store {
namespace {

constexpr int64_t kExecutionChunk = 20'000;
constexpr int64_t kPrefixChunk = 5'000;

// A table whose rows are deleted oldest first: the longest rowid-ordered prefix of at most
// kPrefixChunk rows for which `expired` (SQL over ?1 = cutoff, ?2 = first live execution id)
// holds. Stops at the first live row: insertion order is close to time order, and a few stragglers
// wait for the next run rather than costing a scan.
struct PrefixTable {
  const char* table;
  const char* expired;
};

constexpr PrefixTable kPrefixTables[] = {
    {"execution_blocks", "last_id < ?2 OR max_ts < ?1"},
    {"heartbeats", "received_at < ?1"},
    {"health_metrics", "timestamp < ?1"},
    {"deliveries", "at < ?1"},
    {"health_transitions", "at < ?1"},
    {"health_history_hourly", "hour + 3600000000 <= ?1"},
};

core::Result<uint64_t> DeletePrefix(Connection& db, const PrefixTable& t, int64_t cutoff,
                                    int64_t first_live_id) {
  auto scan = db.Prepare(
      std::string("SELECT id, ") + t.expired + " FROM " + t.table + " ORDER BY id LIMIT ?3", false);
  if (!scan.ok()) return scan.status();
  scan->Bind(1, cutoff);
  scan->Bind(2, first_live_id);
  scan->Bind(3, kPrefixChunk);
  std::optional<int64_t> last;
  while (scan->Step() && scan->Bool(1)) last = scan->Int(0);
  if (core::Status s = scan->status(std::string("scan ") + t.table); !s.ok()) return s;
  scan->Reset();
  if (!last) return uint64_t{0};
  auto del = db.Prepare(std::string("DELETE FROM ") + t.table + " WHERE id <= ?1", false);
  if (!del.ok()) return del.status();
  del->Bind(1, *last);
  if (core::Status s = del->Run(std::string("retention of ") + t.table); !s.ok()) return s;
  return static_cast<uint64_t>(db.changes());
}

// Empties, then drops, the oldest day table whose newest row is older than the cutoff.
core::Result<uint64_t> ExpireOldestDay(Connection& db, int64_t cutoff, bool& found) {
  auto oldest = db.Prepare(
      "SELECT day FROM execution_partitions WHERE max_ts < ?1 AND "
      "day < (SELECT MAX(day) FROM execution_partitions) ORDER BY day LIMIT 1",
      false);
  if (!oldest.ok()) return oldest.status();
  oldest->Bind(1, cutoff);
  found = oldest->Step();
  if (core::Status s = oldest->status("find expired day tables"); !s.ok()) return s;
  if (!found) return uint64_t{0};
  const int64_t day = oldest->Int(0);
  oldest->Reset();  // DROP TABLE fails while a statement of the connection is running
  const std::string table = ExecutionTableName(static_cast<int32_t>(day));
  auto first = db.QueryInt("SELECT MIN(id) FROM " + table);
  if (!first.ok()) return first.status();
  if (first->has_value()) {
    core::Status s = db.Exec("DELETE FROM " + table + " WHERE id < " +
                             std::to_string(**first + kExecutionChunk));
    if (!s.ok()) return s;
    return static_cast<uint64_t>(db.changes());
  }
  core::Status s = db.Exec("DROP TABLE " + table +
                           "; DELETE FROM execution_partitions WHERE day = " + std::to_string(day));
  if (!s.ok()) return s;
  return uint64_t{0};
}

}  // namespace

core::Result<RetentionProgress> RetentionStep(Connection& db, core::Timestamp cutoff) {
  const int64_t cutoff_us = core::ToMicros(cutoff);
  bool found = false;
  auto expired = ExpireOldestDay(db, cutoff_us, found);
  if (!expired.ok()) return expired.status();
  if (found) return RetentionProgress{*expired, false};
  auto first_live = db.QueryInt("SELECT MIN(first_id) FROM execution_partitions");
  if (!first_live.ok()) return first_live.status();
  for (const PrefixTable& t : kPrefixTables) {
    auto deleted = DeletePrefix(db, t, cutoff_us, first_live->value_or(0));
    if (!deleted.ok()) return deleted.status();
    if (*deleted > 0) return RetentionProgress{*deleted, false};
  }
  core::Status s =
      db.Exec("DELETE FROM heartbeat_latest WHERE received_at < " + std::to_string(cutoff_us));
  if (!s.ok()) return s;
  return RetentionProgress{static_cast<uint64_t>(db.changes()), true};
}

}  // namespace vitals::store
