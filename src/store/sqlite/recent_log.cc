#include "store/sqlite/recent_log.h"

#include <algorithm>
#include <string>
#include <vector>

#include "store/columns/execution_columns.h"
#include "store/sqlite/day_partition.h"

namespace vitals::store {

core::Status LoadRecentExecutions(RecentExecutions& recent, Connection& db, int64_t next_id) {
  if (recent.capacity() == 0) return core::Status::Ok();
  const int64_t from =
      next_id - static_cast<int64_t>(std::min(recent.capacity(), RecentExecutions::kRestoredRows));
  auto days = db.Prepare(
      "SELECT day FROM execution_partitions WHERE day >= (SELECT COALESCE(MAX(day), 0) "
      "FROM execution_partitions WHERE first_id <= ?1) ORDER BY day",
      false);
  if (!days.ok()) return days.status();
  days->Bind(1, from);
  std::vector<int32_t> tables;
  while (days->Step()) tables.push_back(static_cast<int32_t>(days->Int(0)));
  if (core::Status s = days->status("read execution_partitions"); !s.ok()) return s;
  for (int32_t day : tables) {
    const std::string table = ExecutionTableName(day);
    auto rows = db.Prepare(std::string("SELECT ") + kExecutionColumns + " FROM " + table +
                               " WHERE id >= ?1 ORDER BY id",
                           false);
    if (!rows.ok()) return rows.status();
    rows->Bind(1, from);
    while (rows->Step()) recent.RememberRow(*rows);
    if (core::Status s = rows->status("read the recent executions of " + table); !s.ok()) return s;
  }
  return core::Status::Ok();
}

}  // namespace vitals::store
