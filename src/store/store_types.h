// Records the Store reads and writes. Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/agent_settings.h"
#include "core/alert.h"
#include "core/execution_event.h"
#include "core/health_calculator.h"
#include "core/health_status.h"
#include "core/time.h"

namespace vitals::store {

// One execution record to append: a finished execution, or the start of one (two-part
// reporting; status/latency are then meaningless).
struct ExecutionWrite {
  core::ExecutionEvent event;
  bool started_only = false;
  core::Timestamp received_at;
};

// The ids Store::AppendExecutions reports for rows it did not store (see there).
inline constexpr int64_t kDuplicateExecution = 0;
inline constexpr int64_t kConflictingExecution = -1;

// An execution read back. `id` is the store's own sequence number: unique, increasing in commit
// order across the whole store.
struct StoredExecution {
  int64_t id = 0;
  core::ExecutionEvent event;
  bool started_only = false;
  core::Timestamp received_at;
};

struct ExecutionQuery {
  std::string organization_id;
  std::string agent_id;
  std::optional<core::Timestamp> from;  // event timestamp >= from
  std::optional<core::Timestamp> to;    // event timestamp <= to
  std::optional<std::string> status;    // exact raw status; nullopt: any
  bool include_started = false;         // also return start records
  int limit = 100;                      // newest first, at most this many (1..10000)
};

struct StoredHeartbeat {
  int64_t id = 0;  // assigned by the store on append
  std::string organization_id;
  std::string agent_id;
  core::Timestamp timestamp;  // as reported (or received_at)
  core::Timestamp received_at;
  std::string metadata_json;  // "" when none
};

struct RegisteredAgent {
  std::string organization_id;
  std::string agent_id;
  core::AgentSettings settings;
  core::Timestamp created_at;
  core::Timestamp updated_at;
};

// Seed 000's agent_health_realtime row, plus the organization.
struct HealthRecord {
  std::string organization_id;
  std::string agent_id;
  core::HealthSnapshot snapshot;
};

struct TransitionRecord {
  std::string organization_id;
  std::string agent_id;
  core::TransitionKind transition = core::TransitionKind::kChanged;
  core::HealthStatus previous_status = core::HealthStatus::kUnknown;
  core::HealthStatus new_status = core::HealthStatus::kUnknown;
  double score = 0;
  std::vector<std::string> issues;
  core::Timestamp at;
};

// One point of seed 001's history: an aggregate over [timestamp, timestamp + bucket).
struct HistoryPoint {
  core::Timestamp timestamp;
  std::optional<double> health_score;  // 0..1, mean of the scores recorded in the bucket
  core::HealthStatus status = core::HealthStatus::kUnknown;  // the last status in the bucket
  int64_t total_executions = 0;
  int64_t completed = 0;  // successful
  int64_t failed = 0;
};

struct AlertQuery {
  std::string organization_id;
  bool all_organizations = false;  // ignore organization_id: for the server's restore only
  std::optional<bool> open;        // true: unresolved only; false: resolved only; nullopt: both
  std::optional<core::AlertSeverity> severity;
  std::optional<core::AlertSource> source_type;
  std::optional<std::string> source_id;
  std::optional<bool> acknowledged;
  std::optional<core::Timestamp> since;  // raised_at >= since
  int limit = 100;                       // newest first
};

enum class KeyScope { kIngest, kRead, kAdmin };
std::string_view KeyScopeName(KeyScope s);  // "ingest", "read", "admin"
std::optional<KeyScope> ParseKeyScope(std::string_view name);

struct ApiKeyRecord {
  std::string id;  // public identifier, e.g. "key_3f9a..."; not secret
  std::string organization_id;
  std::string name;
  KeyScope scope = KeyScope::kRead;
  std::string secret_hash;  // hex SHA-256 of the secret; the secret itself is never stored
  core::Timestamp created_at;
  std::optional<core::Timestamp> revoked_at;
};

// Seed 003's health_metrics row.
struct MetricRecord {
  std::string organization_id;
  std::string resource_type;  // "system", "workspace", "database", "agent", "integration"
  std::string resource_id;
  std::string metric_name;
  double value = 0;
  double threshold_warning = 0;
  double threshold_critical = 0;
  core::Timestamp timestamp;
  std::string unit;
  std::string status;  // "healthy", "degraded", "critical", ...
};

enum class CheckpointKind { kAgent, kIntegration };

// An opaque engine checkpoint of one agent (or integration), and the last execution id it
// includes.
struct Checkpoint {
  std::string organization_id;
  std::string agent_id;  // the integration's id for kIntegration
  std::string blob;
  int64_t last_execution_id = 0;
  core::Timestamp taken_at;
  CheckpointKind kind = CheckpointKind::kAgent;
};

// Counters for /metrics. Monotonic unless noted.
struct StoreStats {
  uint64_t executions_written = 0;
  uint64_t heartbeats_written = 0;
  uint64_t commits = 0;
  uint64_t commit_failures = 0;
  double last_commit_ms = 0;    // gauge: duration of the last group commit
  double commit_ms_total = 0;   // sum of all commit durations
  uint64_t queue_depth = 0;     // gauge: writes waiting for the next commit
  uint64_t queue_capacity = 0;  // gauge
  uint64_t rows_deleted_by_retention = 0;
  uint64_t background_dropped = 0;   // background rows dropped because their queue was full
  uint64_t background_failures = 0;  // background rows that failed to write
  uint64_t fenced_rows = 0;  // background rows refused: their agent is claimed by another node
};

// A registered resource other than an agent — a workspace, an active check, a database target,
// a delivery route, a maintenance window — kept as its JSON spec. The module that owns the kind
// parses and validates the spec; the store only keeps it.
struct ResourceRecord {
  std::string organization_id;
  std::string kind;  // "workspace", "check", "database", "route", "maintenance_window", ...
  std::string id;
  std::string spec_json;
  core::Timestamp created_at;
  core::Timestamp updated_at;
};

// One attempt to deliver an alert change to a route.
struct DeliveryRecord {
  int64_t id = 0;  // assigned by the store
  std::string organization_id;
  std::string alert_id;
  std::string route_id;
  std::string change;   // "raised", "escalated", "resolved", "reminder", ...
  int attempt = 1;      // 1 for the first try
  std::string outcome;  // "delivered", "retrying", "failed", "held"
  std::string detail;   // HTTP status, exit code, error text, or why it was held
  core::Timestamp at;
};

}  // namespace vitals::store
