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
  const int64_t target = BucketIndex(now);
  if (target <= head_) return;
  if (!ring_ || target - head_ >= ring_size()) {
    head_ = target;
    ring_.reset();  // everything expired: an idle window holds no storage
    totals_ = Totals{};
    return;
  }
  for (int64_t i = head_ + 1; i <= target; ++i) Expire(At(i));
  head_ = target;
  if (totals_.total == 0) {
    ring_.reset();
    totals_ = Totals{};
  }
}

bool RollingWindow::Add(Timestamp t, bool success, double latency_ms, double cost_usd,
                        int64_t tokens) {
  const int64_t index = BucketIndex(t);
  if (index > head_) AdvanceTo(t);
  if (index <= head_ - ring_size()) return false;
  if (!ring_) ring_ = std::make_unique<Bucket[]>(ring_size());
  Bucket& b = At(index);
  const auto latency_us = static_cast<uint64_t>(std::llround(latency_ms * 1000.0));
  const auto tok = static_cast<uint64_t>(std::max<int64_t>(tokens, 0));
  b.total += 1;
  b.failure += success ? 0 : 1;
  b.latency_us += latency_us;
  b.cost_usd += cost_usd;
  b.tokens += tok;
  totals_.total += 1;
  totals_.failure += success ? 0 : 1;
  totals_.latency_us += latency_us;
  totals_.cost_usd += cost_usd;
  totals_.tokens += tok;
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

size_t RollingWindow::MemoryUsage() const {
  return sizeof(*this) + (ring_ ? sizeof(Bucket) * ring_size() : 0);
}

}  // namespace vitals::core
