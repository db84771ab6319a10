// SketchMapping: the logarithmic bins shared by LatencySketch and SlidingSketch (DDSketch,
// Masson et al., VLDB 2019).
//
// Bin i holds values in (gamma^(i-1), gamma^i] with gamma = (1+a)/(1-a); reporting a bin by
// 2*gamma^i/(gamma+1) is within relative error a of every value in it. Values below
// kMinIndexable go to a separate zero bin and are reported as 0.
#pragma once

#include <cmath>
#include <cstdint>

namespace vitals::core {

class SketchMapping {
 public:
  // Internal accuracy, a hair under 1% so rounding at bin edges cannot push an answer past 1%.
  static constexpr double kDefaultRelativeAccuracy = 0.0099;
  static constexpr double kMinIndexable = 1e-3;  // 1 microsecond, in milliseconds

  explicit SketchMapping(double relative_accuracy = kDefaultRelativeAccuracy);

  // REQUIRES: value >= kMinIndexable and finite.
  int32_t Index(double value) const {
    return static_cast<int32_t>(std::ceil(std::log(value) * multiplier_));
  }
  // The value reported for bin `index`.
  double Value(int32_t index) const { return std::exp(index / multiplier_) * value_factor_; }
  double relative_accuracy() const { return relative_accuracy_; }

  // A process-wide mapping with the default accuracy.
  static const SketchMapping& Default();

 private:
  double relative_accuracy_;
  double multiplier_;    // 1 / ln(gamma)
  double value_factor_;  // 2 / (1 + gamma)
};

// A contiguous range of bins [offset, offset + width) that grows in chunks and never exceeds
// `max_bins`; past that the lowest bins collapse into one, so accuracy is lost only at the
// bottom of the distribution (DDSketch's "collapsing lowest" store).
struct BinRange {
  int32_t offset = 0;
  int32_t width = 0;

  bool Contains(int32_t index) const { return index >= offset && index < offset + width; }
  bool operator==(const BinRange&) const = default;
  int32_t Clamp(int32_t index) const {
    return index < offset ? offset : (index >= offset + width ? offset + width - 1 : index);
  }
  // The range to grow to so that `index` fits (or, at the cap, is clamped into the lowest bin).
  // Bins above `used_high` are known to be empty and may be dropped to make room below, so a
  // sliding sketch re-centres once its high values have expired; INT32_MIN: nothing is used.
  // REQUIRES: !Contains(index), max_bins >= 1.
  BinRange GrownFor(int32_t index, int32_t max_bins, int32_t used_high = INT32_MAX) const;
};

}  // namespace vitals::core
