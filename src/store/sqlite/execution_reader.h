// Reads of the execution log on a read connection.
//
// QueryExecutions merges the agent's unsealed tail (memory) with its sealed blocks, taken newest
// max_ts first: an entry is final once its timestamp exceeds the max_ts of every block not yet
// read, so a query for recent rows reads a few blocks, whatever the agent's history. Rows are
// then fetched by id from their day table, newest first, until `limit` match. The id flags
// filter start records and success/failure before any row is read.
#pragma once

#include <vector>

#include "store/sqlite/execution_tail.h"
#include "store/sqlite/read_pool.h"
#include "store/store_types.h"

namespace vitals::store {

core::Result<std::vector<StoredExecution>> QueryExecutionLog(ReadConnection& c,
                                                             const ExecutionTail& tail,
                                                             const ExecutionQuery& q);

// Ids > after_id, ascending, at most `limit`.
core::Result<std::vector<StoredExecution>> ReadExecutionsAfter(ReadConnection& c, int64_t after_id,
                                                               int limit);

}  // namespace vitals::store
