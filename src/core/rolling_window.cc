#include "core/rolling_window.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace vitals::core {

RollingWindow::RollingWindow(Duration length, int buckets)
    : bucket_width_(length / buckets), buckets_(buckets) {
  assert(buckets >= 1 && length.count() > 0 && length.count() % buckets == 0);
}

RollingWindow::RollingWindow(const RollingWindow& other)
    : bucket_width_(other.bucket_width_),
      buckets_(other.buckets_),
      head_(other.head_),
      head_start_us_(other.head_start_us_),
      head_pos_(other.head_pos_),
      totals_(other.totals_) {
  if (other.ring_) {
    ring_ = std::make_unique<Bucket[]>(ring_size());
    std::copy_n(other.ring_.get(), ring_size(), ring_.get());
  }
}

RollingWindow& RollingWindow::operator=(const RollingWindow& other) {
  if (this != &other) *this = RollingWindow(other);
  return *this;
}

void RollingWindow::Expire(Bucket& b) {
  totals_.total -= b.total;
  totals_.failure -= b.failure;
  totals_.latency_us -= b.latency_us;
  totals_.cost_usd -= b.cost_usd;
  totals_.tokens -= b.tokens;
  b = Bucket{};
}

void RollingWindow::AdvanceTo(Timestamp now) {
  if (ToMicros(now) < head_start_us_ + bucket_width_.count() && head_ != INT64_MIN) return;
  const int64_t target = BucketIndex(now);
  if (target <= head_) return;
  const bool all_expired = !ring_ || target - head_ >= ring_size();
  if (!all_expired) {
    for (int64_t i = head_ + 1; i <= target; ++i) Expire(At(i));
  }
  head_ = target;
  head_start_us_ = target * bucket_width_.count();
  const int64_t n = ring_size();
  head_pos_ = static_cast<size_t>(((target % n) + n) % n);
  if (all_expired || totals_.total == 0) {
    ring_.reset();  // an idle window holds no storage
    totals_ = Totals{};
  }
}

bool RollingWindow::Add(Timestamp t, bool success, double latency_ms, double cost_usd,
                        int64_t tokens) {
  return AddMany(t, 1, success ? 0 : 1, static_cast<uint64_t>(std::llround(latency_ms * 1000.0)),
                 cost_usd, static_cast<uint64_t>(std::max<int64_t>(tokens, 0)));
}

bool RollingWindow::AddMany(Timestamp t, uint32_t count, uint32_t failures, uint64_t latency_us,
                            double cost_usd, uint64_t tokens) {
  const int64_t t_us = ToMicros(t);
  Bucket* slot;
  if (t_us >= head_start_us_ && t_us < head_start_us_ + bucket_width_.count() &&
      head_ != INT64_MIN) {
    if (!ring_) ring_ = std::make_unique<Bucket[]>(ring_size());
    slot = &ring_[head_pos_];  // the common case: the newest bucket, no division
  } else {
    const int64_t index = BucketIndex(t);
    if (index > head_) AdvanceTo(t);
    if (index <= head_ - ring_size()) return false;
    if (!ring_) ring_ = std::make_unique<Bucket[]>(ring_size());
    slot = &At(index);
  }
  Bucket& b = *slot;
  b.total += count;
  b.failure += failures;
  b.latency_us += latency_us;
  b.cost_usd += cost_usd;
  b.tokens += tokens;
  totals_.total += count;
  totals_.failure += failures;
  totals_.latency_us += latency_us;
  totals_.cost_usd += cost_usd;
  totals_.tokens += tokens;
  return true;
}

WindowStats RollingWindow::Stats() const {
  WindowStats s;
  s.total = static_cast<int64_t>(totals_.total);
  s.failure = static_cast<int64_t>(totals_.failure);
  s.success = s.total - s.failure;
  s.latency_sum_ms = static_cast<double>(totals_.latency_us) / 1000.0;
  s.cost_usd = std::max(0.0, totals_.cost_usd);  // float subtraction may leave -1e-18
  s.tokens = static_cast<int64_t>(totals_.tokens);
  return s;
}

void RollingWindow::Encode(BinaryWriter& w) const {
  w.I64(head_);
  w.Bool(ring_ != nullptr);
  if (!ring_) return;
  for (int i = 0; i < ring_size(); ++i) {
    const Bucket& b = ring_[static_cast<size_t>(i)];
    w.U64(b.total);
    w.U64(b.failure);
    w.U64(b.latency_us);
    w.F64(b.cost_usd);
    w.U64(b.tokens);
  }
}

bool RollingWindow::Decode(BinaryReader& r) {
  *this = RollingWindow(bucket_width_ * buckets_, buckets_);
  const int64_t head = r.I64();
  const bool has_ring = r.Bool();
  if (!r.ok()) return false;
  // Bucket indexes of real times are far from the bounds; others would overflow into times.
  const int64_t bound = INT64_MAX / 4 / bucket_width_.count();
  if (head != INT64_MIN && (head > bound || head < -bound)) return false;
  if (head != INT64_MIN) {
    head_ = head;
    head_start_us_ = head * bucket_width_.count();
    const int64_t n = ring_size();
    head_pos_ = static_cast<size_t>(((head % n) + n) % n);
  }
  if (!has_ring) return true;
  ring_ = std::make_unique<Bucket[]>(ring_size());
  for (int i = 0; i < ring_size(); ++i) {
    Bucket& b = ring_[static_cast<size_t>(i)];
    b.total = static_cast<uint32_t>(r.U64());
    b.failure = static_cast<uint32_t>(r.U64());
    b.latency_us = r.U64();
    b.cost_usd = r.F64();
    b.tokens = r.U64();
    totals_.total += b.total;
    totals_.failure += b.failure;
    totals_.latency_us += b.latency_us;
    totals_.cost_usd += b.cost_usd;
    totals_.tokens += b.tokens;
  }
  if (!r.ok()) *this = RollingWindow(bucket_width_ * buckets_, buckets_);
  return r.ok();
}

size_t RollingWindow::MemoryUsage() const {
  return sizeof(*this) + (ring_ ? sizeof(Bucket) * ring_size() : 0);
}

}  // namespace vitals::core
