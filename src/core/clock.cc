#include "core/clock.h"

namespace vitals::core {

Timestamp SystemClock::Now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

const SystemClock* SystemClock::Instance() {
  static const SystemClock* const kClock = new SystemClock();
  return kClock;
}

}  // namespace vitals::core
