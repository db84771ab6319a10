// LatencySketch: a mergeable quantile sketch with relative-error guarantees (DDSketch-style
// logarithmic bins). Memory is bounded by `max_bins`, independent of how many values are added.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/sketch_mapping.h"

namespace vitals::core {

class LatencySketch {
 public:
  static constexpr int32_t kDefaultMaxBins = 2048;

  explicit LatencySketch(int32_t max_bins = kDefaultMaxBins,
                         const SketchMapping& mapping = SketchMapping::Default());

  // REQUIRES: value >= 0 and finite.
  void Add(double value, uint64_t count = 1);
  // Adds every value of `other`. REQUIRES: same mapping.
  void Merge(const LatencySketch& other);

  // The q-quantile (0 <= q <= 1) as the value at rank floor(q*(n-1)) of the sorted input, within
  // the mapping's relative accuracy (bins collapsed at the cap lose it at the bottom only).
  // nullopt when empty.
  std::optional<double> Quantile(double q) const;

  uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  size_t MemoryUsage() const { return sizeof(*this) + bins_.capacity() * sizeof(uint64_t); }

 private:
  void AddToBin(int32_t index, uint64_t count);

  const SketchMapping* mapping_;
  int32_t max_bins_;
  BinRange range_;
  std::vector<uint64_t> bins_;  // bins_[i] counts bin range_.offset + i
  uint64_t zero_count_ = 0;
  uint64_t count_ = 0;
};

}  // namespace vitals::core
