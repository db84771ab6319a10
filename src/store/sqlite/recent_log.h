// Fills RecentExecutions from the SQLite execution log at load.
#pragma once

#include <cstdint>

#include "store/recent_executions.h"
#include "store/sqlite/connection.h"

namespace vitals::store {

// Remembers the log's latest rows (ids below `next_id`), up to the capacity and at most
// RecentExecutions::kRestoredRows.
core::Status LoadRecentExecutions(RecentExecutions& recent, Connection& db, int64_t next_id);

}  // namespace vitals::store
