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
  }
  return "agent";
}

std::optional<AlertSource> ParseAlertSource(std::string_view name) {
  if (name == "system") return AlertSource::kSystem;
  if (name == "agent") return AlertSource::kAgent;
  if (name == "integration") return AlertSource::kIntegration;
  return std::nullopt;
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
