#include "core/sketch_mapping.h"

#include <algorithm>

namespace vitals::core {
namespace {
constexpr int32_t kChunk = 32;  // bins added per growth step, so growth reallocates rarely
}

SketchMapping::SketchMapping(double relative_accuracy)
    : relative_accuracy_(relative_accuracy),
      multiplier_(1.0 / std::log((1 + relative_accuracy) / (1 - relative_accuracy))),
      value_factor_(2.0 / (1 + (1 + relative_accuracy) / (1 - relative_accuracy))) {}

const SketchMapping& SketchMapping::Default() {
  static const SketchMapping kMapping;
  return kMapping;
}

BinRange BinRange::GrownFor(int32_t index, int32_t max_bins, int32_t used_high) const {
  if (width == 0 || used_high == INT32_MIN) {
    const int32_t w = std::min(kChunk, max_bins);
    return {index - w / 2, w};
  }
  const int32_t high = offset + width - 1;
  if (index < offset) {
    const int32_t top = std::min(used_high, high);
    if (top - index + 1 > max_bins) {
      return {top - max_bins + 1, max_bins};  // too wide: index is clamped into the lowest bin
    }
    const int32_t low = std::max(index - kChunk / 2, top - max_bins + 1);
    const int32_t new_high = std::min(high, low + max_bins - 1);  // keeps empty top bins if room
    return {low, new_high - low + 1};
  }
  int32_t new_high = index + kChunk / 2;
  if (new_high - offset + 1 > max_bins) new_high = std::max(index, offset + max_bins - 1);
  const int32_t low = std::max(offset, new_high - max_bins + 1);
  return {low, new_high - low + 1};
}

}  // namespace vitals::core
