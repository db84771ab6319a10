#include "core/health_calculator.h"

#include <gtest/gtest.h>

namespace vitals::core {
namespace {

// Seed 000 passes stats as {"success_rate", "total", "failure"}; a WindowStats with those counts.
WindowStats Stats(int64_t total, int64_t failure) {
  WindowStats w;
  w.total = total;
  w.failure = failure;
  w.success = total - failure;
  return w;
}

const Timestamp kNow = FromMicros(1'767'225'600'000'000);

HealthSnapshot Calc(const HealthCalculator& c, WindowStats s5, WindowStats s1h, double p95,
                    int consecutive, std::optional<Timestamp> last_success = kNow) {
  HealthInputs in{s5, s1h, p95, consecutive, last_success};
  return c.Calculate(in, kNow);
}

// ---- Seed 000 task 4.6, test_health_calculator.py, as written. ----

TEST(SeedVectors, HealthyStatus) {
  HealthCalculator calculator;
  auto s = Calc(calculator, Stats(100, 2), Stats(500, 15), 1500.0, 0);
  EXPECT_EQ(s.status, HealthStatus::kHealthy);
  EXPECT_GE(s.score, 80);
}

TEST(SeedVectors, DegradedStatus) {
  HealthCalculator calculator;
  auto s = Calc(calculator, Stats(100, 12), Stats(500, 50), 5000.0, 2);
  EXPECT_EQ(s.status, HealthStatus::kDegraded);
  EXPECT_GE(s.score, 50);
  EXPECT_LT(s.score, 80);
}

TEST(SeedVectors, CriticalStatus) {
  HealthCalculator calculator;
  auto s = Calc(calculator, Stats(100, 40), Stats(500, 150), 15000.0, 8, std::nullopt);
  EXPECT_EQ(s.status, HealthStatus::kCritical);
  EXPECT_LT(s.score, 50);
  EXPECT_GT(s.issues.size(), 0u);
}

TEST(SeedVectors, TransitionDetection) {
  EXPECT_EQ(DetectTransition(HealthStatus::kHealthy, HealthStatus::kDegraded),
            TransitionKind::kDegrading);
  EXPECT_EQ(DetectTransition(HealthStatus::kCritical, HealthStatus::kHealthy),
            TransitionKind::kRecoveredFromCritical);
  EXPECT_EQ(DetectTransition(HealthStatus::kHealthy, HealthStatus::kHealthy), std::nullopt);
}

TEST(SeedVectors, CustomThresholds) {
  HealthThresholds thresholds;
  thresholds.success_rate_healthy = 0.99;
  thresholds.success_rate_critical = 0.90;
  HealthCalculator calculator(thresholds);
  auto s = Calc(calculator, Stats(100, 5), Stats(500, 25), 1000.0, 0);
  // With stricter thresholds, 95% is degraded
  EXPECT_EQ(s.status, HealthStatus::kDegraded);
}

// ---- Exact scores, deductions and issue strings of task 4.2. ----

TEST(HealthCalculator, DegradedVectorScoreAndIssues) {
  auto s = Calc(HealthCalculator(), Stats(100, 12), Stats(500, 50), 5000.0, 2);
  EXPECT_DOUBLE_EQ(s.score, 55);  // 100 - 20 (88% < 95%) - 15 (p95 > 3000) - 10 (10% >= 5%)
  ASSERT_EQ(s.issues.size(), 3u);
  EXPECT_EQ(s.issues[0], "Degraded: Success rate at 88.0% (5min)");
  EXPECT_EQ(s.issues[1], "Degraded: P95 latency at 5000ms");
  EXPECT_EQ(s.issues[2], "Elevated: 50 errors in last hour");
}

TEST(HealthCalculator, CriticalVectorEveryDeductionAndFloorAtZero) {
  auto s = Calc(HealthCalculator(), Stats(100, 40), Stats(500, 150), 15000.0, 8);
  EXPECT_DOUBLE_EQ(s.score, 0);  // 100 - 40 - 30 - 35 - 25 < 0
  ASSERT_EQ(s.issues.size(), 4u);
  EXPECT_EQ(s.issues[0], "Critical: Success rate at 60.0% (5min)");
  EXPECT_EQ(s.issues[1], "Critical: P95 latency at 15000ms");
  EXPECT_EQ(s.issues[2], "Critical: 8 consecutive failures");
  EXPECT_EQ(s.issues[3], "Critical: 150 errors in last hour");
}

TEST(HealthCalculator, CutOffsAreInclusiveAt80And50) {
  EXPECT_EQ(HealthCalculator::StatusForScore(80), HealthStatus::kHealthy);
  EXPECT_EQ(HealthCalculator::StatusForScore(79.9), HealthStatus::kDegraded);
  EXPECT_EQ(HealthCalculator::StatusForScore(50), HealthStatus::kDegraded);
  EXPECT_EQ(HealthCalculator::StatusForScore(49.9), HealthStatus::kCritical);
}

TEST(HealthCalculator, SuccessRateBoundaries) {
  // Exactly at the healthy threshold: no deduction; exactly at critical: degraded deduction.
  auto at_healthy = Calc(HealthCalculator(), Stats(100, 5), Stats(100, 0), 10, 0);
  EXPECT_DOUBLE_EQ(at_healthy.score, 100);
  auto at_critical = Calc(HealthCalculator(), Stats(100, 20), Stats(1000, 0), 10, 0);
  EXPECT_DOUBLE_EQ(at_critical.score, 80);
}

TEST(HealthCalculator, LatencyEqualToThresholdIsNotDeducted) {
  auto s = Calc(HealthCalculator(), Stats(10, 0), Stats(10, 0), 3000.0, 0);
  EXPECT_DOUBLE_EQ(s.score, 100);
  auto c = Calc(HealthCalculator(), Stats(10, 0), Stats(10, 0), 10000.0, 0);
  EXPECT_DOUBLE_EQ(c.score, 85);
}

TEST(HealthCalculator, ConsecutiveFailuresAtThreshold) {
  auto four = Calc(HealthCalculator(), Stats(0, 0), Stats(0, 0), 0, 4);
  EXPECT_DOUBLE_EQ(four.score, 100);
  auto five = Calc(HealthCalculator(), Stats(0, 0), Stats(0, 0), 0, 5);
  EXPECT_DOUBLE_EQ(five.score, 65);
  EXPECT_EQ(five.status, HealthStatus::kDegraded);
}

TEST(HealthCalculator, HourlyErrorRateIsAPercentOfTheHour) {
  // 21 failures in 100,000 runs is a 0.02% error rate: no deduction.
  auto busy = Calc(HealthCalculator(), Stats(1000, 0), Stats(100000, 21), 10, 0);
  EXPECT_DOUBLE_EQ(busy.score, 100);
  // 21 of 100 is above 20%: critical deduction.
  auto bad = Calc(HealthCalculator(), Stats(100, 0), Stats(100, 21), 10, 0);
  EXPECT_DOUBLE_EQ(bad.score, 75);
  EXPECT_EQ(bad.issues.back(), "Critical: 21 errors in last hour");
}

TEST(HealthCalculator, NoDataIsUnknownNotHealthy) {
  HealthInputs in;
  auto s = HealthCalculator().Calculate(in, kNow);
  EXPECT_EQ(s.status, HealthStatus::kUnknown);
  EXPECT_FALSE(s.success_rate_5min.has_value());
  EXPECT_FALSE(s.success_rate_1hr.has_value());
  EXPECT_TRUE(s.issues.empty());
}

TEST(HealthCalculator, EmptyShortWindowSkipsSuccessRateButHourStillCounts) {
  HealthInputs in;
  in.stats_1hr = Stats(10, 3);  // 30% failed in the hour, nothing in the last 5 minutes
  auto s = HealthCalculator().Calculate(in, kNow);
  EXPECT_FALSE(s.success_rate_5min.has_value());
  EXPECT_DOUBLE_EQ(s.score, 75);
  EXPECT_EQ(s.status, HealthStatus::kDegraded);
}

TEST(HealthCalculator, OneFailedEventOfOne) {
  auto s = Calc(HealthCalculator(), Stats(1, 1), Stats(1, 1), 100, 1, std::nullopt);
  EXPECT_DOUBLE_EQ(s.score, 35);  // -40 success rate, -25 error rate
  EXPECT_EQ(s.status, HealthStatus::kCritical);
}

TEST(Transitions, AllNamedTransitions) {
  using S = HealthStatus;
  EXPECT_EQ(DetectTransition(S::kHealthy, S::kCritical), TransitionKind::kCriticalFromHealthy);
  EXPECT_EQ(DetectTransition(S::kDegraded, S::kCritical), TransitionKind::kCriticalFromDegraded);
  EXPECT_EQ(DetectTransition(S::kCritical, S::kDegraded), TransitionKind::kRecovering);
  EXPECT_EQ(DetectTransition(S::kDegraded, S::kHealthy), TransitionKind::kRecovered);
  EXPECT_EQ(DetectTransition(S::kUnknown, S::kHealthy), TransitionKind::kChanged);
  EXPECT_EQ(DetectTransition(std::nullopt, S::kCritical), std::nullopt);
  EXPECT_EQ(TransitionKindName(TransitionKind::kCriticalFromDegraded), "critical_from_degraded");
}

}  // namespace
}  // namespace vitals::core
