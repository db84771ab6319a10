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
                             const SketchMapping& mapping, bool merged_row)
    : mapping_(&mapping),
      slot_width_(length / slots),
      slots_(slots),
      max_bins_(max_bins),
      merged_row_(merged_row) {
  assert(slots >= 1 && length.count() % slots == 0 && max_bins >= 1);
}

SlidingSketch::SlidingSketch(const SlidingSketch& o)
    : mapping_(o.mapping_),
      slot_width_(o.slot_width_),
      slots_(o.slots_),
      max_bins_(o.max_bins_),
      merged_row_(o.merged_row_),
      head_(o.head_),
      head_start_us_(o.head_start_us_),
      head_pos_(o.head_pos_),
      end_us_(o.end_us_),
      total_(o.total_),
      range_(o.range_),
      scan_top_(o.scan_top_) {
  if (o.zero_) {
    zero_ = std::make_unique<uint32_t[]>(3 * ring_size());
    std::copy_n(o.zero_.get(), 3 * ring_size(), zero_.get());
  }
  if (o.bins_) {
    const size_t n = static_cast<size_t>(stored_rows()) * range_.width;
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
  scan_top_ = INT32_MIN;
}

void SlidingSketch::Allocate() { zero_ = std::make_unique<uint32_t[]>(3 * ring_size()); }

void SlidingSketch::ClearSlot(size_t pos) {
  total_ -= std::min<uint64_t>(total_, count_of(pos));
  zero_of(pos) = 0;
  count_of(pos) = 0;
  const bool was_top = top_of(pos) == static_cast<uint32_t>(scan_top_) + 0x80000000u;
  top_of(pos) = 0;
  if (was_top) {
    uint32_t best = 0;
    for (size_t r = 0; r < static_cast<size_t>(ring_size()); ++r) best = std::max(best, top_of(r));
    scan_top_ = best == 0 ? INT32_MIN : static_cast<int32_t>(best - 0x80000000u);
  }
  if (!bins_) return;
  uint32_t* row = Row(pos);
  if (merged_row_) {
    uint32_t* merged = Merged();
    for (int32_t i = 0; i < range_.width; ++i) merged[i] -= std::min(merged[i], row[i]);
  }
  std::memset(row, 0, sizeof(uint32_t) * static_cast<size_t>(range_.width));
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
  const size_t rows = static_cast<size_t>(stored_rows());
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
  SaturatingInc(count_of(pos));
  if (bin == kZeroBin) {
    SaturatingInc(zero_of(pos));
    return true;
  }
  if (!range_.Contains(bin)) {
    const BinRange grown = range_.GrownFor(bin, max_bins_, scan_top_);
    if (grown != range_) Reshape(grown);  // at the cap the range may stay: bin is clamped
  }
  const int32_t col = range_.Clamp(bin) - range_.offset;
  NoteTop(pos, range_.offset + col);  // where the count is, which differs from bin when clamped
  scan_top_ = std::max(scan_top_, range_.offset + col);
  SaturatingInc(Row(pos)[col]);
  if (merged_row_) SaturatingInc(Merged()[col]);
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
      if (merged_row_) SaturatingInc(Merged()[b - range_.offset]);
      SaturatingInc(count_of(pos));
      NoteTop(pos, b);
      scan_top_ = std::max(scan_top_, b);
      ++total_;
    } else if (b == kZeroBin) {
      SaturatingInc(zero_of(pos));
      SaturatingInc(count_of(pos));
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
         (1.0 - OldestWeight()) * static_cast<double>(count_of(oldest));
}

bool SlidingSketch::Quantiles(std::span<const double> qs, std::span<double> out) const {
  if (!zero_) return false;
  const size_t rows = static_cast<size_t>(ring_size());
  const size_t oldest = RingPos(head_ + 1);
  const double keep = OldestWeight();
  const double n = WeightedCount();
  if (n <= 0) return false;
  double zero = 0;
  for (size_t r = 0; r < rows; ++r) zero += (r == oldest ? keep : 1.0) * zero_of(r);

  // Rows and weights once, outside the bin loops; rows that are empty are skipped entirely.
  constexpr size_t kMaxRows = 64;
  const uint32_t* row_ptr[kMaxRows];
  double row_w[kMaxRows];
  size_t live = 0;
  if (merged_row_ && bins_) {
    // The sum of every slot, less the part of the oldest slot that has left the window.
    row_ptr[live] = Merged();
    row_w[live++] = 1.0;
    if (keep < 1.0 && count_of(oldest) != zero_of(oldest)) {
      row_ptr[live] = Row(oldest);
      row_w[live++] = keep - 1.0;
    }
  } else {
    for (size_t r = 0; r < rows && live < kMaxRows; ++r) {
      const double w = r == oldest ? keep : 1.0;
      if (count_of(r) == zero_of(r) || w == 0 || !bins_) continue;
      row_ptr[live] = Row(r);
      row_w[live++] = w;
    }
  }
  auto bin_total = [&](size_t i) {
    double s = 0;
    for (size_t r = 0; r < live; ++r) s += row_w[r] * row_ptr[r][i];
    return s;
  };
  // Weighted totals of bins [begin, begin + kBlock), rows in the outer loop so the inner one
  // vectorizes.
  constexpr size_t kBlock = 16;
  auto block_totals = [&](size_t begin, double* out) {
    std::fill_n(out, kBlock, 0.0);
    for (size_t r = 0; r < live; ++r) {
      const uint32_t* row = row_ptr[r] + begin;
      const double w = row_w[r];
      for (size_t j = 0; j < kBlock; ++j) out[j] += w * row[j];
    }
  };
  const size_t width = static_cast<size_t>(range_.width);
  // One past the highest bin any slot used.
  const size_t top =
      scan_top_ == INT32_MIN ? 0 : static_cast<size_t>(range_.Clamp(scan_top_) - range_.offset) + 1;

  for (size_t k = 0; k < qs.size(); ++k) {
    const double rank = std::clamp(qs[k], 0.0, 1.0) * std::max(0.0, n - 1);
    double answer = 0;
    if (zero <= rank && width > 0 && live > 0) {
      answer = mapping_->Value(range_.offset);
      if (qs[k] >= 0.5) {
        // High quantiles: walk down from the highest bin in use, a block at a time.
        double above = 0;
        bool found = false;
        for (size_t end = top; end > 0 && !found;) {
          const size_t begin = end >= kBlock ? end - kBlock : 0;
          double totals[kBlock];
          if (begin + kBlock <= width) {
            block_totals(begin, totals);
          } else {
            for (size_t i = begin; i < end; ++i) totals[i - begin] = bin_total(i);
          }
          for (size_t i = end; i-- > begin;) {
            const double here = totals[i - begin];
            if (n - above - here <= rank) {
              answer = mapping_->Value(range_.offset + static_cast<int32_t>(i));
              found = true;
              break;
            }
            above += here;
          }
          end = begin;
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

void SlidingSketch::PrefetchTail() const {
  if (!zero_) return;
  __builtin_prefetch(zero_.get());
  if (!bins_ || scan_top_ == INT32_MIN) return;
  const int32_t top = range_.Clamp(scan_top_) - range_.offset;
  auto fetch = [&](const uint32_t* row) {
    for (int32_t back = 0; back <= 32 && back <= top; back += 16)
      __builtin_prefetch(row + top - back);
  };
  if (merged_row_) {
    fetch(Merged());
    fetch(Row(RingPos(head_ + 1)));
    return;
  }
  for (size_t r = 0; r < static_cast<size_t>(ring_size()); ++r) fetch(Row(r));
}

std::optional<double> SlidingSketch::Quantile(double q) const {
  double out;
  if (!Quantiles(std::span<const double>(&q, 1), std::span<double>(&out, 1))) return std::nullopt;
  return out;
}

void SlidingSketch::Encode(BinaryWriter& w) const {
  w.I64(head_);
  w.I64(end_us_);
  w.Bool(zero_ != nullptr);
  if (!zero_) return;
  w.U64(total_);
  w.I64(scan_top_);
  for (int i = 0; i < 3 * ring_size(); ++i) w.U64(zero_[static_cast<size_t>(i)]);
  w.I64(range_.offset);
  w.I64(range_.width);
  if (!bins_) return;
  const size_t n = static_cast<size_t>(stored_rows()) * static_cast<size_t>(range_.width);
  for (size_t i = 0; i < n; ++i) w.U64(bins_[i]);
}

bool SlidingSketch::Decode(BinaryReader& r) {
  auto fail = [this] {
    const int64_t head = head_;
    Release();
    head_ = head;
    return false;
  };
  Release();
  head_ = r.I64();
  end_us_ = r.I64();
  // Slot indexes of real times are far from the bounds; others would overflow into times.
  if (head_ != INT64_MIN && (head_ > INT64_MAX / 4 / slot_width_.count() ||
                             head_ < -(INT64_MAX / 4 / slot_width_.count()))) {
    head_ = INT64_MIN;
    return false;
  }
  if (head_ != INT64_MIN) {
    head_start_us_ = head_ * slot_width_.count();
    head_pos_ = RingPos(head_);
  }
  if (!r.Bool() || !r.ok()) return r.ok();
  total_ = r.U64();
  scan_top_ = static_cast<int32_t>(r.I64());
  Allocate();
  for (int i = 0; i < 3 * ring_size(); ++i)
    zero_[static_cast<size_t>(i)] = static_cast<uint32_t>(r.U64());
  range_.offset = static_cast<int32_t>(r.I64());
  range_.width = static_cast<int32_t>(r.I64());
  if (!r.ok() || range_.width < 0 || range_.width > max_bins_ || range_.offset < INT32_MIN / 2 ||
      range_.offset > INT32_MAX / 2) {
    return fail();
  }
  if (range_.width == 0) return true;
  const size_t n = static_cast<size_t>(stored_rows()) * static_cast<size_t>(range_.width);
  bins_ = std::make_unique<uint32_t[]>(n);
  for (size_t i = 0; i < n; ++i) bins_[i] = static_cast<uint32_t>(r.U64());
  return r.ok() ? true : fail();
}

size_t SlidingSketch::MemoryUsage() const {
  size_t bytes = sizeof(*this);
  if (zero_) bytes += 3 * sizeof(uint32_t) * ring_size();
  if (bins_) bytes += sizeof(uint32_t) * stored_rows() * static_cast<size_t>(range_.width);
  return bytes;
}

}  // namespace vitals::core
