#include "core/alert.h"

namespace vitals::core {

std::string_view AlertSeverityName(AlertSeverity s) {
  switch (s) {
    case AlertSeverity::kInfo:
      return "info";
    case AlertSeverity::kWarning:
      return "warning";
    case AlertSeverity::kCritical:
      return "critical";
  }
  return "info";
}

std::optional<AlertSeverity> ParseAlertSeverity(std::string_view name) {
  if (name == "info") return AlertSeverity::kInfo;
  if (name == "warning") return AlertSeverity::kWarning;
  if (name == "critical") return AlertSeverity::kCritical;
  return std::nullopt;
}

std::string_view AlertSourceName(AlertSource s) {
  switch (s) {
    case AlertSource::kSystem:
      return "system";
    case AlertSource::kAgent:
      return "agent";
    case AlertSource::kIntegration:
      return "integration";
    case AlertSource::kWorkspace:
      return "workspace";
    case AlertSource::kDatabase:
      return "database";
  }
  return "agent";
}

std::optional<AlertSource> ParseAlertSource(std::string_view name) {
  if (name == "system") return AlertSource::kSystem;
  if (name == "agent") return AlertSource::kAgent;
  if (name == "integration") return AlertSource::kIntegration;
  if (name == "workspace") return AlertSource::kWorkspace;
  if (name == "database") return AlertSource::kDatabase;
  return std::nullopt;
}

namespace {

void OptTime(BinaryWriter& w, const std::optional<Timestamp>& t) {
  w.Bool(t.has_value());
  if (t) w.I64(ToMicros(*t));
}

std::optional<Timestamp> OptTime(BinaryReader& r) {
  if (!r.Bool()) return std::nullopt;
  return FromMicros(r.I64());
}

}  // namespace

void EncodeAlert(BinaryWriter& w, const Alert& a) {
  w.Str(a.id);
  w.Str(a.organization_id);
  w.U64(static_cast<uint64_t>(a.severity));
  w.U64(static_cast<uint64_t>(a.source_type));
  w.Str(a.source_id);
  w.Str(a.type);
  w.Str(a.message);
  w.I64(ToMicros(a.raised_at));
  w.I64(ToMicros(a.updated_at));
  OptTime(w, a.resolved_at);
  OptTime(w, a.acknowledged_at);
  w.Str(a.acknowledged_by);
  OptTime(w, a.last_notified_at);
  w.Bool(a.flapping);
  w.Str(a.metadata_json);
}

bool DecodeAlert(BinaryReader& r, Alert* a) {
  a->id = r.Str();
  a->organization_id = r.Str();
  const uint64_t severity = r.U64(), source = r.U64();
  if (severity > 2 || source > static_cast<uint64_t>(AlertSource::kDatabase)) return false;
  a->severity = static_cast<AlertSeverity>(severity);
  a->source_type = static_cast<AlertSource>(source);
  a->source_id = r.Str();
  a->type = r.Str();
  a->message = r.Str();
  a->raised_at = FromMicros(r.I64());
  a->updated_at = FromMicros(r.I64());
  a->resolved_at = OptTime(r);
  a->acknowledged_at = OptTime(r);
  a->acknowledged_by = r.Str();
  a->last_notified_at = OptTime(r);
  a->flapping = r.Bool();
  a->metadata_json = r.Str();
  return r.ok();
}

std::string_view AlertChangeKindName(AlertChangeKind kind) {
  switch (kind) {
    case AlertChangeKind::kRaised:
      return "raised";
    case AlertChangeKind::kEscalated:
      return "escalated";
    case AlertChangeKind::kUpdated:
      return "updated";
    case AlertChangeKind::kAcknowledged:
      return "acknowledged";
    case AlertChangeKind::kResolved:
      return "resolved";
    case AlertChangeKind::kFlappingStarted:
      return "flapping_started";
    case AlertChangeKind::kFlappingStopped:
      return "flapping_stopped";
  }
  return "updated";
}

}  // namespace vitals::core
