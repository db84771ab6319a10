#include "core/agent_state.h"

#include <algorithm>
#include <cstdio>

namespace vitals::core {

ExecutionSample ExecutionSample::Of(const ExecutionEvent& ev, int64_t log_id) {
  ExecutionSample s;
  s.timestamp = ev.timestamp;
  s.latency_ms = ev.latency_ms;
  s.cost_usd = ev.cost_usd;
  s.tokens = ev.token_count.value_or(0);
  s.success = ev.IsSuccess();
  s.execution_id = ev.execution_id;
  s.error_message = ev.error_message;
  s.log_id = log_id;
  return s;
}
namespace {

// Liveness caps the score: the worst verdict among executions, heartbeats and stuck runs wins.
constexpr double kDegradedCap = 79;
constexpr double kCriticalCap = 49;
constexpr double kFailedCap = 0;

std::string Secs(Duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", ToSecondsF(d));
  return buf;
}

void Cap(HealthSnapshot& h, double cap, std::string issue) {
  h.score = std::min(h.score, cap);
  h.issues.push_back(std::move(issue));
}

}  // namespace

std::string_view AgentAlertTypeName(AgentAlertType type) {
  switch (type) {
    case AgentAlertType::kHealth:
      return "health";
    case AgentAlertType::kHeartbeat:
      return "heartbeat";
    case AgentAlertType::kStuckExecution:
      return "stuck_execution";
    case AgentAlertType::kSloBurn:
      return "slo_burn";
    case AgentAlertType::kErrorRate:
      return "error_rate";
    case AgentAlertType::kLowConfidence:
      return "low_confidence";
    case AgentAlertType::kFailures:
      return "failures";
    case AgentAlertType::kCheckFailed:
      return "check_failed";
  }
  return "health";
}

std::optional<AgentAlertType> ParseAgentAlertType(std::string_view name) {
  for (int i = 0; i < kAgentAlertTypeCount; ++i) {
    const auto t = static_cast<AgentAlertType>(i);
    if (AgentAlertTypeName(t) == name) return t;
  }
  return std::nullopt;
}

AgentState::AgentState(std::string organization_id, std::string agent_id,
                       std::shared_ptr<const AgentSettings> settings, const WindowConfig& w,
                       Timestamp created_at, Duration pause_total)
    : organization_id_(std::move(organization_id)),
      agent_id_(std::move(agent_id)),
      short_window_(w.short_length, w.short_buckets),
      long_window_(w.long_length, w.long_buckets),
      // The short window's p95 is read by every evaluation: it keeps a merged row (see
      // SlidingSketch). The long one is read only by views and stuck deadlines.
      short_latency_(w.short_length, w.short_sketch_slots, w.sketch_max_bins,
                     SketchMapping::Default(), /*merged_row=*/true),
      long_latency_(w.long_length, w.long_sketch_slots, w.sketch_max_bins),
      settings_(std::move(settings)),
      created_at_(created_at) {
  if (settings_->heartbeat) {
    heartbeat_ = std::make_unique<HeartbeatTracker>(*settings_->heartbeat, created_at, pause_total);
  }
}

void AgentState::SetSettings(std::shared_ptr<const AgentSettings> settings, Timestamp now,
                             Duration pause_total) {
  const bool expected_heartbeats = settings_->heartbeat.has_value();
  settings_ = std::move(settings);
  rule_memo_.fill(kNoMemo);  // the display name in messages may have changed
  if (!settings_->heartbeat) {
    // Removing the expectation removes its verdict: the tracker goes, so the next evaluation
    // has no heartbeat state and resolves the heartbeat alert. An agent that never had one
    // configured keeps the tracker its own heartbeats created (default settings).
    if (expected_heartbeats && heartbeat_) {
      heartbeat_.reset();
      heartbeat_removed_us_ = ToMicros(now);
    }
    return;
  }
  if (heartbeat_) {
    heartbeat_->Reconfigure(*settings_->heartbeat);
  } else {
    heartbeat_ = std::make_unique<HeartbeatTracker>(*settings_->heartbeat, now, pause_total);
  }
}

void AgentState::AdvanceTo(Timestamp now) {
  pending_.FlushInto(short_window_, long_window_, short_latency_, long_latency_);
  short_window_.AdvanceTo(now);
  long_window_.AdvanceTo(now);
  short_latency_.AdvanceTo(now);
  long_latency_.AdvanceTo(now);
}

void AgentState::RecordExecution(const ExecutionSample& s, Timestamp now) {
  RecordExecution(s, SlidingSketch::BinOf(s.latency_ms, SketchMapping::Default()), now);
}

void AgentState::RecordExecution(const ExecutionSample& s, int32_t latency_bin, Timestamp now) {
  // Windows are moved to `now` (and pending groups flushed) before anything is read from them,
  // so ingest only appends to the pending group.
  const Timestamp t = std::min(s.timestamp, now);
  const int64_t t_us = ToMicros(t);
  const int64_t width = short_window_.bucket_width().count();
  if (!pending_.Accepts(t_us, width)) {
    pending_.FlushInto(short_window_, long_window_, short_latency_, long_latency_);
  }
  if (pending_.Add(t_us, width, s.success, s.latency_ms, s.cost_usd, s.tokens, latency_bin)) {
    pending_.FlushInto(short_window_, long_window_, short_latency_, long_latency_);
  }

  ++operations_completed_;
  log_.RaiseFloor(s.log_floor);
  if (s.log_id > 0) log_.Add(s.log_id);
  if (!s.execution_id.empty()) in_flight_.Finish(s.execution_id);
  if (s.success && t_us > last_success_us_) last_success_us_ = t_us;
  if (t_us > last_active_us_) last_active_us_ = t_us;
  if (t_us < last_event_us_) return;  // out of order: history, not the streak
  last_event_us_ = t_us;
  last_failed_ = !s.success;
  if (s.success) {
    consecutive_failures_ = 0;
  } else {
    ++consecutive_failures_;
    last_error_.assign(s.error_message);
  }
}

Status AgentState::StartExecution(std::string_view execution_id, std::string_view action,
                                  Timestamp started_at, int max_in_flight) {
  if (Status s = in_flight_.Start(execution_id, action, started_at, max_in_flight); !s.ok()) {
    return s;
  }
  last_active_us_ = std::max(last_active_us_, ToMicros(started_at));
  return Status::Ok();
}

void AgentState::RecordHeartbeat(Timestamp received_at, Timestamp reported_at,
                                 std::string metadata_json, Duration pause_total,
                                 const HeartbeatConfig& default_config) {
  if (!heartbeat_) {
    heartbeat_ = std::make_unique<HeartbeatTracker>(settings_->heartbeat.value_or(default_config),
                                                    received_at, pause_total);
  }
  heartbeat_->Record(received_at, reported_at, std::move(metadata_json), pause_total);
}

Duration AgentState::StuckDeadline(const StuckPolicy& policy) const {
  if (settings_->stuck_after) return *settings_->stuck_after;
  if (long_window_.Stats().total < policy.min_samples) return policy.default_deadline;
  const std::optional<double> p99 = long_latency_.Quantile(0.99);
  if (!p99) return policy.default_deadline;
  // Latencies are bounded by validation, not a corrupt checkpoint's sketch: a year at most.
  constexpr double kMaxDeadlineMs = 365.0 * 24 * 3600 * 1000;
  return std::max(policy.min_deadline,
                  Millis(std::min(*p99 * policy.latency_multiple, kMaxDeadlineMs)));
}

void AgentState::ApplyLiveness(HealthSnapshot& h, Timestamp now, Duration pause_total,
                               std::optional<Duration> stuck_deadline) const {
  const bool known = h.status != HealthStatus::kUnknown;
  if (!known) h.score = 100;
  bool liveness_known = false;
  if (heartbeat_) {
    liveness_known = true;
    const HeartbeatState state = heartbeat_->StateAt(now, pause_total);
    if (state != HeartbeatState::kHealthy) {
      const std::string since = "no heartbeat for " + Secs(heartbeat_->Elapsed(now, pause_total)) +
                                " (interval " + Secs(heartbeat_->config().interval) + ")";
      if (state == HeartbeatState::kDegraded) Cap(h, kDegradedCap, "Degraded: " + since);
      if (state == HeartbeatState::kCritical) Cap(h, kCriticalCap, "Critical: " + since);
      if (state == HeartbeatState::kFailed)
        Cap(h, kFailedCap, "Critical: heartbeat lost, " + since);
    }
  }
  for (const FailingCheck& f : failing_checks_) {
    liveness_known = true;
    Cap(h, kCriticalCap, "active check " + f.check_id + " is failing: " + f.detail);
  }
  if (stuck_deadline) {
    if (const int n = in_flight_.CountStartedBy(now - *stuck_deadline); n > 0) {
      liveness_known = true;
      Cap(h, kDegradedCap,
          "Degraded: " + std::to_string(n) + " stuck execution" + (n == 1 ? "" : "s") +
              " (running longer than " + Secs(*stuck_deadline) + ")");
    }
  }
  if (known || liveness_known) {
    h.status = HealthCalculator::StatusForScore(h.score);
  } else {
    h.score = 0;
  }
}

void AgentState::PrefetchForEvaluate(int stage) const {
  if (stage == 0) {
    const char* p = reinterpret_cast<const char*>(this);
    for (size_t off = 0; off < sizeof(*this); off += 64) __builtin_prefetch(p + off, 1);
    return;
  }
  short_window_.PrefetchNext();
  long_window_.PrefetchNext();
  short_latency_.PrefetchTail();
  if (heartbeat_) __builtin_prefetch(heartbeat_.get());
}

AgentEvaluation AgentState::Evaluate(Timestamp now, Duration pause_total,
                                     const EvaluationPolicy& policy,
                                     const AlertSlot::IdFactory& next_id) {
  AdvanceTo(now);
  std::optional<Duration> stuck_deadline;
  if (in_flight_.size() > 0) {
    in_flight_.DropStartedBefore(now - policy.stuck.abandon_after);
    stuck_deadline = StuckDeadline(policy.stuck);
  }

  HealthInputs in;
  in.stats_5min = short_window_.Stats();
  in.stats_1hr = long_window_.Stats();
  in.latency_p95_ms = short_latency_.Quantile(0.95);
  in.consecutive_failures = consecutive_failures_;
  in.last_success_at = Opt(last_success_us_);

  AgentEvaluation out;
  out.health = HealthCalculator(settings_->thresholds).Calculate(in, now);
  ApplyLiveness(out.health, now, pause_total, stuck_deadline);
  if (out.health.status != HealthStatus::kUnknown) {
    trend_.Record(now, out.health.score, policy.trend_spacing);
  }

  // The first known verdict sets the baseline: an agent registered before its first data is
  // unknown until then, and unknown -> healthy is no transition (README, seed 000).
  if (last_status_ || out.health.status != HealthStatus::kUnknown) {
    out.previous_status = last_status_;
    out.transition = DetectTransition(last_status_, out.health.status);
    last_status_ = out.health.status;
  }
  last_health_ = out.health;

  if (!settings_->paused) {
    EvaluateAlerts(out.health, now, pause_total, stuck_deadline, policy, next_id,
                   out.alert_changes);
  } else {
    ResolveAlertsOfPause(now, policy, next_id, out.alert_changes);
  }

  if (heartbeat_) out.next_deadline = heartbeat_->NextChange(now, pause_total);
  if (stuck_deadline) {
    if (auto start = in_flight_.EarliestStartAfter(now - *stuck_deadline)) {
      const Timestamp stuck_at = *start + *stuck_deadline;
      if (!out.next_deadline || stuck_at < *out.next_deadline) out.next_deadline = stuck_at;
    }
  }
  return out;
}

const std::string& AgentState::DisplayName() const {
  return settings_->name.empty() ? agent_id_ : settings_->name;
}

void AgentState::EvaluateAlerts(const HealthSnapshot& h, Timestamp now, Duration pause_total,
                                std::optional<Duration> stuck_deadline,
                                const EvaluationPolicy& policy, const AlertSlot::IdFactory& next_id,
                                std::vector<AlertChange>& out) {
  // Messages are built only for active conditions: most evaluations of most agents raise nothing.
  auto run = [&](AgentAlertType type, const AlertCondition& c) {
    if (auto change = RunSlot(type, c, now, policy, next_id)) out.push_back(std::move(*change));
  };
  const std::string& name = DisplayName();

  AlertCondition health;
  health.active = h.status == HealthStatus::kDegraded || h.status == HealthStatus::kCritical;
  if (health.active) {
    health.severity =
        h.status == HealthStatus::kCritical ? AlertSeverity::kCritical : AlertSeverity::kWarning;
    char score[16];
    std::snprintf(score, sizeof score, "%.0f", h.score);
    health.message = "Agent " + name + " is " + std::string(HealthStatusName(h.status)) +
                     " (score " + score + ")";
    for (size_t i = 0; i < h.issues.size(); ++i) health.message += (i ? "; " : ": ") + h.issues[i];
  }
  run(AgentAlertType::kHealth, health);

  AlertCondition beat;
  if (heartbeat_) {
    const HeartbeatState state = heartbeat_->StateAt(now, pause_total);
    beat.active = state == HeartbeatState::kCritical || state == HeartbeatState::kFailed;
    if (beat.active) {
      beat.severity =
          state == HeartbeatState::kFailed ? AlertSeverity::kCritical : AlertSeverity::kWarning;
      beat.message = "Agent " + name + " heartbeat " + std::string(HeartbeatStateName(state)) +
                     ": none for " + Secs(heartbeat_->Elapsed(now, pause_total));
    }
  }
  run(AgentAlertType::kHeartbeat, beat);

  AlertCondition stuck;
  if (stuck_deadline) {
    const int n = in_flight_.CountStartedBy(now - *stuck_deadline);
    stuck.active = n > 0;
    if (stuck.active) {
      stuck.message = "Agent " + name + " has " + std::to_string(n) + " execution" +
                      (n == 1 ? "" : "s") + " running longer than " + Secs(*stuck_deadline);
    }
  }
  run(AgentAlertType::kStuckExecution, stuck);

  AlertCondition slo;
  const BurnRate burn =
      EvaluateBurnRate(short_window_.Stats(), long_window_.Stats(), settings_->slo);
  slo.active = burn.firing;
  slo.severity = AlertSeverity::kCritical;
  if (burn.firing) {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  " is burning its error budget at %.1fx (1h) and %.1fx (5m); objective %.2f%%",
                  *burn.long_window, *burn.short_window, settings_->slo.objective * 100);
    slo.message = "Agent " + name + buf;
  }
  run(AgentAlertType::kSloBurn, slo);

  AlertCondition check;
  check.active = !failing_checks_.empty();
  check.severity = AlertSeverity::kCritical;
  if (check.active) {
    check.message = "Agent " + name + ": active check";
    for (size_t i = 0; i < failing_checks_.size(); ++i) {
      check.message += (i ? "; " : " ") + failing_checks_[i].check_id +
                       " is failing: " + failing_checks_[i].detail;
    }
  }
  run(AgentAlertType::kCheckFailed, check);

  EvaluateSeedRules(policy.rules, now, policy, next_id, out);
}

AgentView AgentState::View(Timestamp now, Duration pause_total, const EvaluationPolicy& policy) {
  AdvanceTo(now);

  AgentView v;
  v.organization_id = organization_id_;
  v.agent_id = agent_id_;
  v.settings = *settings_;
  v.created_at = created_at_;
  v.health = last_health_;
  v.short_window = short_window_.Stats();
  v.long_window = long_window_.Stats();
  const double qs[] = {0.5, 0.95, 0.99};
  double out[3];
  if (short_latency_.Quantiles(qs, out)) v.short_latency = {out[0], out[1], out[2]};
  if (long_latency_.Quantiles(qs, out)) v.long_latency = {out[0], out[1], out[2]};
  v.burn_rate = EvaluateBurnRate(v.short_window, v.long_window, settings_->slo);

  v.activity = Activity();
  if (const InFlightExecution* newest = in_flight_.Newest()) v.current_operation = newest->action;
  v.operations_completed = operations_completed_;
  v.last_active = Opt(last_active_us_);
  v.last_error = last_error_;
  v.trend = trend_.Trend();
  v.confidence = ConfidenceScore(v.long_window.total, heartbeat_ != nullptr, trend_.StdDev());

  if (heartbeat_) {
    HeartbeatView hb;
    hb.state = heartbeat_->StateAt(now, pause_total);
    hb.mode = heartbeat_->config().mode;
    hb.interval = heartbeat_->config().interval;
    hb.failure_threshold = heartbeat_->config().failure_threshold;
    hb.last_heartbeat = heartbeat_->last_heartbeat();
    hb.elapsed = heartbeat_->Elapsed(now, pause_total);
    hb.phi = heartbeat_->Phi(now, pause_total);
    hb.total = heartbeat_->total_heartbeats();
    hb.intervals = heartbeat_->Intervals();
    v.heartbeat = hb;
  }
  v.in_flight = in_flight_.All();
  v.stuck_deadline = StuckDeadline(policy.stuck);
  v.stuck_executions = in_flight_.CountStartedBy(now - v.stuck_deadline);
  for (const AlertSlot& slot : alerts_) {
    if (slot.open_alert()) v.open_alerts.push_back(*slot.open_alert());
  }
  return v;
}

ActivityStatus AgentState::Activity() const {
  if (settings_->paused) return ActivityStatus::kPaused;
  if (in_flight_.size() > 0) return ActivityStatus::kActive;
  if (last_failed_) return ActivityStatus::kError;
  return ActivityStatus::kIdle;
}

size_t AgentState::MemoryUsage() const {
  size_t bytes =
      sizeof(*this) + organization_id_.capacity() + agent_id_.capacity() + last_error_.capacity();
  bytes += short_window_.MemoryUsage() + long_window_.MemoryUsage() - 2 * sizeof(RollingWindow);
  bytes += short_latency_.MemoryUsage() + long_latency_.MemoryUsage() - 2 * sizeof(SlidingSketch);
  bytes += in_flight_.MemoryUsage() - sizeof(InFlightExecutions);
  bytes += log_.MemoryUsage();
  for (const FailingCheck& f : failing_checks_) {
    bytes += sizeof(f) + f.check_id.capacity() + f.detail.capacity();
  }
  if (heartbeat_) bytes += heartbeat_->MemoryUsage();
  for (const std::string& issue : last_health_.issues) bytes += sizeof(issue) + issue.capacity();
  for (const AlertSlot& slot : alerts_) {
    if (slot.open_alert()) bytes += sizeof(Alert) + slot.open_alert()->message.capacity();
  }
  return bytes;
}

}  // namespace vitals::core
