#include "core/pause_guard.h"

namespace vitals::core {

std::optional<Duration> PauseGuard::Observe(Timestamp now, bool held) {
  std::optional<Duration> pause;
  if (last_tick_ && now > *last_tick_) {
    const Duration gap = now - *last_tick_;
    if (held) {
      pause = gap;
      total_ += gap;
    } else if (gap > tick_interval_ + tolerance_) {
      pause = gap - tick_interval_;
      total_ += *pause;
    }
  }
  if (!last_tick_ || now > *last_tick_) last_tick_ = now;
  return pause;
}

}  // namespace vitals::core
