// SlidingSketch: latency quantiles over a sliding time window with fixed memory.
//
// The window is cut into `slots` slots of length/slots; a ring holds one more, the oldest, which
// is only partly inside the window. Each slot counts its values in DDSketch bins; all slots share
// one bin range (at most `max_bins` wide, collapsing the lowest bins past that). A quantile sums
// the slots, weighting the oldest by the fraction of it still inside the window, so the answer
// slides continuously instead of jumping a whole slot at a time. Storage is allocated on the first
// value and released once the window is empty.
//
// Memory: (slots + 1 [+ 1 merged]) * max_bins * 4 bytes plus 12 per slot at most, whatever the
// event rate.
// Not thread-safe: the owner serialises access.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "core/binary_codec.h"
#include "core/sketch_mapping.h"
#include "core/time.h"

namespace vitals::core {

class SlidingSketch {
 public:
  static constexpr int32_t kDefaultMaxBins = 224;  // covers an 85x spread at 1% accuracy

  // REQUIRES: slots >= 1, length divisible by slots. With `merged_row`, one more row holds the sum
  // of all slots, so a quantile reads two rows (the sum, less part of the oldest slot) instead of
  // every slot: more memory, much less to read per query.
  SlidingSketch(Duration length, int slots, int32_t max_bins = kDefaultMaxBins,
                const SketchMapping& mapping = SketchMapping::Default(), bool merged_row = false);
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
  // Hints the CPU to fetch what a high quantile reads: slot counts and the top of every row.
  // Reads this object's fields: call once they are cached.
  void PrefetchTail() const;
  // Number of values in the window, the oldest slot weighted as above.
  double WeightedCount() const;

  size_t MemoryUsage() const;

  // Checkpoint support: contents only; the shape comes from configuration.
  void Encode(BinaryWriter& w) const;
  // False when the input is corrupt (or of another shape); the sketch is then empty.
  bool Decode(BinaryReader& r);

 private:
  int ring_size() const { return slots_ + 1; }
  int stored_rows() const { return ring_size() + (merged_row_ ? 1 : 0); }
  uint32_t* Merged() const { return Row(static_cast<size_t>(ring_size())); }
  int64_t SlotIndex(Timestamp t) const { return ToMicros(t) / slot_width_.count(); }
  size_t RingPos(int64_t slot) const {
    const int64_t n = ring_size();
    return static_cast<size_t>(((slot % n) + n) % n);
  }
  uint32_t* Row(size_t pos) const { return bins_.get() + pos * static_cast<size_t>(range_.width); }
  uint64_t SlotCount(size_t pos) const { return count_of(pos); }
  uint32_t& zero_of(size_t pos) const { return zero_[pos]; }
  uint32_t& count_of(size_t pos) const { return zero_[static_cast<size_t>(ring_size()) + pos]; }
  uint32_t& top_of(size_t pos) const { return zero_[2 * static_cast<size_t>(ring_size()) + pos]; }
  void NoteTop(size_t pos, int32_t bin) const {
    const uint32_t biased = static_cast<uint32_t>(bin) + 0x80000000u;
    if (biased > top_of(pos)) top_of(pos) = biased;
  }
  void ClearSlot(size_t pos);
  void Allocate();
  void Reshape(const BinRange& range);
  void Release();
  double OldestWeight() const;

  const SketchMapping* mapping_;
  Duration slot_width_;
  int slots_;
  int32_t max_bins_;
  bool merged_row_;
  int64_t head_ = INT64_MIN;   // newest slot index
  int64_t head_start_us_ = 0;  // start of the newest slot: adds inside it need no division
  size_t head_pos_ = 0;        // RingPos(head_)
  int64_t end_us_ = 0;         // the window's end, for the oldest slot's weight
  uint64_t total_ = 0;         // values in all ring slots
  BinRange range_;
  int32_t scan_top_ = INT32_MIN;  // max of the slots' highest bins: where high quantiles start
  // Per slot, side by side: [0, ring) values below SketchMapping::kMinIndexable, [ring, 2 ring)
  // all values, [2 ring, 3 ring) the highest bin used (biased by 2^31; 0: none), where a scan for
  // a high quantile starts. Allocated with the first value.
  std::unique_ptr<uint32_t[]> zero_;
  std::unique_ptr<uint32_t[]> bins_;  // ring_size() rows of range_.width counts
};

}  // namespace vitals::core
