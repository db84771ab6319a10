#include "core/agent_settings.h"

namespace vitals::core {
namespace {

Status Invalid(const std::string& field, const std::string& why) {
  return Status::InvalidArgument(field + ": " + why);
}

}  // namespace

Status WindowConfig::Validate() const {
  const std::pair<const char*, std::pair<Duration, int>> checks[] = {
      {"short_buckets", {short_length, short_buckets}},
      {"short_sketch_slots", {short_length, short_sketch_slots}},
      {"long_buckets", {long_length, long_buckets}},
      {"long_sketch_slots", {long_length, long_sketch_slots}}};
  for (const auto& [name, lc] : checks) {
    const auto& [length, parts] = lc;
    if (length.count() <= 0) return Invalid(name, "window length must be positive");
    if (parts < 1 || parts > 3600) return Invalid(name, "must be between 1 and 3600");
    if (length.count() % parts != 0) return Invalid(name, "must divide the window length evenly");
  }
  if (long_length < short_length) return Invalid("long_length", "must be >= short_length");
  // Ingest groups executions by short bucket (PendingExecutions): every other bucket and slot
  // must be a whole number of short buckets so a group never straddles one of their edges.
  const Duration unit = short_length / short_buckets;
  for (Duration width : {long_length / long_buckets, short_length / short_sketch_slots,
                         long_length / long_sketch_slots}) {
    if (width.count() % unit.count() != 0) {
      return Invalid("windows", "bucket and slot widths must be multiples of the short bucket (" +
                                    std::to_string(unit.count() / 1000) + " ms)");
    }
  }
  if (short_sketch_slots > 60 || long_sketch_slots > 60) {
    return Invalid("sketch_slots", "at most 60 latency slots per window");
  }
  if (sketch_max_bins < 16 || sketch_max_bins > 4096) {
    return Invalid("sketch_max_bins", "must be between 16 and 4096");
  }
  return Status::Ok();
}

Status StuckPolicy::Validate() const {
  if (default_deadline.count() <= 0) return Invalid("stuck.default_deadline", "must be positive");
  if (!(latency_multiple > 0)) return Invalid("stuck.latency_multiple", "must be positive");
  if (min_deadline.count() <= 0) return Invalid("stuck.min_deadline", "must be positive");
  if (abandon_after <= min_deadline) {
    return Invalid("stuck.abandon_after", "must exceed stuck.min_deadline");
  }
  if (max_in_flight < 1) return Invalid("stuck.max_in_flight", "must be >= 1");
  return Status::Ok();
}

Status ValidateThresholds(const HealthThresholds& t) {
  auto in01 = [](double v) { return v >= 0 && v <= 1; };
  if (!in01(t.success_rate_healthy) || !in01(t.success_rate_critical)) {
    return Invalid("thresholds.success_rate", "must be between 0 and 1");
  }
  if (t.success_rate_critical > t.success_rate_healthy) {
    return Invalid("thresholds.success_rate_critical", "must be <= success_rate_healthy");
  }
  if (!(t.latency_p95_healthy_ms > 0) || t.latency_p95_critical_ms < t.latency_p95_healthy_ms) {
    return Invalid("thresholds.latency_p95", "need 0 < healthy <= critical");
  }
  if (t.error_rate_healthy < 0 || t.error_rate_critical < t.error_rate_healthy ||
      t.error_rate_critical > 100) {
    return Invalid("thresholds.error_rate", "need 0 <= healthy <= critical <= 100 (percent)");
  }
  if (t.consecutive_failures_critical < 1) {
    return Invalid("thresholds.consecutive_failures_critical", "must be >= 1");
  }
  return Status::Ok();
}

Status ValidateHeartbeatConfig(const HeartbeatConfig& c) {
  if (c.interval < std::chrono::milliseconds(10) || c.interval > std::chrono::hours(24 * 7)) {
    return Invalid("heartbeat.interval", "must be between 10 ms and 7 days");
  }
  if (c.failure_threshold < 1 || c.failure_threshold > 1000) {
    return Invalid("heartbeat.failure_threshold", "must be between 1 and 1000");
  }
  if (!(c.phi.threshold > 0) || c.phi.threshold > 1000) {
    return Invalid("heartbeat.phi_threshold", "must be between 0 and 1000");
  }
  if (c.phi.min_std_deviation.count() <= 0) {
    return Invalid("heartbeat.min_std_deviation", "must be positive");
  }
  if (c.phi.acceptable_pause.count() < 0) {
    return Invalid("heartbeat.acceptable_pause", "must be >= 0");
  }
  if (c.phi.max_samples < 2 || c.phi.max_samples > 10000) {
    return Invalid("heartbeat.max_samples", "must be between 2 and 10000");
  }
  if (c.history_size < 0 || c.history_size > 100000) {
    return Invalid("heartbeat.history_size", "must be between 0 and 100000");
  }
  return Status::Ok();
}

Status AgentSettings::Validate() const {
  if (name.size() > 256) return Invalid("name", "too long (max 256)");
  if (type.size() > 256) return Invalid("type", "too long (max 256)");
  if (Status s = ValidateThresholds(thresholds); !s.ok()) return s;
  if (heartbeat) {
    if (Status s = ValidateHeartbeatConfig(*heartbeat); !s.ok()) return s;
  }
  if (!(slo.objective > 0 && slo.objective < 1)) {
    return Invalid("slo.objective", "must be between 0 and 1 (exclusive)");
  }
  if (!(slo.burn_rate_threshold > 0)) return Invalid("slo.burn_rate_threshold", "must be positive");
  if (stuck_after && stuck_after->count() <= 0) return Invalid("stuck_after", "must be positive");
  if (depends_on.size() > 100) return Invalid("depends_on", "at most 100 integrations");
  return Status::Ok();
}

Status AgentAlertRules::Validate() const {
  if (!(error_rate_threshold >= 0 && error_rate_threshold <= 1)) {
    return Invalid("rules.error_rate_threshold", "must be a fraction between 0 and 1");
  }
  if (!(low_confidence_threshold >= 0 && low_confidence_threshold <= 1)) {
    return Invalid("rules.low_confidence_threshold", "must be between 0 and 1");
  }
  if (error_rate_min_executions < 1 || low_confidence_min_executions < 1) {
    return Invalid("rules.min_executions", "must be >= 1");
  }
  if (max_failures_per_hour < 0) return Invalid("rules.max_failures_per_hour", "must be >= 0");
  return Status::Ok();
}

Status EvaluationPolicy::Validate() const {
  if (Status s = rules.Validate(); !s.ok()) return s;
  if (alerts.cooldown.count() < 0) return Invalid("alerts.cooldown", "must be >= 0");
  if (alerts.flap.low < 0 || alerts.flap.high > 100 || alerts.flap.low > alerts.flap.high) {
    return Invalid("alerts.flap", "need 0 <= low <= high <= 100");
  }
  if (Status s = stuck.Validate(); !s.ok()) return s;
  if (Status s = ValidateHeartbeatConfig(default_heartbeat); !s.ok()) return s;
  if (trend_spacing.count() <= 0) return Invalid("trend_spacing", "must be positive");
  return Status::Ok();
}

}  // namespace vitals::core
