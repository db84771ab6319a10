#include "core/integration_state.h"

#include <algorithm>
#include <cstdio>

namespace vitals::core {

namespace {

constexpr int kSketchSlots = 5;
constexpr double kSlowCap = 70;  // a slow but working integration scores at most this

std::string Percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", fraction * 100);
  return buf;
}

std::string Ms(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  return buf;
}

}  // namespace

std::string_view IntegrationStatusName(IntegrationStatus s) {
  switch (s) {
    case IntegrationStatus::kHealthy:
      return "healthy";
    case IntegrationStatus::kDegraded:
      return "degraded";
    case IntegrationStatus::kError:
      return "error";
  }
  return "healthy";
}

std::string_view ConnectionStatusName(ConnectionStatus s) {
  switch (s) {
    case ConnectionStatus::kConnected:
      return "connected";
    case ConnectionStatus::kDisconnected:
      return "disconnected";
    case ConnectionStatus::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Status IntegrationPolicy::Validate() const {
  if (!(latency_threshold_ms > 0)) {
    return Status::InvalidArgument("integrations.latency_threshold_ms: must be positive");
  }
  if (!(degraded_error_rate >= 0 && degraded_error_rate <= error_error_rate &&
        error_error_rate <= 1)) {
    return Status::InvalidArgument(
        "integrations.error_rate: need 0 <= degraded <= error <= 1 (fractions)");
  }
  if (min_calls < 1) return Status::InvalidArgument("integrations.min_calls: must be >= 1");
  if (window_buckets < 1 || window.count() <= 0 || window.count() % window_buckets != 0 ||
      window.count() % kSketchSlots != 0) {
    return Status::InvalidArgument(
        "integrations.window: must be positive and divisible by its buckets and by 5");
  }
  return Status::Ok();
}

IntegrationState::IntegrationState(std::string organization_id, std::string integration_id,
                                   const IntegrationPolicy& policy)
    : organization_id_(std::move(organization_id)),
      integration_id_(std::move(integration_id)),
      window_(policy.window, policy.window_buckets),
      latency_(policy.window, kSketchSlots),
      max_callers_(policy.max_calling_agents),
      max_checks_(policy.max_checks) {}

void IntegrationState::RecordCall(Timestamp t, double latency_ms, bool success,
                                  std::string_view agent_id, Timestamp now, int64_t log_id) {
  last_log_id_ = std::max(last_log_id_, log_id);
  t = std::min(t, now);
  window_.Add(t, success, latency_ms, 0, 0);
  latency_.Add(t, latency_ms);
  ++total_calls_;
  if (!success) ++total_errors_;
  if (!last_used_ || t > *last_used_) last_used_ = t;
  if (!agent_id.empty() && callers_.size() < max_callers_ && !callers_.contains(agent_id)) {
    callers_.emplace(agent_id);
  }
}

void IntegrationState::RecordCheck(std::string_view check_id, bool up, double latency_ms,
                                   std::string_view detail, Timestamp at, Timestamp now,
                                   bool pending) {
  at = std::min(at, now);
  auto it = checks_.find(check_id);
  if (pending) up = it == checks_.end() || it->second.up;
  window_.Add(at, up, latency_ms, 0, 0);
  latency_.Add(at, latency_ms);
  if (it == checks_.end()) {
    if (checks_.size() >= max_checks_) return;
    it = checks_.emplace(std::string(check_id), IntegrationCheckView{}).first;
    it->second.check_id.assign(check_id);
  }
  if (at < it->second.at) return;  // an older result than the one kept
  it->second.up = up;
  it->second.latency_ms = latency_ms;
  it->second.detail.assign(detail);
  it->second.at = at;
}

void IntegrationState::SetDependent(std::string_view agent_id, bool depends) {
  if (depends) {
    dependents_.emplace(agent_id);
  } else if (auto it = dependents_.find(agent_id); it != dependents_.end()) {
    dependents_.erase(it);
  }
}

IntegrationState::Judgement IntegrationState::Judge(const WindowStats& w,
                                                    const IntegrationPolicy& policy) const {
  Judgement j;
  bool any_down = false;
  for (const auto& [id, c] : checks_) {
    if (c.up) continue;
    any_down = true;
    j.issues.push_back("active check " + id + " is failing: " + c.detail);
  }
  if (!checks_.empty()) {
    j.connection = any_down ? ConnectionStatus::kDisconnected : ConnectionStatus::kConnected;
  } else if (w.total > 0) {
    j.connection = w.success > 0 ? ConnectionStatus::kConnected : ConnectionStatus::kDisconnected;
  }
  const double error_rate = w.error_rate().value_or(0);
  const bool judged = w.total >= policy.min_calls;
  const std::optional<double> avg = w.avg_latency_ms();
  const bool slow = avg && *avg > policy.latency_threshold_ms;
  if (w.total > 0) j.score = 100 * (1 - error_rate);
  if (slow) {
    j.score = std::min(j.score, kSlowCap);
    j.issues.push_back("average latency " + Ms(*avg) + " above " + Ms(policy.latency_threshold_ms));
  }
  if (judged && error_rate >= policy.degraded_error_rate) {
    j.issues.push_back("error rate " + Percent(error_rate));
  }
  if (any_down || (judged && error_rate >= policy.error_error_rate)) {
    j.status = IntegrationStatus::kError;
    if (any_down) j.score = 0;
  } else if (slow || (judged && error_rate >= policy.degraded_error_rate)) {
    j.status = IntegrationStatus::kDegraded;
  }
  return j;
}

IntegrationEvaluation IntegrationState::Evaluate(Timestamp now, const IntegrationPolicy& policy,
                                                 Duration trend_spacing) {
  window_.AdvanceTo(now);
  const WindowStats w = window_.Stats();
  Judgement j = Judge(w, policy);
  IntegrationEvaluation out;
  out.status = j.status;
  last_status_ = j.status;
  if (!has_evidence()) return out;
  if (w.total > 0 || !checks_.empty()) trend_.Record(now, j.score, trend_spacing);

  const std::string& name = name_.empty() ? integration_id_ : name_;
  AlertCondition latency;
  const std::optional<double> avg = w.avg_latency_ms();
  latency.active = avg && *avg > policy.latency_threshold_ms;
  if (latency.active) {
    latency.message = "Integration " + name + " latency " + Ms(*avg) + " is above " +
                      Ms(policy.latency_threshold_ms);
  }
  out.latency = std::move(latency);

  AlertCondition down;
  down.active = j.status == IntegrationStatus::kError;
  down.severity = AlertSeverity::kCritical;
  if (down.active) {
    down.message = "Integration " + name + " is down";
    for (size_t i = 0; i < j.issues.size(); ++i) down.message += (i ? "; " : ": ") + j.issues[i];
  }
  out.down = std::move(down);
  return out;
}

IntegrationView IntegrationState::View(Timestamp now, const IntegrationPolicy& policy) {
  window_.AdvanceTo(now);
  latency_.AdvanceTo(now);
  const WindowStats w = window_.Stats();
  Judgement j = Judge(w, policy);
  IntegrationView v;
  v.organization_id = organization_id_;
  v.integration_id = integration_id_;
  v.name = name_.empty() ? integration_id_ : name_;
  v.status = j.status;
  v.connection_status = j.connection;
  v.latency_ms = w.avg_latency_ms();
  v.latency_p95_ms = latency_.Quantile(0.95);
  v.error_rate = w.error_rate();
  v.health_trend = trend_.Trend();
  v.last_used = last_used_;
  v.total_calls = total_calls_;
  v.total_errors = total_errors_;
  v.window_samples = w.total;
  v.dependent_agents.assign(dependents_.begin(), dependents_.end());
  v.calling_agents.assign(callers_.begin(), callers_.end());
  for (const auto& [id, c] : checks_) v.checks.push_back(c);
  v.issues = std::move(j.issues);
  return v;
}

}  // namespace vitals::core
