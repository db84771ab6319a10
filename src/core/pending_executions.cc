#include "core/pending_executions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

namespace vitals::core {
namespace {

constexpr int16_t kZeroBin16 = std::numeric_limits<int16_t>::min();

int16_t Narrow(int32_t bin) {
  if (bin == SlidingSketch::kZeroBin) return kZeroBin16;
  // The mapping's bins for 1 us .. a week of latency span about -350..1100.
  return static_cast<int16_t>(std::clamp<int32_t>(bin, -32000, 32000));
}

}  // namespace

bool PendingExecutions::Add(int64_t t_us, int64_t bucket_width_us, bool success, double latency_ms,
                            double cost_usd, int64_t tokens, int32_t bin) {
  if (count_ == 0) {
    const int64_t r = t_us % bucket_width_us;
    start_us_ = t_us - (r < 0 ? r + bucket_width_us : r);
  }
  bins_[count_] = Narrow(bin);
  ++count_;
  failures_ += success ? 0 : 1;
  latency_us_ += static_cast<uint64_t>(latency_ms * 1000.0 + 0.5);  // >= 0: validated
  cost_usd_ += cost_usd;
  tokens_ += static_cast<uint64_t>(std::max<int64_t>(tokens, 0));
  return count_ == kMaxBins;
}

void PendingExecutions::FlushInto(RollingWindow& short_window, RollingWindow& long_window,
                                  SlidingSketch& short_latency, SlidingSketch& long_latency) {
  if (count_ == 0) return;
  const Timestamp t = FromMicros(start_us_);
  short_window.AddMany(t, count_, failures_, latency_us_, cost_usd_, tokens_);
  long_window.AddMany(t, count_, failures_, latency_us_, cost_usd_, tokens_);
  int32_t bins[kMaxBins];
  for (uint32_t i = 0; i < count_; ++i) {
    bins[i] = bins_[i] == kZeroBin16 ? SlidingSketch::kZeroBin : bins_[i];
  }
  short_latency.AddBins(t, std::span<const int32_t>(bins, count_));
  long_latency.AddBins(t, std::span<const int32_t>(bins, count_));
  *this = PendingExecutions{};
}

}  // namespace vitals::core
