// RollingWindow: counts and sums of executions over the last `length`, sliding continuously.
//
// Time is cut into `buckets` buckets of length/buckets each, aligned to the epoch; the window
// holds the bucket containing "now" plus the `buckets` before it, so it always covers at least
// `length` and at most one bucket more. Totals are kept incrementally (added on Add, subtracted
// when a bucket expires), so Stats() is O(1) and memory is fixed whatever the event rate. Storage
// is allocated on the first sample and released when the window empties, so an idle agent holds
// none.
//
// Not thread-safe: the owner (one AgentState) serialises access.
#pragma once

#include <cstdint>
#include <memory>

#include "core/binary_codec.h"
#include "core/time.h"
#include "core/window_stats.h"

namespace vitals::core {

class RollingWindow {
 public:
  // REQUIRES: length > 0, buckets >= 1, length divisible by buckets.
  RollingWindow(Duration length, int buckets);
  RollingWindow(const RollingWindow& other);
  RollingWindow& operator=(const RollingWindow& other);
  RollingWindow(RollingWindow&&) noexcept = default;
  RollingWindow& operator=(RollingWindow&&) noexcept = default;
  ~RollingWindow() = default;

  // Moves the window's end to `now`, expiring buckets that fell out. A `now` earlier than the
  // window's end (a clock that went backwards) changes nothing.
  void AdvanceTo(Timestamp now);

  // Counts one execution at time `t`. A `t` after the window's end moves the end there first
  // (callers clamp future-dated events to now); a `t` before the window's start is not counted
  // and false is returned.
  bool Add(Timestamp t, bool success, double latency_ms, double cost_usd, int64_t tokens);
  // Counts `count` executions at time `t` at once, with their sums.
  bool AddMany(Timestamp t, uint32_t count, uint32_t failures, uint64_t latency_us, double cost_usd,
               uint64_t tokens);

  // Hints the CPU to fetch the buckets the next AdvanceTo is likely to expire.
  void PrefetchNext() const {
    if (ring_) __builtin_prefetch(&ring_[(head_pos_ + 1) % static_cast<size_t>(ring_size())], 1);
  }

  WindowStats Stats() const;
  Duration length() const { return bucket_width_ * buckets_; }
  Duration bucket_width() const { return bucket_width_; }
  // Bytes held, including this object.
  size_t MemoryUsage() const;

  // Checkpoint support: the window's contents (not its shape, which comes from configuration).
  void Encode(BinaryWriter& w) const;
  // False when the input is corrupt; the window is then empty.
  bool Decode(BinaryReader& r);

 private:
  struct Bucket {
    uint32_t total = 0;
    uint32_t failure = 0;
    uint64_t latency_us = 0;
    double cost_usd = 0;
    uint64_t tokens = 0;
  };
  struct Totals {
    uint64_t total = 0;
    uint64_t failure = 0;
    uint64_t latency_us = 0;
    double cost_usd = 0;
    uint64_t tokens = 0;
  };

  int64_t BucketIndex(Timestamp t) const { return ToMicros(t) / bucket_width_.count(); }
  int ring_size() const { return buckets_ + 1; }
  Bucket& At(int64_t index) {
    const int64_t n = ring_size();
    return ring_[static_cast<size_t>(((index % n) + n) % n)];
  }
  void Expire(Bucket& b);

  Duration bucket_width_;
  int buckets_;
  int64_t head_ = INT64_MIN;   // index of the newest bucket; INT64_MIN before any time was seen
  int64_t head_start_us_ = 0;  // start of the newest bucket: times inside it need no division
  size_t head_pos_ = 0;        // its position in ring_
  Totals totals_;
  std::unique_ptr<Bucket[]> ring_;
};

}  // namespace vitals::core
