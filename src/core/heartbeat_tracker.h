// HeartbeatTracker: one agent's heartbeat liveness, seed 004's states plus an adaptive mode.
//
// Fixed mode (seed 004): with interval I and failure threshold T, the time since the last
// heartbeat (or since monitoring began) gives HEALTHY below I, DEGRADED from I, CRITICAL from 2I,
// FAILED beyond T*I ("> failure threshold"). Adaptive mode: the same four states from the phi
// accrual detector over observed inter-arrival times — DEGRADED at phi >= threshold/3, CRITICAL
// at 2*threshold/3, FAILED at threshold. Either way the next heartbeat restores HEALTHY.
//
// Time is measured net of monitor pauses (see PauseGuard): callers pass the guard's running total
// and the tracker subtracts what accrued since the last heartbeat.
//
// Not thread-safe: the owning AgentState serialises access.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/phi_accrual_detector.h"
#include "core/time.h"

namespace vitals::core {

enum class HeartbeatState { kHealthy, kDegraded, kCritical, kFailed };
enum class HeartbeatMode { kFixed, kAdaptive };

std::string_view HeartbeatStateName(HeartbeatState state);  // "healthy", ... "failed"
std::string_view HeartbeatModeName(HeartbeatMode mode);     // "fixed", "adaptive"
std::optional<HeartbeatMode> ParseHeartbeatMode(std::string_view name);

struct HeartbeatConfig {
  Duration interval = std::chrono::seconds(5);  // seed 004's default, 5000 ms
  int failure_threshold = 3;                    // missed intervals before FAILED
  HeartbeatMode mode = HeartbeatMode::kFixed;
  PhiAccrualOptions phi;
  int history_size = 100;
  bool operator==(const HeartbeatConfig&) const = default;
};

struct HeartbeatRecord {
  Timestamp timestamp;    // as reported by the agent (or received_at when it sent none)
  Timestamp received_at;  // by the monitor's clock
  std::string metadata_json;
};

struct IntervalStats {
  int64_t count = 0;  // intervals observed since monitoring began
  double mean_ms = 0;
  double stddev_ms = 0;
  double min_ms = 0;
  double max_ms = 0;
};

class HeartbeatTracker {
 public:
  // Monitoring starts at `since`: an agent that never sends a heartbeat fails like one that
  // stopped.
  HeartbeatTracker(HeartbeatConfig config, Timestamp since, Duration pause_total);

  void Record(Timestamp received_at, Timestamp reported_at, std::string metadata_json,
              Duration pause_total);
  // Restores the last heartbeat after a restart (no interval sample, no history entry); silence
  // is counted from received_at + downtime (the monitor's absence is not the agent's fault).
  void RestoreLast(Timestamp received_at, Duration pause_total, Duration downtime = Duration(0));

  // Time since the last heartbeat net of monitor pauses; never negative.
  Duration Elapsed(Timestamp now, Duration pause_total) const;
  HeartbeatState StateAt(Timestamp now, Duration pause_total) const;
  double Phi(Timestamp now, Duration pause_total) const;
  // The earliest time after `now` at which StateAt() may change if no heartbeat arrives;
  // nullopt once FAILED.
  std::optional<Timestamp> NextChange(Timestamp now, Duration pause_total) const;

  // History entries with from <= timestamp <= to (either bound optional), oldest first.
  std::vector<HeartbeatRecord> History(std::optional<Timestamp> from = std::nullopt,
                                       std::optional<Timestamp> to = std::nullopt) const;
  IntervalStats Intervals() const;
  uint64_t total_heartbeats() const { return total_; }
  std::optional<Timestamp> last_heartbeat() const { return last_received_; }
  const HeartbeatConfig& config() const { return config_; }
  // Applies new settings; keeps history (trimmed) and timing.
  void Reconfigure(const HeartbeatConfig& config);
  size_t MemoryUsage() const;

  // Checkpoint support: timing, samples and history (the configuration comes from settings).
  void Encode(BinaryWriter& w) const;
  // Restores, shifting the last heartbeat by `downtime` (the monitor's own absence counts as a
  // pause, not as the agent's silence) and rebasing pause accounting on `pause_total`.
  bool Decode(BinaryReader& r, Duration downtime, Duration pause_total);

 private:
  HeartbeatState StateForElapsed(Duration elapsed) const;

  HeartbeatConfig config_;
  PhiAccrualDetector detector_;
  Timestamp baseline_;          // last heartbeat received, or when monitoring began
  Duration pause_at_baseline_;  // PauseGuard total at baseline_
  std::optional<Timestamp> last_received_;
  uint64_t total_ = 0;
  // Observed intervals since monitoring began (Welford), for distribution stats.
  int64_t interval_count_ = 0;
  double interval_mean_ = 0;
  double interval_m2_ = 0;
  double interval_min_ = 0;
  double interval_max_ = 0;
  std::vector<HeartbeatRecord> history_;  // ring, at most config_.history_size
  size_t history_next_ = 0;
};

}  // namespace vitals::core
