// The columns of an execution day table, shared by the writer (BindExecution) and the readers
// (ReadExecution) so their order is defined once.
#pragma once

#include <cstdint>

#include "store/sqlite/connection.h"
#include "store/store_types.h"

namespace vitals::store {

inline constexpr const char* kExecutionColumns =
    "id, organization_id, agent_id, execution_id, action_type, action_name, input_summary, "
    "output_summary, status, error_message, latency_ms, token_count, cost_usd, metadata, "
    "integration_id, timestamp, started_only, received_at";
inline constexpr int kExecutionColumnCount = 18;

// Binds parameters first .. first + 17. The row's strings are bound without copying.
void BindExecution(Statement& s, int first, int64_t id, const ExecutionWrite& row);

// Reads columns 0..17 of the current row.
StoredExecution ReadExecution(const Statement& s);

}  // namespace vitals::store
