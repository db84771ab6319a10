// SlidingSketch: latency quantiles over a sliding time window with fixed memory.
//
// The window is cut into `slots` slots of length/slots; a ring holds one more, the oldest, which
// is only partly inside the window. Each slot counts its values in DDSketch bins; all slots share
// one bin range (at most `max_bins` wide, collapsing the lowest bins past that). A quantile sums
// the slots, weighting the oldest by the fraction of it still inside the window, so the answer
// slides continuously instead of jumping a whole slot at a time. Storage is allocated on the first
// value and released once the window is empty.
//
// Memory: (slots + 1) * (max_bins + 1) * 4 bytes at most, whatever the event rate.
// Not thread-safe: the owner serialises access.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "core/sketch_mapping.h"
#include "core/time.h"

namespace vitals::core {

class SlidingSketch {
 public:
  static constexpr int32_t kDefaultMaxBins = 256;  // covers a 160x spread at 1% accuracy

  // REQUIRES: slots >= 1, length divisible by slots.
  SlidingSketch(Duration length, int slots, int32_t max_bins = kDefaultMaxBins,
                const SketchMapping& mapping = SketchMapping::Default());
  SlidingSketch(const SlidingSketch& other);
  SlidingSketch& operator=(const SlidingSketch& other);
  SlidingSketch(SlidingSketch&&) noexcept = default;
  SlidingSketch& operator=(SlidingSketch&&) noexcept = default;
  ~SlidingSketch() = default;

  // Moves the window's end to `now`. Earlier times (a clock that went backwards) change nothing.
  void AdvanceTo(Timestamp now);
  // Adds a value at time `t`; a `t` after the window's end moves the end there first, a `t`
  // before its start is dropped (returns false). REQUIRES: value >= 0 and finite.
  bool Add(Timestamp t, double value) { return AddBin(t, BinOf(value, *mapping_)); }
  // The same with the bin computed once by the caller (BinOf), for several sketches sharing a
  // mapping. The log in BinOf is the costliest step of an add.
  bool AddBin(Timestamp t, int32_t bin);
  // Adds several values, all at time `t`, resolving the slot and the bin range once.
  bool AddBins(Timestamp t, std::span<const int32_t> bins);
  static constexpr int32_t kZeroBin = INT32_MIN;
  static int32_t BinOf(double value, const SketchMapping& mapping) {
    return value < SketchMapping::kMinIndexable ? kZeroBin : mapping.Index(value);
  }

  // Quantiles `qs` (each in [0,1]) in one pass, written to `out`; false when the window is empty.
  // REQUIRES: out.size() >= qs.size().
  bool Quantiles(std::span<const double> qs, std::span<double> out) const;
  std::optional<double> Quantile(double q) const;
  // Number of values in the window, the oldest slot weighted as above.
  double WeightedCount() const;

  size_t MemoryUsage() const;

 private:
  int ring_size() const { return slots_ + 1; }
  int64_t SlotIndex(Timestamp t) const { return ToMicros(t) / slot_width_.count(); }
  size_t RingPos(int64_t slot) const {
    const int64_t n = ring_size();
    return static_cast<size_t>(((slot % n) + n) % n);
  }
  uint32_t* Row(size_t pos) const { return bins_.get() + pos * static_cast<size_t>(range_.width); }
  uint64_t SlotCount(size_t pos) const;
  void ClearSlot(size_t pos);
  void Allocate();
  void Reshape(const BinRange& range);
  void Release();
  double OldestWeight() const;

  const SketchMapping* mapping_;
  Duration slot_width_;
  int slots_;
  int32_t max_bins_;
  int64_t head_ = INT64_MIN;   // newest slot index
  int64_t head_start_us_ = 0;  // start of the newest slot: adds inside it need no division
  size_t head_pos_ = 0;        // RingPos(head_)
  int64_t end_us_ = 0;         // the window's end, for the oldest slot's weight
  uint64_t total_ = 0;         // values in all ring slots
  BinRange range_;
  std::unique_ptr<uint32_t[]> zero_;  // per slot: values below SketchMapping::kMinIndexable
  std::unique_ptr<uint32_t[]> bins_;  // ring_size() rows of range_.width counts
};

}  // namespace vitals::core
