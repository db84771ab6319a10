// Parsing of ingest bodies: a JSON object, a JSON array of objects, or NDJSON (one object per
// line). Items are parsed independently, so a bad item is rejected with its index and the reason
// while the good ones are kept; only a body that is not JSON at all fails as a whole.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/execution_event.h"
#include "core/status.h"

namespace vitals::server {

enum class BodyFormat { kJson, kNdjson };

struct ItemError {
  size_t index = 0;
  std::string error;  // "latency_ms: expected a number, got string"
};

struct ParsedExecutions {
  std::vector<core::ExecutionEvent> events;
  std::vector<size_t> indexes;  // events[k] was item indexes[k] of the body
  std::vector<ItemError> rejected;
  size_t items = 0;  // items seen
};

struct Heartbeat {
  std::string agent_id;
  std::optional<core::Timestamp> timestamp;
  std::string metadata_json;  // "" when none
  std::optional<double> queue_depth;
};

struct ParsedHeartbeats {
  std::vector<Heartbeat> heartbeats;
  std::vector<size_t> indexes;
  std::vector<ItemError> rejected;
  size_t items = 0;
};

// Spare capacity after a body's text that lets the parsers below read it in place.
inline constexpr size_t kParsePadding = 64;

// Parses execution records. Every event gets `organization_id` (from the caller's credentials;
// an item naming another organization is rejected) and, when it has no timestamp, `now`.
// `body` is reallocated unless its capacity leaves kParsePadding bytes after the text. Fails with
// InvalidArgument only when the body as a whole is not JSON of the expected shape.
core::Result<ParsedExecutions> ParseExecutions(std::string& body, BodyFormat format,
                                               std::string_view organization_id,
                                               core::Timestamp now);

core::Result<ParsedHeartbeats> ParseHeartbeats(std::string& body, BodyFormat format,
                                               std::string_view organization_id);

struct QueueDepthReport {
  std::string source_id;
  int64_t depth = 0;
};

// {"source_id": "...", "depth": N} (agent_id is accepted for source_id). InvalidArgument naming
// the field: malformed JSON, missing source, depth not a whole number in [0, 1e12].
core::Result<QueueDepthReport> ParseQueueDepth(std::string& body);

}  // namespace vitals::server
