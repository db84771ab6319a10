#include "server/checks/check_tracker.h"

namespace vitals::server {

CheckOutcome CheckTracker::Record(CheckOutcome outcome, int retries) {
  outcome.previous_state = state_;
  if (outcome.success) {
    consecutive_failures_ = 0;
    state_ = CheckState::kUp;
    last_error_.clear();
  } else {
    ++consecutive_failures_;
    if (consecutive_failures_ > retries) state_ = CheckState::kDown;
    last_error_ = outcome.detail;
  }
  outcome.state = state_;
  outcome.state_changed = outcome.state != outcome.previous_state;
  outcome.consecutive_failures = consecutive_failures_;
  last_ = outcome;
  if (history_size_ > 0) {
    history_.push_back(outcome);
    while (history_.size() > history_size_) history_.pop_front();
  }
  return outcome;
}

}  // namespace vitals::server
