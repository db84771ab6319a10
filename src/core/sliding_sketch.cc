#include "core/sliding_sketch.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <limits>
#include <span>

namespace vitals::core {
namespace {

void SaturatingInc(uint32_t& v) {
  if (v != std::numeric_limits<uint32_t>::max()) ++v;
}

}  // namespace

SlidingSketch::SlidingSketch(Duration length, int slots, int32_t max_bins,
                             const SketchMapping& mapping)
    : mapping_(&mapping), slot_width_(length / slots), slots_(slots), max_bins_(max_bins) {
  assert(slots >= 1 && length.count() % slots == 0 && max_bins >= 1);
}

SlidingSketch::SlidingSketch(const SlidingSketch& o)
    : mapping_(o.mapping_),
      slot_width_(o.slot_width_),
      slots_(o.slots_),
      max_bins_(o.max_bins_),
      head_(o.head_),
      head_start_us_(o.head_start_us_),
      head_pos_(o.head_pos_),
      end_us_(o.end_us_),
      total_(o.total_),
      range_(o.range_) {
  if (o.zero_) {
    zero_ = std::make_unique<uint32_t[]>(ring_size());
    std::copy_n(o.zero_.get(), ring_size(), zero_.get());
  }
  if (o.bins_) {
    const size_t n = static_cast<size_t>(ring_size()) * range_.width;
    bins_ = std::make_unique<uint32_t[]>(n);
    std::copy_n(o.bins_.get(), n, bins_.get());
  }
}

SlidingSketch& SlidingSketch::operator=(const SlidingSketch& o) {
  if (this != &o) *this = SlidingSketch(o);
  return *this;
}

void SlidingSketch::Release() {
  zero_.reset();
  bins_.reset();
  range_ = BinRange{};
  total_ = 0;
}

void SlidingSketch::Allocate() { zero_ = std::make_unique<uint32_t[]>(ring_size()); }

uint64_t SlidingSketch::SlotCount(size_t pos) const {
  uint64_t n = zero_[pos];
  if (bins_) {
    const uint32_t* row = Row(pos);
    for (int32_t i = 0; i < range_.width; ++i) n += row[i];
  }
  return n;
}

void SlidingSketch::ClearSlot(size_t pos) {
  total_ -= std::min<uint64_t>(total_, SlotCount(pos));
  zero_[pos] = 0;
  if (bins_) std::memset(Row(pos), 0, sizeof(uint32_t) * static_cast<size_t>(range_.width));
}

void SlidingSketch::AdvanceTo(Timestamp now) {
  const int64_t now_us = ToMicros(now);
  end_us_ = std::max(end_us_, now_us);
  if (now_us < head_start_us_ + slot_width_.count() && head_ != INT64_MIN) return;
  const int64_t target = SlotIndex(now);
  if (target <= head_) return;
  const bool all_expired = !zero_ || target - head_ >= ring_size();
  if (!all_expired) {
    for (int64_t s = head_ + 1; s <= target; ++s) ClearSlot(RingPos(s));
  }
  head_ = target;
  head_start_us_ = target * slot_width_.count();
  head_pos_ = RingPos(target);
  if (all_expired || total_ == 0) Release();
}

void SlidingSketch::Reshape(const BinRange& range) {
  const size_t rows = static_cast<size_t>(ring_size());
  auto bins = std::make_unique<uint32_t[]>(rows * static_cast<size_t>(range.width));
  if (bins_) {
    for (size_t r = 0; r < rows; ++r) {
      const uint32_t* old_row = Row(r);
      uint32_t* new_row = bins.get() + r * static_cast<size_t>(range.width);
      for (int32_t i = 0; i < range_.width; ++i) {
        uint32_t& dst = new_row[range.Clamp(range_.offset + i) - range.offset];
        const uint64_t sum = uint64_t{dst} + old_row[i];
        dst = static_cast<uint32_t>(std::min<uint64_t>(sum, std::numeric_limits<uint32_t>::max()));
      }
    }
  }
  bins_ = std::move(bins);
  range_ = range;
}

bool SlidingSketch::AddBin(Timestamp t, int32_t bin) {
  const int64_t t_us = ToMicros(t);
  size_t pos;
  if (t_us >= head_start_us_ && t_us < head_start_us_ + slot_width_.count() && head_ != INT64_MIN) {
    pos = head_pos_;  // the common case: inside the newest slot, no division
  } else {
    const int64_t slot = SlotIndex(t);
    if (slot > head_) AdvanceTo(t);
    if (slot <= head_ - ring_size()) return false;
    pos = RingPos(slot);
  }
  if (!zero_) Allocate();
  ++total_;
  if (bin == kZeroBin) {
    SaturatingInc(zero_[pos]);
    return true;
  }
  if (!range_.Contains(bin)) Reshape(range_.GrownFor(bin, max_bins_));
  SaturatingInc(Row(pos)[range_.Clamp(bin) - range_.offset]);
  return true;
}

bool SlidingSketch::AddBins(Timestamp t, std::span<const int32_t> bins) {
  if (bins.empty()) return true;
  if (!AddBin(t, bins[0])) return false;  // resolves (and if needed advances to) t's slot
  const size_t pos = ToMicros(t) >= head_start_us_ ? head_pos_ : RingPos(SlotIndex(t));
  for (size_t i = 1; i < bins.size(); ++i) {
    const int32_t b = bins[i];
    if (b != kZeroBin && range_.Contains(b)) {
      SaturatingInc(Row(pos)[b - range_.offset]);
      ++total_;
    } else if (b == kZeroBin) {
      SaturatingInc(zero_[pos]);
      ++total_;
    } else {
      AddBin(t, b);  // grows the range
    }
  }
  return true;
}

double SlidingSketch::OldestWeight() const {
  // The window is (end - length, end]; the oldest ring slot is cut where the head slot is.
  const int64_t into_head = end_us_ - head_start_us_;
  const double w = 1.0 - static_cast<double>(into_head) / static_cast<double>(slot_width_.count());
  return std::clamp(w, 0.0, 1.0);
}

double SlidingSketch::WeightedCount() const {
  if (!zero_) return 0;
  const size_t oldest = RingPos(head_ + 1);
  return static_cast<double>(total_) -
         (1.0 - OldestWeight()) * static_cast<double>(SlotCount(oldest));
}

bool SlidingSketch::Quantiles(std::span<const double> qs, std::span<double> out) const {
  if (!zero_) return false;
  const size_t rows = static_cast<size_t>(ring_size());
  const size_t oldest = RingPos(head_ + 1);
  const double keep = OldestWeight();
  const size_t width = static_cast<size_t>(range_.width);
  auto row_weight = [&](size_t r) { return r == oldest ? keep : 1.0; };

  double zero = 0;
  for (size_t r = 0; r < rows; ++r) zero += row_weight(r) * zero_[r];
  const double n = WeightedCount();
  if (n <= 0) return false;
  auto bin_total = [&](size_t i) {
    double s = 0;
    for (size_t r = 0; r < rows; ++r) s += row_weight(r) * Row(r)[i];
    return s;
  };

  for (size_t k = 0; k < qs.size(); ++k) {
    const double rank = std::clamp(qs[k], 0.0, 1.0) * std::max(0.0, n - 1);
    double answer = 0;
    if (zero <= rank && width > 0) {
      answer = mapping_->Value(range_.offset);
      if (qs[k] >= 0.5) {
        // High quantiles: walk down from the top, touching only the tail's bins.
        double above = 0;  // values in bins above i
        for (size_t i = width; i-- > 0;) {
          const double here = bin_total(i);
          if (n - above - here <= rank) {
            answer = mapping_->Value(range_.offset + static_cast<int32_t>(i));
            break;
          }
          above += here;
        }
      } else {
        double seen = zero;
        for (size_t i = 0; i < width; ++i) {
          seen += bin_total(i);
          if (seen > rank) {
            answer = mapping_->Value(range_.offset + static_cast<int32_t>(i));
            break;
          }
        }
      }
    }
    out[k] = answer;
  }
  return true;
}

std::optional<double> SlidingSketch::Quantile(double q) const {
  double out;
  if (!Quantiles(std::span<const double>(&q, 1), std::span<double>(&out, 1))) return std::nullopt;
  return out;
}

size_t SlidingSketch::MemoryUsage() const {
  size_t bytes = sizeof(*this);
  if (zero_) bytes += sizeof(uint32_t) * ring_size();
  if (bins_) bytes += sizeof(uint32_t) * ring_size() * static_cast<size_t>(range_.width);
  return bytes;
}

}  // namespace vitals::core
