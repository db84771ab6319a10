#include "core/health_status.h"

namespace vitals::core {

std::string_view HealthStatusName(HealthStatus status) {
  switch (status) {
    case HealthStatus::kUnknown:
      return "unknown";
    case HealthStatus::kHealthy:
      return "healthy";
    case HealthStatus::kDegraded:
      return "degraded";
    case HealthStatus::kCritical:
      return "critical";
  }
  return "unknown";
}

std::optional<HealthStatus> ParseHealthStatus(std::string_view name) {
  for (HealthStatus s : {HealthStatus::kUnknown, HealthStatus::kHealthy, HealthStatus::kDegraded,
                         HealthStatus::kCritical}) {
    if (HealthStatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view TransitionKindName(TransitionKind kind) {
  switch (kind) {
    case TransitionKind::kDegrading:
      return "degrading";
    case TransitionKind::kCriticalFromHealthy:
      return "critical_from_healthy";
    case TransitionKind::kCriticalFromDegraded:
      return "critical_from_degraded";
    case TransitionKind::kRecovering:
      return "recovering";
    case TransitionKind::kRecovered:
      return "recovered";
    case TransitionKind::kRecoveredFromCritical:
      return "recovered_from_critical";
    case TransitionKind::kChanged:
      return "changed";
  }
  return "changed";
}

std::optional<TransitionKind> DetectTransition(std::optional<HealthStatus> previous,
                                               HealthStatus current) {
  if (!previous || *previous == current) return std::nullopt;
  using S = HealthStatus;
  const S p = *previous;
  if (p == S::kHealthy && current == S::kDegraded) return TransitionKind::kDegrading;
  if (p == S::kHealthy && current == S::kCritical) return TransitionKind::kCriticalFromHealthy;
  if (p == S::kDegraded && current == S::kCritical) return TransitionKind::kCriticalFromDegraded;
  if (p == S::kCritical && current == S::kDegraded) return TransitionKind::kRecovering;
  if (p == S::kDegraded && current == S::kHealthy) return TransitionKind::kRecovered;
  if (p == S::kCritical && current == S::kHealthy) return TransitionKind::kRecoveredFromCritical;
  return TransitionKind::kChanged;
}

}  // namespace vitals::core
