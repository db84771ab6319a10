// PendingExecutions: executions counted since the last flush, all inside one short-window bucket.
//
// Ingest adds to this small block, which sits beside the agent's key, instead of touching four
// windows and sketches spread over a dozen cache lines per event; a flush moves the group into
// them at once. Because every bucket and slot width is a multiple of the short bucket width
// (WindowConfig::Validate) and all are epoch-aligned, a group inside one short bucket lies inside
// one bucket or slot of each structure, so flushing at the group's bucket start loses nothing.
//
// Not thread-safe.
#pragma once

#include <cstdint>

#include "core/rolling_window.h"
#include "core/sliding_sketch.h"

namespace vitals::core {

class PendingExecutions {
 public:
  static constexpr int kMaxBins = 64;

  bool empty() const { return count_ == 0; }
  // Whether an execution at `t_us` belongs to the pending group's bucket (any does when empty).
  bool Accepts(int64_t t_us, int64_t bucket_width_us) const {
    return count_ == 0 || (t_us >= start_us_ && t_us - start_us_ < bucket_width_us);
  }
  // Adds one execution. REQUIRES: Accepts(t_us, bucket_width_us). Returns true when full.
  bool Add(int64_t t_us, int64_t bucket_width_us, bool success, double latency_ms, double cost_usd,
           int64_t tokens, int32_t bin);
  // Hints the CPU to fetch the line the next Add writes its bin to.
  void PrefetchNextBin() const { __builtin_prefetch(&bins_[count_ % kMaxBins], 1); }
  // Where the per-event fields end and the bin array begins (for AgentState::PrefetchHot).
  const void* bins_begin() const { return bins_; }
  // Moves the group into the windows and sketches and empties it.
  void FlushInto(RollingWindow& short_window, RollingWindow& long_window,
                 SlidingSketch& short_latency, SlidingSketch& long_latency);

 private:
  int64_t start_us_ = 0;  // the group's bucket start
  uint32_t count_ = 0;
  uint32_t failures_ = 0;
  uint64_t latency_us_ = 0;
  double cost_usd_ = 0;
  uint64_t tokens_ = 0;
  int16_t bins_[kMaxBins];  // latency bins; kZeroBin16 for values below the sketch's minimum
};

}  // namespace vitals::core
