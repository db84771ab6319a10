#include "core/heartbeat_tracker.h"

#include <algorithm>
#include <cmath>

namespace vitals::core {

std::string_view HeartbeatStateName(HeartbeatState state) {
  switch (state) {
    case HeartbeatState::kHealthy:
      return "healthy";
    case HeartbeatState::kDegraded:
      return "degraded";
    case HeartbeatState::kCritical:
      return "critical";
    case HeartbeatState::kFailed:
      return "failed";
  }
  return "healthy";
}

std::string_view HeartbeatModeName(HeartbeatMode mode) {
  return mode == HeartbeatMode::kAdaptive ? "adaptive" : "fixed";
}

std::optional<HeartbeatMode> ParseHeartbeatMode(std::string_view name) {
  if (name == "fixed") return HeartbeatMode::kFixed;
  if (name == "adaptive") return HeartbeatMode::kAdaptive;
  return std::nullopt;
}

HeartbeatTracker::HeartbeatTracker(HeartbeatConfig config, Timestamp since, Duration pause_total)
    : config_(config),
      detector_(config.phi, config.interval),
      baseline_(since),
      pause_at_baseline_(pause_total) {}

void HeartbeatTracker::Record(Timestamp received_at, Timestamp reported_at,
                              std::string metadata_json, Duration pause_total) {
  // An interval that spans a monitor pause says nothing about the agent: leave it out.
  if (last_received_ && received_at > *last_received_ && pause_total == pause_at_baseline_) {
    const Duration interval = received_at - *last_received_;
    const double ms = ToMillisF(interval);
    ++interval_count_;
    const double delta = ms - interval_mean_;
    interval_mean_ += delta / static_cast<double>(interval_count_);
    interval_m2_ += delta * (ms - interval_mean_);
    interval_min_ = interval_count_ == 1 ? ms : std::min(interval_min_, ms);
    interval_max_ = interval_count_ == 1 ? ms : std::max(interval_max_, ms);
    detector_.AddInterval(interval);
  }
  if (!last_received_ || received_at >= *last_received_) {
    last_received_ = received_at;
    baseline_ = received_at;
    pause_at_baseline_ = pause_total;
  }
  ++total_;
  const auto cap = static_cast<size_t>(std::max(config_.history_size, 0));
  if (cap == 0) return;
  HeartbeatRecord rec{reported_at, received_at, std::move(metadata_json)};
  if (history_.size() < cap) {
    history_.push_back(std::move(rec));
  } else {
    history_[history_next_] = std::move(rec);
    history_next_ = (history_next_ + 1) % history_.size();
  }
}

void HeartbeatTracker::RestoreLast(Timestamp received_at, Duration pause_total, Duration downtime) {
  last_received_ = received_at;
  baseline_ = received_at + downtime;
  pause_at_baseline_ = pause_total;
}

Duration HeartbeatTracker::Elapsed(Timestamp now, Duration pause_total) const {
  const Duration raw = now - baseline_;
  const Duration paused = pause_total - pause_at_baseline_;
  return std::max(Duration(0), raw - paused);
}

HeartbeatState HeartbeatTracker::StateForElapsed(Duration elapsed) const {
  if (config_.mode == HeartbeatMode::kAdaptive) {
    const double phi = detector_.Phi(elapsed);
    const double t = config_.phi.threshold;
    if (phi >= t) return HeartbeatState::kFailed;
    if (phi >= t * 2 / 3) return HeartbeatState::kCritical;
    if (phi >= t / 3) return HeartbeatState::kDegraded;
    return HeartbeatState::kHealthy;
  }
  const Duration i = config_.interval;
  if (elapsed > i * config_.failure_threshold) return HeartbeatState::kFailed;
  if (elapsed >= i * 2) return HeartbeatState::kCritical;
  if (elapsed >= i) return HeartbeatState::kDegraded;
  return HeartbeatState::kHealthy;
}

HeartbeatState HeartbeatTracker::StateAt(Timestamp now, Duration pause_total) const {
  return StateForElapsed(Elapsed(now, pause_total));
}

double HeartbeatTracker::Phi(Timestamp now, Duration pause_total) const {
  return detector_.Phi(Elapsed(now, pause_total));
}

std::optional<Timestamp> HeartbeatTracker::NextChange(Timestamp now, Duration pause_total) const {
  const Duration elapsed = Elapsed(now, pause_total);
  if (StateForElapsed(elapsed) == HeartbeatState::kFailed) return std::nullopt;
  Duration boundaries[3];
  if (config_.mode == HeartbeatMode::kAdaptive) {
    const double t = config_.phi.threshold;
    boundaries[0] = detector_.ElapsedForPhi(t / 3);
    boundaries[1] = detector_.ElapsedForPhi(t * 2 / 3);
    boundaries[2] = detector_.ElapsedForPhi(t);
  } else {
    boundaries[0] = config_.interval;
    boundaries[1] = config_.interval * 2;
    boundaries[2] = config_.interval * config_.failure_threshold + Duration(1);
  }
  std::optional<Duration> next;
  for (Duration b : boundaries) {
    if (b > elapsed && (!next || b < *next)) next = b;
  }
  if (!next) return std::nullopt;
  return now + (*next - elapsed);
}

std::vector<HeartbeatRecord> HeartbeatTracker::History(std::optional<Timestamp> from,
                                                       std::optional<Timestamp> to) const {
  std::vector<HeartbeatRecord> out;
  const size_t n = history_.size();
  const size_t start = history_next_;  // 0 until the ring is full
  for (size_t k = 0; k < n; ++k) {
    const HeartbeatRecord& r = history_[(start + k) % n];
    if ((from && r.timestamp < *from) || (to && r.timestamp > *to)) continue;
    out.push_back(r);
  }
  return out;
}

IntervalStats HeartbeatTracker::Intervals() const {
  IntervalStats s;
  s.count = interval_count_;
  if (interval_count_ == 0) return s;
  s.mean_ms = interval_mean_;
  s.stddev_ms = std::sqrt(interval_m2_ / static_cast<double>(interval_count_));
  s.min_ms = interval_min_;
  s.max_ms = interval_max_;
  return s;
}

void HeartbeatTracker::Reconfigure(const HeartbeatConfig& config) {
  if (config.phi != config_.phi) detector_ = PhiAccrualDetector(config.phi, config.interval);
  std::vector<HeartbeatRecord> kept = History();  // oldest first, so the ring restarts at 0
  config_ = config;
  const auto cap = static_cast<size_t>(std::max(config_.history_size, 0));
  if (kept.size() > cap) kept.erase(kept.begin(), kept.end() - static_cast<std::ptrdiff_t>(cap));
  history_ = std::move(kept);
  history_next_ = 0;
}

void HeartbeatTracker::Encode(BinaryWriter& w) const {
  w.I64(ToMicros(baseline_));
  w.I64(pause_at_baseline_.count());
  w.Bool(last_received_.has_value());
  if (last_received_) w.I64(ToMicros(*last_received_));
  w.U64(total_);
  w.I64(interval_count_);
  w.F64(interval_mean_);
  w.F64(interval_m2_);
  w.F64(interval_min_);
  w.F64(interval_max_);
  detector_.Encode(w);
  const std::vector<HeartbeatRecord> history = History();
  w.U64(history.size());
  for (const HeartbeatRecord& h : history) {
    w.I64(ToMicros(h.timestamp));
    w.I64(ToMicros(h.received_at));
    w.Str(h.metadata_json);
  }
}

bool HeartbeatTracker::Decode(BinaryReader& r, Duration downtime, Duration pause_total) {
  const Timestamp baseline = FromMicros(r.I64());
  (void)r.I64();  // the old process's pause accounting: meaningless in this one
  std::optional<Timestamp> last;
  if (r.Bool()) last = FromMicros(r.I64());
  total_ = r.U64();
  interval_count_ = r.I64();
  interval_mean_ = r.F64();
  interval_m2_ = r.F64();
  interval_min_ = r.F64();
  interval_max_ = r.F64();
  if (!r.ok() || !detector_.Decode(r)) return false;
  const uint64_t n = r.Count(3);
  std::vector<HeartbeatRecord> history;
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    HeartbeatRecord h;
    h.timestamp = FromMicros(r.I64());
    h.received_at = FromMicros(r.I64());
    h.metadata_json = r.Str();
    history.push_back(std::move(h));
  }
  if (!r.ok()) return false;
  const auto cap = static_cast<size_t>(std::max(config_.history_size, 0));
  if (history.size() > cap)
    history.erase(history.begin(), history.end() - static_cast<std::ptrdiff_t>(cap));
  history_ = std::move(history);
  history_next_ = 0;
  baseline_ = baseline + downtime;
  pause_at_baseline_ = pause_total;
  last_received_ = last;
  return true;
}

size_t HeartbeatTracker::MemoryUsage() const {
  size_t bytes = sizeof(*this) + history_.capacity() * sizeof(HeartbeatRecord) +
                 static_cast<size_t>(detector_.samples()) * sizeof(float);
  for (const HeartbeatRecord& r : history_) bytes += r.metadata_json.capacity();
  return bytes;
}

}  // namespace vitals::core
