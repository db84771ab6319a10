// Clock: the one source of "now" for the core and the engine, injected so tests control time.
#pragma once

#include <atomic>

#include "core/time.h"

namespace vitals::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time. Thread-safe. May jump backwards (NTP); callers tolerate that.
  virtual Timestamp Now() const = 0;
};

// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
  // A process-wide instance; never destroyed.
  static const SystemClock* Instance();
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start = FromMicros(1'767'225'600'000'000))  // 2026-01-01T00:00:00Z
      : now_us_(ToMicros(start)) {}
  Timestamp Now() const override { return FromMicros(now_us_.load(std::memory_order_acquire)); }
  void Set(Timestamp t) { now_us_.store(ToMicros(t), std::memory_order_release); }
  void Advance(Duration d) { now_us_.fetch_add(d.count(), std::memory_order_acq_rel); }

 private:
  std::atomic<int64_t> now_us_;
};

}  // namespace vitals::core
