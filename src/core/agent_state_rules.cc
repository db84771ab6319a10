// AgentState: seed 001's alert rules and active-check results (see agent_state.h).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/agent_state.h"

namespace vitals::core {

void AgentState::RecordCheckResult(std::string_view check_id, bool up, std::string_view detail) {
  auto it = std::find_if(failing_checks_.begin(), failing_checks_.end(),
                         [&](const FailingCheck& f) { return f.check_id == check_id; });
  if (up) {
    if (it != failing_checks_.end()) failing_checks_.erase(it);
    return;
  }
  if (it != failing_checks_.end()) {
    it->detail.assign(detail);
  } else if (failing_checks_.size() < kMaxFailingChecks) {
    failing_checks_.push_back({std::string(check_id), std::string(detail)});
  }
}

std::optional<AlertChange> AgentState::RunSlot(AgentAlertType type, const AlertCondition& c,
                                               Timestamp now, const EvaluationPolicy& policy,
                                               const AlertSlot::IdFactory& next_id) {
  const AlertIdentity who{organization_id_, AlertSource::kAgent, agent_id_,
                          AgentAlertTypeName(type)};
  return alerts_[static_cast<int>(type)].Evaluate(c, who, now, policy.alerts, next_id);
}

void AgentState::ResolveAlertsOfPause(Timestamp now, const EvaluationPolicy& policy,
                                      const AlertSlot::IdFactory& next_id,
                                      std::vector<AlertChange>& out) {
  // As Healthchecks does for paused checks: a paused agent holds no open alert, so un-pausing
  // starts fresh. Flapping would keep an alert open: it is not consulted here.
  EvaluationPolicy resolve = policy;
  resolve.alerts.flap_detection = false;
  for (int t = 0; t < kAgentAlertTypeCount; ++t) {
    if (!alerts_[t].open_alert()) continue;
    if (auto change =
            RunSlot(static_cast<AgentAlertType>(t), AlertCondition{}, now, resolve, next_id)) {
      out.push_back(std::move(*change));
    }
  }
}

void AgentState::EvaluateSeedRules(const AgentAlertRules& rules, Timestamp now,
                                   const EvaluationPolicy& policy,
                                   const AlertSlot::IdFactory& next_id,
                                   std::vector<AlertChange>& out) {
  // Each rule's message depends on one rounded value. While the rule holds steadily (open, not
  // flapping) with the value of the last message, evaluating the slot would change nothing: skip
  // it, so an agent that keeps breaking a rule costs no string building per sweep.
  auto run = [&](int rule, AgentAlertType type, bool active, AlertSeverity severity, int64_t value,
                 auto&& message) {
    AlertSlot& slot = alerts_[static_cast<int>(type)];
    const int32_t memo = static_cast<int32_t>(std::clamp<int64_t>(value, INT32_MIN + 1, INT32_MAX));
    if (active && slot.SteadilyOpen() && rule_memo_[rule] == memo) return;
    AlertCondition c;
    c.active = active;
    c.severity = severity;
    if (active) c.message = "Agent " + DisplayName() + message();
    rule_memo_[rule] = active ? memo : kNoMemo;
    if (auto change = RunSlot(type, c, now, policy, next_id)) out.push_back(std::move(*change));
  };
  const WindowStats hour = long_window_.Stats();
  char buf[160];

  const double error_rate = hour.error_rate().value_or(0);
  run(0, AgentAlertType::kErrorRate,
      hour.total >= rules.error_rate_min_executions && error_rate > rules.error_rate_threshold,
      AlertSeverity::kWarning, std::llround(error_rate * 100), [&] {
        std::snprintf(buf, sizeof buf, " error rate: %.0f%% over the last hour (threshold %.0f%%)",
                      error_rate * 100, rules.error_rate_threshold * 100);
        return std::string(buf);
      });

  double confidence = 1;
  if (hour.total >= rules.low_confidence_min_executions) {
    confidence = ConfidenceScore(hour.total, heartbeat_ != nullptr, trend_.StdDev());
  }
  run(1, AgentAlertType::kLowConfidence, confidence < rules.low_confidence_threshold,
      rules.low_confidence_severity, std::llround(confidence * 100), [&] {
        std::snprintf(buf, sizeof buf, " confidence score %.2f is below %.2f", confidence,
                      rules.low_confidence_threshold);
        return std::string(buf);
      });

  run(2, AgentAlertType::kFailures, hour.failure > rules.max_failures_per_hour,
      AlertSeverity::kWarning, hour.failure, [&] {
        return " failed " + std::to_string(hour.failure) + " times in the last hour (more than " +
               std::to_string(rules.max_failures_per_hour) + ")";
      });
}

}  // namespace vitals::core
