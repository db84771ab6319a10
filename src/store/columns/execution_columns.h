// The columns of an execution day table, shared by the writer (BindExecution) and the readers
// (ReadExecution) so their order is defined once. `S` is a backend's statement (SQLite's
// Statement, PostgreSQL's parameter and row types): Bind(i, value) and typed column getters.
#pragma once

#include <cstdint>

#include "store/store_types.h"

namespace vitals::store {

inline constexpr const char* kExecutionColumns =
    "id, organization_id, agent_id, execution_id, action_type, action_name, input_summary, "
    "output_summary, status, error_message, latency_ms, token_count, cost_usd, metadata, "
    "integration_id, timestamp, started_only, received_at";
inline constexpr int kExecutionColumnCount = 18;

// Binds parameters first .. first + 17. The row's strings are bound without copying.
template <typename S>
void BindExecution(S& s, int first, int64_t id, const ExecutionWrite& row) {
  const core::ExecutionEvent& e = row.event;
  int i = first;
  s.Bind(i++, id);
  s.Bind(i++, std::string_view(e.organization_id));
  s.Bind(i++, std::string_view(e.agent_id));
  s.Bind(i++, std::string_view(e.execution_id));
  s.Bind(i++, std::string_view(e.action_type));
  s.Bind(i++, std::string_view(e.action_name));
  s.Bind(i++, std::string_view(e.input_summary));
  s.Bind(i++, std::string_view(e.output_summary));
  s.Bind(i++, std::string_view(e.status));
  s.Bind(i++, std::string_view(e.error_message));
  s.Bind(i++, e.latency_ms);
  s.Bind(i++, e.token_count);
  s.Bind(i++, e.cost_usd);
  s.Bind(i++, std::string_view(e.metadata_json));
  s.Bind(i++, std::string_view(e.integration_id));
  s.Bind(i++, e.timestamp);
  s.Bind(i++, row.started_only);
  s.Bind(i++, row.received_at);
}

// Reads columns 0..17 of the current row.
template <typename S>
StoredExecution ReadExecution(const S& s) {
  StoredExecution out;
  core::ExecutionEvent& e = out.event;
  int i = 0;
  out.id = s.Int(i++);
  e.organization_id = s.Text(i++);
  e.agent_id = s.Text(i++);
  e.execution_id = s.Text(i++);
  e.action_type = s.Text(i++);
  e.action_name = s.Text(i++);
  e.input_summary = s.Text(i++);
  e.output_summary = s.Text(i++);
  e.status = s.Text(i++);
  e.error_message = s.Text(i++);
  e.latency_ms = s.Double(i++);
  e.token_count = s.OptInt(i++);
  e.cost_usd = s.Double(i++);
  e.metadata_json = s.Text(i++);
  e.integration_id = s.Text(i++);
  e.timestamp = s.Time(i++);
  out.started_only = s.Bool(i++);
  out.received_at = s.Time(i++);
  return out;
}

}  // namespace vitals::store
