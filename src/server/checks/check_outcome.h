// CheckOutcome: one evaluated probe of a check, with the state it left the check in.
#pragma once

#include <string>
#include <string_view>

#include "core/time.h"

namespace vitals::server {

// pending: no verdict yet (never probed, or failing but not yet retries + 1 times in a row).
enum class CheckState { kPending, kUp, kDown };

inline std::string_view CheckStateName(CheckState s) {
  switch (s) {
    case CheckState::kPending:
      return "pending";
    case CheckState::kUp:
      return "up";
    case CheckState::kDown:
      return "down";
  }
  return "pending";
}

struct CheckOutcome {
  core::Timestamp at;  // when the probe ended (the runner's clock)
  bool success = false;
  CheckState state = CheckState::kPending;           // after this result
  CheckState previous_state = CheckState::kPending;  // before it
  bool state_changed = false;
  double latency_ms = 0;
  int status_code = 0;  // 0 for tcp, or when no response arrived
  int consecutive_failures = 0;
  std::string detail;  // CheckVerdict::reason
};

}  // namespace vitals::server
