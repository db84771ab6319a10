#include "core/health_calculator.h"

#include <algorithm>
#include <cstdio>

namespace vitals::core {
namespace {

// Python's f"{x:.1%}".
std::string Percent1(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", fraction * 100.0);
  return buf;
}

// Python's f"{x:.0f}".
std::string Fixed0(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

}  // namespace

HealthStatus HealthCalculator::StatusForScore(double score) {
  if (score >= 80) return HealthStatus::kHealthy;
  if (score >= 50) return HealthStatus::kDegraded;
  return HealthStatus::kCritical;
}

HealthSnapshot HealthCalculator::Calculate(const HealthInputs& in, Timestamp now) const {
  const HealthThresholds& t = thresholds_;
  HealthSnapshot s;
  s.success_rate_5min = in.stats_5min.success_rate();
  s.success_rate_1hr = in.stats_1hr.success_rate();
  s.latency_p95_5min = in.latency_p95_ms;
  s.error_count_5min = in.stats_5min.failure;
  s.error_count_1hr = in.stats_1hr.failure;
  s.executions_5min = in.stats_5min.total;
  s.executions_1hr = in.stats_1hr.total;
  s.consecutive_failures = in.consecutive_failures;
  s.last_success_at = in.last_success_at;
  s.calculated_at = now;

  if (in.stats_5min.empty() && in.stats_1hr.empty() && in.consecutive_failures == 0) {
    s.status = HealthStatus::kUnknown;
    return s;
  }

  double score = 100.0;
  if (s.success_rate_5min) {
    const double sr = *s.success_rate_5min;
    if (sr < t.success_rate_critical) {
      s.issues.push_back("Critical: Success rate at " + Percent1(sr) + " (5min)");
      score -= 40;
    } else if (sr < t.success_rate_healthy) {
      s.issues.push_back("Degraded: Success rate at " + Percent1(sr) + " (5min)");
      score -= 20;
    }
  }
  if (in.latency_p95_ms) {
    const double p95 = *in.latency_p95_ms;
    if (p95 > t.latency_p95_critical_ms) {
      s.issues.push_back("Critical: P95 latency at " + Fixed0(p95) + "ms");
      score -= 30;
    } else if (p95 > t.latency_p95_healthy_ms) {
      s.issues.push_back("Degraded: P95 latency at " + Fixed0(p95) + "ms");
      score -= 15;
    }
  }
  if (in.consecutive_failures >= t.consecutive_failures_critical) {
    s.issues.push_back("Critical: " + std::to_string(in.consecutive_failures) +
                       " consecutive failures");
    score -= 35;
  }
  if (!in.stats_1hr.empty()) {
    // Compared as failures*100 vs threshold*total so 25 of 500 is exactly 5%, not 5.0000001%.
    const double failed_pct_x_total = static_cast<double>(in.stats_1hr.failure) * 100.0;
    const double total = static_cast<double>(in.stats_1hr.total);
    const std::string count = std::to_string(in.stats_1hr.failure);
    if (failed_pct_x_total > t.error_rate_critical * total) {
      s.issues.push_back("Critical: " + count + " errors in last hour");
      score -= 25;
    } else if (failed_pct_x_total >= t.error_rate_healthy * total && in.stats_1hr.failure > 0) {
      s.issues.push_back("Elevated: " + count + " errors in last hour");
      score -= 10;
    }
  }
  s.score = std::max(0.0, score);
  s.status = StatusForScore(s.score);
  return s;
}

}  // namespace vitals::core
