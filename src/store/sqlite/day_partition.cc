#include "store/sqlite/day_partition.h"

#include <algorithm>
#include <chrono>

namespace vitals::store {

int32_t DayOf(core::Timestamp t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(days);
  return static_cast<int32_t>(static_cast<int>(ymd.year()) * 10000 +
                              static_cast<unsigned>(ymd.month()) * 100 +
                              static_cast<unsigned>(ymd.day()));
}

std::string ExecutionTableName(int32_t day) { return "executions_" + std::to_string(day); }

const Partition* PartitionOf(const std::vector<Partition>& partitions, int64_t id) {
  auto it = std::upper_bound(partitions.begin(), partitions.end(), id,
                             [](int64_t v, const Partition& p) { return v < p.first_id; });
  if (it == partitions.begin()) return nullptr;
  return &*std::prev(it);
}

}  // namespace vitals::store
