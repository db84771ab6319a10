// Column lists and row mappings of the smaller tables, shared by the writer (Bind*) and the
// readers (Read*) so each table's column order is defined once. Bind* keep pointers into the
// record (and into `scratch` where given): both must outlive the statement's execution. Read*
// read columns from 0 and return nullopt when a stored value does not parse.
#pragma once

#include <optional>
#include <string>

#include "store/sqlite/connection.h"
#include "store/store_types.h"

namespace vitals::store {

inline constexpr const char* kHeartbeatColumns =
    "id, organization_id, agent_id, timestamp, received_at, metadata";
void BindHeartbeat(Statement& s, int first, const StoredHeartbeat& h);  // id not bound
StoredHeartbeat ReadHeartbeat(const Statement& s);

inline constexpr const char* kHealthColumns =
    "organization_id, agent_id, status, health_score, success_rate_5min, success_rate_1hr, "
    "latency_p95_5min, error_count_5min, error_count_1hr, executions_5min, executions_1hr, "
    "consecutive_failures, issues, last_success_at, calculated_at";
void BindHealth(Statement& s, const HealthRecord& r, std::string& scratch);
std::optional<HealthRecord> ReadHealth(const Statement& s);

inline constexpr const char* kTransitionColumns =
    "organization_id, agent_id, transition, previous_status, new_status, score, issues, at";
void BindTransition(Statement& s, const TransitionRecord& r, std::string& scratch);
std::optional<TransitionRecord> ReadTransition(const Statement& s);

inline constexpr const char* kAlertColumns =
    "organization_id, id, severity, source_type, source_id, type, message, raised_at, "
    "updated_at, resolved_at, acknowledged_at, acknowledged_by, last_notified_at, flapping, "
    "metadata";
void BindAlert(Statement& s, const core::Alert& a);
std::optional<core::Alert> ReadAlert(const Statement& s);
// Seed 003's health_alerts row for `a`.
inline constexpr const char* kHealthAlertColumns =
    "organization_id, id, resource_type, resource_id, alert_type, severity, message, timestamp, "
    "metadata, resolved, resolved_at";
void BindHealthAlert(Statement& s, const core::Alert& a);

inline constexpr const char* kMetricColumns =
    "organization_id, resource_type, resource_id, metric_name, value, threshold_warning, "
    "threshold_critical, timestamp, unit, status";
void BindMetric(Statement& s, const MetricRecord& m);
MetricRecord ReadMetric(const Statement& s);

inline constexpr const char* kApiKeyColumns =
    "id, organization_id, name, scope, secret_hash, created_at, revoked_at";
void BindApiKey(Statement& s, const ApiKeyRecord& k);
std::optional<ApiKeyRecord> ReadApiKey(const Statement& s);

inline constexpr const char* kCheckpointColumns =
    "organization_id, agent_id, blob, last_execution_id, taken_at";
inline constexpr const char* kIntegrationCheckpointColumns =
    "organization_id, integration_id, blob, last_execution_id, taken_at";
void BindCheckpoint(Statement& s, const Checkpoint& c);
Checkpoint ReadCheckpoint(const Statement& s);

}  // namespace vitals::store
