// PauseGuard: notices when the monitor itself stopped running (process suspended, VM paused,
// machine overloaded, wall clock jumped forward) so that no agent is convicted for time during
// which nobody was listening.
//
// The engine calls Observe() every tick. A gap between two ticks longer than expected + tolerance
// is a pause; its excess is added to total(). Liveness checks subtract the pause time accrued
// since an agent's last heartbeat from the time elapsed since it (see HeartbeatTracker), so a
// pause neither convicts nor un-convicts anyone. This is Cassandra's "local pause" guard, made
// exact instead of skipping a round.
//
// Not thread-safe: one ticking thread observes; readers get total() through the engine's lock.
#pragma once

#include <optional>

#include "core/time.h"

namespace vitals::core {

class PauseGuard {
 public:
  PauseGuard(Duration tick_interval, Duration tolerance)
      : tick_interval_(tick_interval), tolerance_(tolerance) {}

  // Records a tick at `now`; returns the pause detected since the previous tick, if any.
  // `held`: the whole time since the previous tick is a pause — the monitor is running but
  // knows it cannot hear its agents (a cluster node cut off from its peers), so their silence
  // meanwhile is not held against them either.
  std::optional<Duration> Observe(Timestamp now, bool held = false);
  // All pause time detected so far.
  Duration total() const { return total_; }

 private:
  Duration tick_interval_;
  Duration tolerance_;
  std::optional<Timestamp> last_tick_;
  Duration total_{0};
};

}  // namespace vitals::core
