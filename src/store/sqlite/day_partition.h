// Day partitions of the execution log: executions committed on one UTC day (by the store's clock)
// go to one table, executions_YYYYMMDD, so retention drops whole days.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace vitals::store {

// YYYYMMDD of `t`'s UTC day, e.g. 20261123.
int32_t DayOf(core::Timestamp t);
// "executions_20261123".
std::string ExecutionTableName(int32_t day);

// A day table and the ids it holds: [first_id, the next partition's first_id).
struct Partition {
  int32_t day = 0;
  int64_t first_id = 0;
};

// The partition holding `id`, or nullptr. REQUIRES: `partitions` sorted by first_id.
const Partition* PartitionOf(const std::vector<Partition>& partitions, int64_t id);

}  // namespace vitals::store
