#include "core/flap_detector.h"

namespace vitals::core {

bool FlapDetector::Record(bool active, const FlapThresholds& thresholds) {
  if (count_ == 0) {
    // Nagios starts the history filled with the first state: no changes yet.
    bits_ = active ? (1u << kHistory) - 1 : 0;
    count_ = kHistory;
  }
  bits_ = ((bits_ << 1) | (active ? 1u : 0u)) & ((1u << kHistory) - 1);

  constexpr double kLow = 0.75;
  constexpr double kHigh = 1.25;
  constexpr uint32_t kPairs = (1u << (kHistory - 1)) - 1;
  double changes = 0;
  if (((bits_ ^ (bits_ >> 1)) & kPairs) == 0) {  // steady: the common case
    percent_ = 0;
    if (percent_ <= thresholds.low) flapping_ = false;
    return flapping_;
  }
  // Transition x (1..20) compares states x-1 and x evaluations before the oldest; x = 1 is the
  // oldest transition. Bit (kHistory - x) is the newer state of that pair.
  for (int x = 1; x < kHistory; ++x) {
    const bool older = (bits_ >> (kHistory - x)) & 1u;
    const bool newer = (bits_ >> (kHistory - 1 - x)) & 1u;
    if (older != newer) changes += (x - 1) * (kHigh - kLow) / (kHistory - 2) + kLow;
  }
  percent_ = changes * 100.0 / (kHistory - 1);
  if (percent_ >= thresholds.high) {
    flapping_ = true;
  } else if (percent_ <= thresholds.low) {
    flapping_ = false;
  }
  return flapping_;
}

}  // namespace vitals::core
