#include "store/sqlite/record_columns.h"

#include "store/sqlite/json_strings.h"

namespace vitals::store {
namespace {

std::optional<core::HealthStatus> ReadStatus(const Statement& s, int c) {
  return core::ParseHealthStatus(s.TextView(c));
}

std::optional<core::TransitionKind> ParseTransition(std::string_view name) {
  for (auto kind : {core::TransitionKind::kDegrading, core::TransitionKind::kCriticalFromHealthy,
                    core::TransitionKind::kCriticalFromDegraded, core::TransitionKind::kRecovering,
                    core::TransitionKind::kRecovered, core::TransitionKind::kRecoveredFromCritical,
                    core::TransitionKind::kChanged}) {
    if (core::TransitionKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

}  // namespace

void BindHeartbeat(Statement& s, int i, const StoredHeartbeat& h) {
  s.Bind(i++, std::string_view(h.organization_id));
  s.Bind(i++, std::string_view(h.agent_id));
  s.Bind(i++, h.timestamp);
  s.Bind(i++, h.received_at);
  s.Bind(i++, std::string_view(h.metadata_json));
}

StoredHeartbeat ReadHeartbeat(const Statement& s) {
  return {s.Int(0), s.Text(1), s.Text(2), s.Time(3), s.Time(4), s.Text(5)};
}

void BindHealth(Statement& s, const HealthRecord& r, std::string& scratch) {
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

std::optional<HealthRecord> ReadHealth(const Statement& s) {
  HealthRecord r;
  core::HealthSnapshot& h = r.snapshot;
  r.organization_id = s.Text(0);
  r.agent_id = s.Text(1);
  auto status = ReadStatus(s, 2);
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

void BindTransition(Statement& s, const TransitionRecord& r, std::string& scratch) {
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

std::optional<TransitionRecord> ReadTransition(const Statement& s) {
  auto kind = ParseTransition(s.TextView(2));
  auto previous = ReadStatus(s, 3);
  auto next = ReadStatus(s, 4);
  auto issues = DecodeJsonStrings(s.TextView(6));
  if (!kind || !previous || !next || !issues) return std::nullopt;
  return TransitionRecord{s.Text(0),   s.Text(1),          *kind,    *previous, *next,
                          s.Double(5), std::move(*issues), s.Time(7)};
}

void BindAlert(Statement& s, const core::Alert& a) {
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

std::optional<core::Alert> ReadAlert(const Statement& s) {
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

void BindHealthAlert(Statement& s, const core::Alert& a) {
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

void BindMetric(Statement& s, const MetricRecord& m) {
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

MetricRecord ReadMetric(const Statement& s) {
  return {s.Text(0),   s.Text(1),   s.Text(2), s.Text(3), s.Double(4),
          s.Double(5), s.Double(6), s.Time(7), s.Text(8), s.Text(9)};
}

void BindApiKey(Statement& s, const ApiKeyRecord& k) {
  int i = 1;
  s.Bind(i++, std::string_view(k.id));
  s.Bind(i++, std::string_view(k.organization_id));
  s.Bind(i++, std::string_view(k.name));
  s.Bind(i++, KeyScopeName(k.scope));
  s.Bind(i++, std::string_view(k.secret_hash));
  s.Bind(i++, k.created_at);
  s.Bind(i++, k.revoked_at);
}

std::optional<ApiKeyRecord> ReadApiKey(const Statement& s) {
  auto scope = ParseKeyScope(s.TextView(3));
  if (!scope) return std::nullopt;
  return ApiKeyRecord{s.Text(0), s.Text(1), s.Text(2), *scope, s.Text(4), s.Time(5), s.OptTime(6)};
}

void BindCheckpoint(Statement& s, const Checkpoint& c) {
  int i = 1;
  s.Bind(i++, std::string_view(c.organization_id));
  s.Bind(i++, std::string_view(c.agent_id));
  s.BindBlob(i++, c.blob);
  s.Bind(i++, c.last_execution_id);
  s.Bind(i++, c.taken_at);
}

Checkpoint ReadCheckpoint(const Statement& s) {
  return {s.Text(0), s.Text(1), std::string(s.BlobView(2)), s.Int(3), s.Time(4)};
}

}  // namespace vitals::store
