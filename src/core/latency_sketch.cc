#include "core/latency_sketch.h"

#include <algorithm>
#include <cmath>

namespace vitals::core {

LatencySketch::LatencySketch(int32_t max_bins, const SketchMapping& mapping)
    : mapping_(&mapping), max_bins_(max_bins) {}

void LatencySketch::AddToBin(int32_t index, uint64_t count) {
  if (!range_.Contains(index) && range_.GrownFor(index, max_bins_) != range_) {
    const BinRange grown = range_.GrownFor(index, max_bins_);
    std::vector<uint64_t> bins(static_cast<size_t>(grown.width), 0);
    for (int32_t i = 0; i < range_.width; ++i) {
      bins[static_cast<size_t>(grown.Clamp(range_.offset + i) - grown.offset)] += bins_[i];
    }
    bins_.swap(bins);
    range_ = grown;
  }
  bins_[static_cast<size_t>(range_.Clamp(index) - range_.offset)] += count;
}

void LatencySketch::Add(double value, uint64_t count) {
  if (count == 0) return;
  count_ += count;
  if (value < SketchMapping::kMinIndexable) {
    zero_count_ += count;
    return;
  }
  AddToBin(mapping_->Index(value), count);
}

void LatencySketch::Merge(const LatencySketch& other) {
  zero_count_ += other.zero_count_;
  count_ += other.count_;
  for (int32_t i = 0; i < other.range_.width; ++i) {
    if (other.bins_[i] != 0) AddToBin(other.range_.offset + i, other.bins_[i]);
  }
}

std::optional<double> LatencySketch::Quantile(double q) const {
  if (count_ == 0) return std::nullopt;
  q = std::clamp(q, 0.0, 1.0);
  const auto rank = static_cast<uint64_t>(q * static_cast<double>(count_ - 1));
  uint64_t seen = zero_count_;
  if (seen > rank) return 0.0;
  for (int32_t i = 0; i < range_.width; ++i) {
    seen += bins_[i];
    if (seen > rank) return mapping_->Value(range_.offset + i);
  }
  return mapping_->Value(range_.offset + range_.width - 1);
}

}  // namespace vitals::core
