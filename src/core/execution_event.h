// ExecutionEvent: one finished (or started) agent execution, with seed 000's log fields.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace vitals::core {

// The status value that counts as success; any other value is a failure (the raw value is kept).
inline constexpr std::string_view kSuccessStatus = "success";

struct ExecutionEvent {
  std::string organization_id;
  std::string agent_id;
  std::string execution_id;
  std::string action_type;
  std::string action_name;     // empty: not given
  std::string input_summary;   // empty: not given
  std::string output_summary;  // empty: not given
  std::string status = std::string(kSuccessStatus);
  std::string error_message;  // empty: not given
  double latency_ms = 0;
  std::optional<int64_t> token_count;
  double cost_usd = 0;
  std::string metadata_json;   // a JSON object's text; empty: not given
  std::string integration_id;  // empty: the execution used no named integration
  Timestamp timestamp;

  bool IsSuccess() const { return status == kSuccessStatus; }
};

// Bounds an event must respect to be accepted. Values are generous; they exist to turn absurd
// input (a negative latency, a timestamp in 2099) into a clear rejection instead of a skewed score.
struct EventLimits {
  size_t max_id_length = 256;          // organization_id, agent_id, execution_id, integration_id
  size_t max_text_length = 16 * 1024;  // summaries, error message, action names
  size_t max_metadata_length = 64 * 1024;
  double max_latency_ms = 7 * 24 * 3600 * 1000.0;  // a week
  double max_cost_usd = 1'000'000;
  int64_t max_token_count = 1'000'000'000;
  Duration max_future_skew = std::chrono::minutes(5);  // accepted ahead of the server clock
  Duration max_past_age = std::chrono::hours(24);      // accepted behind the server clock
};

// Checks an event against `limits` at server time `now`. Returns InvalidArgument naming the
// field and the reason ("latency_ms: must be >= 0, got -5"). Pure.
Status ValidateEvent(const ExecutionEvent& event, const EventLimits& limits, Timestamp now);

// Checks an identifier (agent, organization, integration): non-empty, bounded, printable, no
// control characters. `field` names it in the message.
Status ValidateId(std::string_view field, std::string_view value, size_t max_length);

// An agent id: ValidateId, and no '/'. Agent ids are path segments of the API
// (/api/v1/agents/{id}/...) and a path is decoded before it is routed, so an id holding '/' could
// be stored but never addressed. Every way an agent id enters (ingest, heartbeats, registration,
// settings) checks it here.
Status ValidateAgentId(std::string_view value, size_t max_length);

// Checks a client-supplied timestamp against the skew bounds. `field` names it in the message.
Status ValidateTimestamp(std::string_view field, Timestamp t, const EventLimits& limits,
                         Timestamp now);

}  // namespace vitals::core
