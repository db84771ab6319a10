// CheckTracker: the up/down state machine of one check, and its recent results. Up after one
// success; down after retries + 1 consecutive failures (Uptime Kuma, Gatus); until then a failing
// check keeps its state (pending if it never had a verdict).
//
// Not thread-safe; the runner guards it.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>

#include "server/checks/check_outcome.h"

namespace vitals::server {

class CheckTracker final {
 public:
  explicit CheckTracker(size_t history_size = 20) : history_size_(history_size) {}

  // Applies one result; returns it with the state before and after filled in.
  CheckOutcome Record(CheckOutcome outcome, int retries);

  CheckState state() const { return state_; }
  int consecutive_failures() const { return consecutive_failures_; }
  const std::optional<CheckOutcome>& last() const { return last_; }
  // The last error ("" after a success).
  const std::string& last_error() const { return last_error_; }
  // Newest last, at most history_size.
  const std::deque<CheckOutcome>& history() const { return history_; }

 private:
  size_t history_size_;
  CheckState state_ = CheckState::kPending;
  int consecutive_failures_ = 0;
  std::optional<CheckOutcome> last_;
  std::string last_error_;
  std::deque<CheckOutcome> history_;
};

}  // namespace vitals::server
