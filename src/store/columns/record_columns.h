// Column lists and row mappings of the smaller tables, shared by the writer (Bind*) and the
// readers (Read*) so each table's column order is defined once. Bind* keep pointers into the
// record (and into `scratch` where given): both must outlive the statement's execution. Read*
// read columns from 0 and return nullopt when a stored value does not parse. `S` is a backend's
// statement type (see execution_columns.h).
#pragma once

#include <optional>
#include <string>

#include "store/json_strings.h"
#include "store/store_types.h"

namespace vitals::store {

inline constexpr const char* kHeartbeatColumns =
    "id, organization_id, agent_id, timestamp, received_at, metadata";

inline constexpr const char* kHealthColumns =
    "organization_id, agent_id, status, health_score, success_rate_5min, success_rate_1hr, "
    "latency_p95_5min, error_count_5min, error_count_1hr, executions_5min, executions_1hr, "
    "consecutive_failures, issues, last_success_at, calculated_at";

inline constexpr const char* kTransitionColumns =
    "organization_id, agent_id, transition, previous_status, new_status, score, issues, at";

inline constexpr const char* kAlertColumns =
    "organization_id, id, severity, source_type, source_id, type, message, raised_at, "
    "updated_at, resolved_at, acknowledged_at, acknowledged_by, last_notified_at, flapping, "
    "metadata";
inline constexpr const char* kHealthAlertColumns =
    "organization_id, id, resource_type, resource_id, alert_type, severity, message, timestamp, "
    "metadata, resolved, resolved_at";

inline constexpr const char* kMetricColumns =
    "organization_id, resource_type, resource_id, metric_name, value, threshold_warning, "
    "threshold_critical, timestamp, unit, status";

inline constexpr const char* kApiKeyColumns =
    "id, organization_id, name, scope, secret_hash, created_at, revoked_at";

inline constexpr const char* kCheckpointColumns =
    "organization_id, agent_id, blob, last_execution_id, taken_at";
inline constexpr const char* kIntegrationCheckpointColumns =
    "organization_id, integration_id, blob, last_execution_id, taken_at";

namespace columns_internal {

template <typename S>
std::optional<core::HealthStatus> ReadStatus(const S& s, int c) {
  return core::ParseHealthStatus(s.TextView(c));
}

inline std::optional<core::TransitionKind> ParseTransition(std::string_view name) {
  for (auto kind : {core::TransitionKind::kDegrading, core::TransitionKind::kCriticalFromHealthy,
                    core::TransitionKind::kCriticalFromDegraded, core::TransitionKind::kRecovering,
                    core::TransitionKind::kRecovered, core::TransitionKind::kRecoveredFromCritical,
                    core::TransitionKind::kChanged}) {
    if (core::TransitionKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

}  // namespace columns_internal

template <typename S>
void BindHeartbeat(S& s, int i, const StoredHeartbeat& h) {
  s.Bind(i++, std::string_view(h.organization_id));
  s.Bind(i++, std::string_view(h.agent_id));
  s.Bind(i++, h.timestamp);
  s.Bind(i++, h.received_at);
  s.Bind(i++, std::string_view(h.metadata_json));
}

template <typename S>
StoredHeartbeat ReadHeartbeat(const S& s) {
  return {s.Int(0), s.Text(1), s.Text(2), s.Time(3), s.Time(4), s.Text(5)};
}

template <typename S>
void BindHealth(S& s, const HealthRecord& r, std::string& scratch) {
  const core::HealthSnapshot& h = r.snapshot;
  scratch = EncodeJsonStrings(h.issues);
  int i = 1;
  s.Bind(i++, std::string_view(r.organization_id));
  s.Bind(i++, std::string_view(r.agent_id));
  s.Bind(i++, core::HealthStatusName(h.status));
  s.Bind(i++, h.score);
  s.Bind(i++, h.success_rate_5min);
  s.Bind(i++, h.success_rate_1hr);
  s.Bind(i++, h.latency_p95_5min);
  s.Bind(i++, h.error_count_5min);
  s.Bind(i++, h.error_count_1hr);
  s.Bind(i++, h.executions_5min);
  s.Bind(i++, h.executions_1hr);
  s.Bind(i++, h.consecutive_failures);
  s.Bind(i++, std::string_view(scratch));
  s.Bind(i++, h.last_success_at);
  s.Bind(i++, h.calculated_at);
}

template <typename S>
std::optional<HealthRecord> ReadHealth(const S& s) {
  HealthRecord r;
  core::HealthSnapshot& h = r.snapshot;
  r.organization_id = s.Text(0);
  r.agent_id = s.Text(1);
  auto status = columns_internal::ReadStatus(s, 2);
  auto issues = DecodeJsonStrings(s.TextView(12));
  if (!status || !issues) return std::nullopt;
  h.status = *status;
  h.score = s.Double(3);
  h.success_rate_5min = s.OptDouble(4);
  h.success_rate_1hr = s.OptDouble(5);
  h.latency_p95_5min = s.OptDouble(6);
  h.error_count_5min = s.Int(7);
  h.error_count_1hr = s.Int(8);
  h.executions_5min = s.Int(9);
  h.executions_1hr = s.Int(10);
  h.consecutive_failures = static_cast<int>(s.Int(11));
  h.issues = std::move(*issues);
  h.last_success_at = s.OptTime(13);
  h.calculated_at = s.Time(14);
  return r;
}

template <typename S>
void BindTransition(S& s, const TransitionRecord& r, std::string& scratch) {
  scratch = EncodeJsonStrings(r.issues);
  int i = 1;
  s.Bind(i++, std::string_view(r.organization_id));
  s.Bind(i++, std::string_view(r.agent_id));
  s.Bind(i++, core::TransitionKindName(r.transition));
  s.Bind(i++, core::HealthStatusName(r.previous_status));
  s.Bind(i++, core::HealthStatusName(r.new_status));
  s.Bind(i++, r.score);
  s.Bind(i++, std::string_view(scratch));
  s.Bind(i++, r.at);
}

template <typename S>
std::optional<TransitionRecord> ReadTransition(const S& s) {
  auto kind = columns_internal::ParseTransition(s.TextView(2));
  auto previous = columns_internal::ReadStatus(s, 3);
  auto next = columns_internal::ReadStatus(s, 4);
  auto issues = DecodeJsonStrings(s.TextView(6));
  if (!kind || !previous || !next || !issues) return std::nullopt;
  return TransitionRecord{s.Text(0),   s.Text(1),          *kind,    *previous, *next,
                          s.Double(5), std::move(*issues), s.Time(7)};
}

template <typename S>
void BindAlert(S& s, const core::Alert& a) {
  int i = 1;
  s.Bind(i++, std::string_view(a.organization_id));
  s.Bind(i++, std::string_view(a.id));
  s.Bind(i++, core::AlertSeverityName(a.severity));
  s.Bind(i++, core::AlertSourceName(a.source_type));
  s.Bind(i++, std::string_view(a.source_id));
  s.Bind(i++, std::string_view(a.type));
  s.Bind(i++, std::string_view(a.message));
  s.Bind(i++, a.raised_at);
  s.Bind(i++, a.updated_at);
  s.Bind(i++, a.resolved_at);
  s.Bind(i++, a.acknowledged_at);
  s.Bind(i++, std::string_view(a.acknowledged_by));
  s.Bind(i++, a.last_notified_at);
  s.Bind(i++, a.flapping);
  s.Bind(i++, std::string_view(a.metadata_json));
}

template <typename S>
std::optional<core::Alert> ReadAlert(const S& s) {
  core::Alert a;
  a.organization_id = s.Text(0);
  a.id = s.Text(1);
  auto severity = core::ParseAlertSeverity(s.TextView(2));
  auto source = core::ParseAlertSource(s.TextView(3));
  if (!severity || !source) return std::nullopt;
  a.severity = *severity;
  a.source_type = *source;
  a.source_id = s.Text(4);
  a.type = s.Text(5);
  a.message = s.Text(6);
  a.raised_at = s.Time(7);
  a.updated_at = s.Time(8);
  a.resolved_at = s.OptTime(9);
  a.acknowledged_at = s.OptTime(10);
  a.acknowledged_by = s.Text(11);
  a.last_notified_at = s.OptTime(12);
  a.flapping = s.Bool(13);
  a.metadata_json = s.Text(14);
  return a;
}

// Seed 003's health_alerts row for `a`.
template <typename S>
void BindHealthAlert(S& s, const core::Alert& a) {
  int i = 1;
  s.Bind(i++, std::string_view(a.organization_id));
  s.Bind(i++, std::string_view(a.id));
  s.Bind(i++, core::AlertSourceName(a.source_type));
  s.Bind(i++, std::string_view(a.source_id));
  s.Bind(i++, std::string_view(a.type));
  s.Bind(i++, core::AlertSeverityName(a.severity));
  s.Bind(i++, std::string_view(a.message));
  s.Bind(i++, a.raised_at);
  s.Bind(i++, std::string_view(a.metadata_json));
  s.Bind(i++, a.resolved_at.has_value());
  s.Bind(i++, a.resolved_at);
}

template <typename S>
void BindMetric(S& s, const MetricRecord& m) {
  int i = 1;
  s.Bind(i++, std::string_view(m.organization_id));
  s.Bind(i++, std::string_view(m.resource_type));
  s.Bind(i++, std::string_view(m.resource_id));
  s.Bind(i++, std::string_view(m.metric_name));
  s.Bind(i++, m.value);
  s.Bind(i++, m.threshold_warning);
  s.Bind(i++, m.threshold_critical);
  s.Bind(i++, m.timestamp);
  s.Bind(i++, std::string_view(m.unit));
  s.Bind(i++, std::string_view(m.status));
}

template <typename S>
MetricRecord ReadMetric(const S& s) {
  return {s.Text(0),   s.Text(1),   s.Text(2), s.Text(3), s.Double(4),
          s.Double(5), s.Double(6), s.Time(7), s.Text(8), s.Text(9)};
}

template <typename S>
void BindApiKey(S& s, const ApiKeyRecord& k) {
  int i = 1;
  s.Bind(i++, std::string_view(k.id));
  s.Bind(i++, std::string_view(k.organization_id));
  s.Bind(i++, std::string_view(k.name));
  s.Bind(i++, KeyScopeName(k.scope));
  s.Bind(i++, std::string_view(k.secret_hash));
  s.Bind(i++, k.created_at);
  s.Bind(i++, k.revoked_at);
}

template <typename S>
std::optional<ApiKeyRecord> ReadApiKey(const S& s) {
  auto scope = ParseKeyScope(s.TextView(3));
  if (!scope) return std::nullopt;
  return ApiKeyRecord{s.Text(0), s.Text(1), s.Text(2), *scope, s.Text(4), s.Time(5), s.OptTime(6)};
}

template <typename S>
void BindCheckpoint(S& s, const Checkpoint& c) {
  int i = 1;
  s.Bind(i++, std::string_view(c.organization_id));
  s.Bind(i++, std::string_view(c.agent_id));
  s.BindBlob(i++, c.blob);
  s.Bind(i++, c.last_execution_id);
  s.Bind(i++, c.taken_at);
}

template <typename S>
Checkpoint ReadCheckpoint(const S& s) {
  return {s.Text(0), s.Text(1), std::string(s.BlobView(2)), s.Int(3), s.Time(4)};
}

}  // namespace vitals::store
