#include "core/agent_view.h"

namespace vitals::core {

std::string_view ActivityStatusName(ActivityStatus s) {
  switch (s) {
    case ActivityStatus::kActive:
      return "active";
    case ActivityStatus::kIdle:
      return "idle";
    case ActivityStatus::kError:
      return "error";
    case ActivityStatus::kPaused:
      return "paused";
  }
  return "idle";
}

std::optional<ActivityStatus> ParseActivityStatus(std::string_view name) {
  for (ActivityStatus s : {ActivityStatus::kActive, ActivityStatus::kIdle, ActivityStatus::kError,
                           ActivityStatus::kPaused}) {
    if (ActivityStatusName(s) == name) return s;
  }
  return std::nullopt;
}

}  // namespace vitals::core
