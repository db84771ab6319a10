// FlapDetector: Nagios's flap detection for one alert condition.
//
// It remembers the condition's last 21 evaluations and computes the weighted percent state
// change over the 20 transitions between them, the oldest weighted 0.75 and the newest 1.25
// (linear in between), as Nagios core does. Flapping starts when the percentage reaches `high`
// and stops when it falls to `low` or below (Nagios defaults: 20 and 5); in between the previous
// verdict stands.
//
// Not thread-safe.
#pragma once

#include <cstdint>

#include "core/binary_codec.h"

namespace vitals::core {

struct FlapThresholds {
  double low = 5.0;
  double high = 20.0;
  bool operator==(const FlapThresholds&) const = default;
};

class FlapDetector {
 public:
  static constexpr int kHistory = 21;

  // Records one evaluation; returns whether the condition is flapping afterwards.
  bool Record(bool active, const FlapThresholds& thresholds);
  double percent_change() const { return percent_; }
  bool flapping() const { return flapping_; }
  // True when a full history of inactive (active) evaluations makes Record(false)
  // (Record(true)) change nothing.
  bool QuietlyInactive() const {
    return count_ == kHistory && bits_ == 0 && !flapping_ && percent_ == 0;
  }
  bool QuietlyActive() const {
    return count_ == kHistory && bits_ == (1u << kHistory) - 1 && !flapping_ && percent_ == 0;
  }

  void Encode(BinaryWriter& w) const {
    w.U64(bits_);
    w.U64(static_cast<uint64_t>(count_));
    w.F64(percent_);
    w.Bool(flapping_);
  }
  bool Decode(BinaryReader& r) {
    bits_ = static_cast<uint32_t>(r.U64());
    count_ = static_cast<int>(r.U64());
    percent_ = r.F64();
    flapping_ = r.Bool();
    return r.ok() && count_ >= 0 && count_ <= kHistory;
  }

 private:
  uint32_t bits_ = 0;  // bit i = state i evaluations ago (bit 0 newest)
  int count_ = 0;      // evaluations recorded, capped at kHistory
  double percent_ = 0;
  bool flapping_ = false;
};

}  // namespace vitals::core
