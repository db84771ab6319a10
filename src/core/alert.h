// Alert: something that needs a person, raised from a condition on a source.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/binary_codec.h"
#include "core/time.h"

namespace vitals::core {

enum class AlertSeverity { kInfo, kWarning, kCritical };
// Appended only: values are persisted in checkpoints.
enum class AlertSource { kSystem, kAgent, kIntegration, kWorkspace, kDatabase };

std::string_view AlertSeverityName(AlertSeverity s);  // "info", "warning", "critical"
std::optional<AlertSeverity> ParseAlertSeverity(std::string_view name);
// "system", "agent", "integration", "workspace", "database"
std::string_view AlertSourceName(AlertSource s);
std::optional<AlertSource> ParseAlertSource(std::string_view name);

struct Alert {
  std::string id;  // "alert_<n>", unique per monitor
  std::string organization_id;
  AlertSeverity severity = AlertSeverity::kWarning;
  AlertSource source_type = AlertSource::kAgent;
  std::string source_id;
  std::string type;  // e.g. "health", "heartbeat", "error_rate", "integration_down", "disk"
  std::string message;
  Timestamp raised_at;
  Timestamp updated_at;
  std::optional<Timestamp> resolved_at;
  std::optional<Timestamp> acknowledged_at;
  std::string acknowledged_by;
  std::optional<Timestamp> last_notified_at;
  bool flapping = false;
  std::string metadata_json = "{}";

  bool open() const { return !resolved_at.has_value(); }
  bool acknowledged() const { return acknowledged_at.has_value(); }
};

void EncodeAlert(BinaryWriter& w, const Alert& a);
bool DecodeAlert(BinaryReader& r, Alert* a);

enum class AlertChangeKind {
  kRaised,
  kEscalated,  // severity rose while open
  kUpdated,    // severity fell or the message changed while open
  kAcknowledged,
  kResolved,
  kFlappingStarted,
  kFlappingStopped,
};

std::string_view AlertChangeKindName(AlertChangeKind kind);  // "raised", "escalated", ...

struct AlertChange {
  AlertChangeKind kind;
  Alert alert;                    // the alert after the change
  bool notify = false;            // whether delivery should tell people about this change
  std::string suppressed_reason;  // why notify is false: "cooldown", "flapping", "paused", ...
};

}  // namespace vitals::core
