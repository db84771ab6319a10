#include "core/sliding_sketch.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <limits>

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
      end_us_(o.end_us_),
      total_(o.total_),
      range_(o.range_) {
  if (o.headers_) {
    headers_ = std::make_unique<SlotHeader[]>(ring_size());
    std::copy_n(o.headers_.get(), ring_size(), headers_.get());
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
  headers_.reset();
  bins_.reset();
  range_ = BinRange{};
  total_ = 0;
}

void SlidingSketch::ClearSlot(size_t pos) {
  total_ -= headers_[pos].count;
  headers_[pos] = SlotHeader{};
  if (bins_) std::memset(Row(pos), 0, sizeof(uint32_t) * static_cast<size_t>(range_.width));
}

void SlidingSketch::AdvanceTo(Timestamp now) {
  end_us_ = std::max(end_us_, ToMicros(now));
  const int64_t target = SlotIndex(now);
  if (target <= head_) return;
  if (!headers_ || target - head_ >= ring_size()) {
    head_ = target;
    Release();
    return;
  }
  for (int64_t s = head_ + 1; s <= target; ++s) ClearSlot(RingPos(s));
  head_ = target;
  if (total_ == 0) Release();
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

bool SlidingSketch::Add(Timestamp t, double value) {
  const int64_t slot = SlotIndex(t);
  if (slot > head_) AdvanceTo(t);
  if (slot <= head_ - ring_size()) return false;
  if (!headers_) headers_ = std::make_unique<SlotHeader[]>(ring_size());
  const size_t pos = RingPos(slot);
  SaturatingInc(headers_[pos].count);
  ++total_;
  if (value < SketchMapping::kMinIndexable) {
    SaturatingInc(headers_[pos].zero);
    return true;
  }
  const int32_t index = mapping_->Index(value);
  if (!range_.Contains(index)) Reshape(range_.GrownFor(index, max_bins_));
  SaturatingInc(Row(pos)[range_.Clamp(index) - range_.offset]);
  return true;
}

double SlidingSketch::OldestWeight() const {
  // The window is (end - length, end]; the oldest ring slot is cut where the head slot is.
  const int64_t into_head = end_us_ - head_ * slot_width_.count();
  const double w = 1.0 - static_cast<double>(into_head) / static_cast<double>(slot_width_.count());
  return std::clamp(w, 0.0, 1.0);
}

double SlidingSketch::WeightedCount() const {
  if (!headers_) return 0;
  const size_t oldest = RingPos(head_ + 1);
  return static_cast<double>(total_) - (1.0 - OldestWeight()) * headers_[oldest].count;
}

bool SlidingSketch::Quantiles(std::span<const double> qs, std::span<double> out) const {
  const double n = WeightedCount();
  if (!headers_ || n <= 0) return false;
  const size_t oldest = RingPos(head_ + 1);
  const double drop = 1.0 - OldestWeight();
  const size_t rows = static_cast<size_t>(ring_size());

  double zero = 0;
  for (size_t r = 0; r < rows; ++r) zero += headers_[r].zero;
  zero -= drop * headers_[oldest].zero;

  // Per-bin weighted totals across slots; width is at most max_bins (a few hundred).
  const size_t width = static_cast<size_t>(range_.width);
  double stack_sums[512];
  std::unique_ptr<double[]> heap_sums;
  double* sums = stack_sums;
  if (width > std::size(stack_sums)) {
    heap_sums = std::make_unique<double[]>(width);
    sums = heap_sums.get();
  }
  std::fill_n(sums, width, 0.0);
  if (bins_) {
    for (size_t r = 0; r < rows; ++r) {
      const uint32_t* row = Row(r);
      const double w = r == oldest ? 1.0 - drop : 1.0;
      for (size_t i = 0; i < width; ++i) sums[i] += w * row[i];
    }
  }
  for (size_t k = 0; k < qs.size(); ++k) {
    const double rank = std::clamp(qs[k], 0.0, 1.0) * std::max(0.0, n - 1);
    double seen = zero;
    double answer = 0;
    if (seen <= rank && width > 0) {
      answer = mapping_->Value(range_.offset + range_.width - 1);
      for (size_t i = 0; i < width; ++i) {
        seen += sums[i];
        if (seen > rank) {
          answer = mapping_->Value(range_.offset + static_cast<int32_t>(i));
          break;
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
  if (headers_) bytes += sizeof(SlotHeader) * ring_size();
  if (bins_) bytes += sizeof(uint32_t) * ring_size() * static_cast<size_t>(range_.width);
  return bytes;
}

}  // namespace vitals::core
