// HealthStatus and its transitions, with seed 000's names.
#pragma once

#include <optional>
#include <string_view>

namespace vitals::core {

enum class HealthStatus { kUnknown, kHealthy, kDegraded, kCritical };

// "unknown", "healthy", "degraded", "critical".
std::string_view HealthStatusName(HealthStatus status);
std::optional<HealthStatus> ParseHealthStatus(std::string_view name);

// 0 unknown, 1 healthy, 2 degraded, 3 critical: larger is worse (unknown is not "worse").
inline int Severity(HealthStatus s) { return static_cast<int>(s); }

enum class TransitionKind {
  kDegrading,              // healthy -> degraded
  kCriticalFromHealthy,    // healthy -> critical
  kCriticalFromDegraded,   // degraded -> critical
  kRecovering,             // critical -> degraded
  kRecovered,              // degraded -> healthy
  kRecoveredFromCritical,  // critical -> healthy
  kChanged,                // any other change (to or from unknown)
};

std::string_view TransitionKindName(TransitionKind kind);

// Seed 000's detect_transition: nullopt when there is no previous status or it is unchanged.
std::optional<TransitionKind> DetectTransition(std::optional<HealthStatus> previous,
                                               HealthStatus current);

}  // namespace vitals::core
