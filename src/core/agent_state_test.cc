#include "core/agent_state.h"

#include <gtest/gtest.h>

#include <random>

namespace vitals::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const Timestamp kT0 = FromMicros(1'767'225'600'000'000);
const Duration kNoPause{0};

class AgentStateTest : public ::testing::Test {
 protected:
  AgentState Make(AgentSettings settings = {}) {
    return AgentState("org", "agent-1", std::make_shared<const AgentSettings>(std::move(settings)),
                      WindowConfig{}, kT0, kNoPause);
  }
  ExecutionSample Sample(Timestamp t, bool ok, double latency = 100, std::string_view id = "") {
    ExecutionSample s;
    s.timestamp = t;
    s.success = ok;
    s.latency_ms = latency;
    s.cost_usd = 0.01;
    s.tokens = 10;
    s.execution_id = id;
    s.error_message = ok ? "" : "boom";
    return s;
  }
  AgentEvaluation Eval(AgentState& a, Timestamp now, Duration pause = kNoPause) {
    return a.Evaluate(now, pause, policy_, [this] { return "alert_" + std::to_string(++ids_); });
  }
  static const AlertChange* Find(const AgentEvaluation& e, const std::string& type,
                                 AlertChangeKind kind) {
    for (const AlertChange& c : e.alert_changes) {
      if (c.alert.type == type && c.kind == kind) return &c;
    }
    return nullptr;
  }

  EvaluationPolicy policy_;
  int ids_ = 0;
};

TEST_F(AgentStateTest, NoDataIsUnknownAndRaisesNothing) {
  AgentState a = Make();
  AgentEvaluation e = Eval(a, kT0);
  EXPECT_EQ(e.health.status, HealthStatus::kUnknown);
  EXPECT_FALSE(e.transition);
  EXPECT_TRUE(e.alert_changes.empty());
  EXPECT_FALSE(e.next_deadline);
}

TEST_F(AgentStateTest, OneSuccessfulEventIsHealthy) {
  AgentState a = Make();
  a.RecordExecution(Sample(kT0, true), kT0);
  AgentEvaluation e = Eval(a, kT0);
  EXPECT_EQ(e.health.status, HealthStatus::kHealthy);
  EXPECT_EQ(e.health.score, 100);
  EXPECT_EQ(e.health.executions_5min, 1);
  EXPECT_FALSE(e.transition);  // the first verdict sets the baseline (seed 000)
}

TEST_F(AgentStateTest, FailuresTransitionWithPreviousStatusAndRaiseAnAlert) {
  AgentState a = Make();
  for (int i = 0; i < 20; ++i) a.RecordExecution(Sample(kT0 + seconds(i), true), kT0 + seconds(i));
  Eval(a, kT0 + seconds(20));
  for (int i = 0; i < 10; ++i) {
    a.RecordExecution(Sample(kT0 + seconds(21 + i), false), kT0 + seconds(21 + i));
  }
  AgentEvaluation e = Eval(a, kT0 + seconds(31));
  EXPECT_EQ(e.health.status, HealthStatus::kCritical);
  ASSERT_TRUE(e.transition);
  EXPECT_EQ(*e.transition, TransitionKind::kCriticalFromHealthy);
  EXPECT_EQ(e.previous_status, HealthStatus::kHealthy);
  const AlertChange* raised = Find(e, "health", AlertChangeKind::kRaised);
  ASSERT_NE(raised, nullptr);
  EXPECT_EQ(raised->alert.severity, AlertSeverity::kCritical);
  EXPECT_NE(raised->alert.message.find("10 consecutive failures"), std::string::npos);
  EXPECT_EQ(a.Activity(), ActivityStatus::kError);
}

TEST_F(AgentStateTest, RecoveryResolvesTheAlert) {
  AgentState a = Make();
  for (int i = 0; i < 5; ++i) a.RecordExecution(Sample(kT0 + seconds(i), false), kT0 + seconds(i));
  Eval(a, kT0 + seconds(5));
  // Five minutes of successes later the failures have slid out of the short window; the hour still
  // holds them (5 of 405 = 1.2%, below the 5% threshold).
  Timestamp t = kT0 + seconds(10);
  for (int i = 0; i < 400; ++i) a.RecordExecution(Sample(t += seconds(1), true), t);
  AgentEvaluation e = Eval(a, t);
  EXPECT_EQ(e.health.status, HealthStatus::kHealthy);
  ASSERT_TRUE(e.transition);
  EXPECT_EQ(*e.transition, TransitionKind::kRecoveredFromCritical);
  EXPECT_NE(Find(e, "health", AlertChangeKind::kResolved), nullptr);
  EXPECT_EQ(a.Activity(), ActivityStatus::kIdle);
}

TEST_F(AgentStateTest, OutOfOrderEventsCountButDoNotMoveTheStreak) {
  AgentState a = Make();
  a.RecordExecution(Sample(kT0 + seconds(10), true), kT0 + seconds(10));
  a.RecordExecution(Sample(kT0 + seconds(5), false), kT0 + seconds(10));  // late
  AgentEvaluation e = Eval(a, kT0 + seconds(10));
  EXPECT_EQ(e.health.executions_5min, 2);
  EXPECT_EQ(e.health.error_count_5min, 1);
  EXPECT_EQ(e.health.consecutive_failures, 0);
  EXPECT_EQ(a.Activity(), ActivityStatus::kIdle);
}

TEST_F(AgentStateTest, FutureTimestampCountsAsNow) {
  AgentState a = Make();
  a.RecordExecution(Sample(kT0 + minutes(3), false), kT0);  // within skew, ahead of the clock
  AgentEvaluation e = Eval(a, kT0 + seconds(1));
  EXPECT_EQ(e.health.executions_5min, 1);
  EXPECT_EQ(e.health.last_success_at, std::nullopt);
}

TEST_F(AgentStateTest, ClockGoingBackwardsKeepsTheVerdict) {
  AgentState a = Make();
  a.RecordExecution(Sample(kT0, true), kT0);
  Eval(a, kT0 + seconds(10));
  AgentEvaluation e = Eval(a, kT0 - minutes(10));
  EXPECT_EQ(e.health.status, HealthStatus::kHealthy);
  EXPECT_EQ(e.health.executions_5min, 1);
  EXPECT_FALSE(e.transition);
}

TEST_F(AgentStateTest, MissedHeartbeatTransitionsAndAlertsAtItsDeadline) {
  AgentSettings s;
  s.heartbeat = HeartbeatConfig{};
  s.heartbeat->interval = seconds(5);
  AgentState a = Make(s);
  a.RecordHeartbeat(kT0, kT0, "", kNoPause, policy_.default_heartbeat);
  AgentEvaluation first = Eval(a, kT0);
  EXPECT_EQ(first.health.status, HealthStatus::kHealthy);  // heartbeat-only agents are judged
  ASSERT_TRUE(first.next_deadline);
  EXPECT_EQ(*first.next_deadline, kT0 + seconds(5));

  AgentEvaluation degraded = Eval(a, kT0 + seconds(5));
  EXPECT_EQ(degraded.health.status, HealthStatus::kDegraded);
  EXPECT_EQ(degraded.transition, TransitionKind::kDegrading);
  EXPECT_EQ(degraded.next_deadline, kT0 + seconds(10));

  AgentEvaluation critical = Eval(a, kT0 + seconds(10));
  EXPECT_EQ(critical.transition, TransitionKind::kCriticalFromDegraded);
  const AlertChange* beat = Find(critical, "heartbeat", AlertChangeKind::kRaised);
  ASSERT_NE(beat, nullptr);
  EXPECT_EQ(beat->alert.severity, AlertSeverity::kWarning);

  AgentEvaluation failed = Eval(a, kT0 + seconds(16));
  EXPECT_EQ(failed.health.score, 0);
  EXPECT_NE(Find(failed, "heartbeat", AlertChangeKind::kEscalated), nullptr);
  EXPECT_FALSE(failed.next_deadline);

  a.RecordHeartbeat(kT0 + seconds(20), kT0 + seconds(20), "", kNoPause, policy_.default_heartbeat);
  AgentEvaluation back = Eval(a, kT0 + seconds(20));
  EXPECT_EQ(back.transition, TransitionKind::kRecoveredFromCritical);
  EXPECT_NE(Find(back, "heartbeat", AlertChangeKind::kResolved), nullptr);
}

TEST_F(AgentStateTest, MonitorPauseDoesNotConvict) {
  AgentSettings s;
  s.heartbeat = HeartbeatConfig{};
  AgentState a = Make(s);
  a.RecordHeartbeat(kT0, kT0, "", kNoPause, policy_.default_heartbeat);
  Eval(a, kT0);
  AgentEvaluation e = Eval(a, kT0 + minutes(10), minutes(10) - seconds(1));
  EXPECT_EQ(e.health.status, HealthStatus::kHealthy);
  EXPECT_TRUE(e.alert_changes.empty());
}

TEST_F(AgentStateTest, StuckExecutionWithDefaultDeadline) {
  AgentState a = Make();
  ASSERT_TRUE(a.StartExecution("e1", "Processing leads", kT0, 1000).ok());
  EXPECT_EQ(a.Activity(), ActivityStatus::kActive);
  AgentEvaluation start = Eval(a, kT0 + seconds(1));
  ASSERT_TRUE(start.next_deadline);
  EXPECT_EQ(*start.next_deadline, kT0 + policy_.stuck.default_deadline);

  AgentEvaluation stuck = Eval(a, kT0 + policy_.stuck.default_deadline);
  EXPECT_EQ(stuck.health.status, HealthStatus::kDegraded);
  EXPECT_NE(Find(stuck, "stuck_execution", AlertChangeKind::kRaised), nullptr);
  AgentView v = a.View(kT0 + policy_.stuck.default_deadline, kNoPause, policy_);
  EXPECT_EQ(v.stuck_executions, 1);
  EXPECT_EQ(v.current_operation, "Processing leads");

  a.RecordExecution(Sample(kT0 + minutes(6), true, 360000, "e1"), kT0 + minutes(6));
  AgentEvaluation done = Eval(a, kT0 + minutes(6));
  EXPECT_NE(Find(done, "stuck_execution", AlertChangeKind::kResolved), nullptr);
  EXPECT_EQ(a.Activity(), ActivityStatus::kIdle);
}

TEST_F(AgentStateTest, StuckDeadlineDerivedFromOwnLatency) {
  AgentState a = Make();
  Timestamp t = kT0;
  for (int i = 0; i < 100; ++i) a.RecordExecution(Sample(t += seconds(1), true, 5000), t);
  ASSERT_TRUE(a.StartExecution("slow", "x", t, 1000).ok());
  AgentView v = a.View(t, kNoPause, policy_);
  EXPECT_NEAR(ToSecondsF(v.stuck_deadline), 15.0, 0.15);         // 3 x p99 of 5 s (within 1%)
  EXPECT_EQ(Eval(a, t + seconds(14)).health.issues.size(), 1u);  // only the p95 > 3 s issue
  AgentEvaluation stuck = Eval(a, t + seconds(16));
  EXPECT_NE(Find(stuck, "stuck_execution", AlertChangeKind::kRaised), nullptr);
  EXPECT_EQ(stuck.health.status, HealthStatus::kDegraded);
}

TEST_F(AgentStateTest, InFlightCapIsEnforced) {
  AgentState a = Make();
  ASSERT_TRUE(a.StartExecution("a", "", kT0, 2).ok());
  ASSERT_TRUE(a.StartExecution("b", "", kT0, 2).ok());
  EXPECT_EQ(a.StartExecution("c", "", kT0, 2).code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(a.StartExecution("a", "", kT0, 2).ok());  // restarting a known one is fine
}

TEST_F(AgentStateTest, PausedAgentRaisesNothing) {
  AgentSettings s;
  s.paused = true;
  AgentState a = Make(s);
  for (int i = 0; i < 10; ++i) a.RecordExecution(Sample(kT0 + seconds(i), false), kT0 + seconds(i));
  AgentEvaluation e = Eval(a, kT0 + seconds(10));
  EXPECT_EQ(e.health.status, HealthStatus::kCritical);
  EXPECT_TRUE(e.alert_changes.empty());
  EXPECT_EQ(a.Activity(), ActivityStatus::kPaused);
}

TEST_F(AgentStateTest, SloBurnRatePages) {
  AgentSettings s;
  s.thresholds.consecutive_failures_critical = 1000;
  AgentState a = Make(s);
  Timestamp t = kT0;
  for (int i = 0; i < 100; ++i) a.RecordExecution(Sample(t += seconds(1), i % 5 != 0), t);
  AgentEvaluation e = Eval(a, t);  // 20% errors: burn rate 20 on both windows
  const AlertChange* page = Find(e, "slo_burn", AlertChangeKind::kRaised);
  ASSERT_NE(page, nullptr);
  EXPECT_EQ(page->alert.severity, AlertSeverity::kCritical);
  EXPECT_NE(page->alert.message.find("20.0x (1h)"), std::string::npos) << page->alert.message;
}

TEST_F(AgentStateTest, PerAgentThresholds) {
  AgentSettings strict;
  strict.thresholds.latency_p95_healthy_ms = 100;
  AgentState a = Make(strict);
  AgentState b = Make();
  for (int i = 0; i < 50; ++i) {
    a.RecordExecution(Sample(kT0 + seconds(i), true, 500), kT0 + seconds(i));
    b.RecordExecution(Sample(kT0 + seconds(i), true, 500), kT0 + seconds(i));
  }
  EXPECT_EQ(Eval(a, kT0 + seconds(50)).health.score, 85);
  EXPECT_EQ(Eval(b, kT0 + seconds(50)).health.score, 100);
}

TEST_F(AgentStateTest, ViewHasWindowsQuantilesAndConfidence) {
  AgentState a = Make();
  Timestamp t = kT0;
  for (int i = 0; i < 200; ++i) a.RecordExecution(Sample(t += seconds(1), i % 10 != 0, i + 1), t);
  Eval(a, t);
  AgentView v = a.View(t, kNoPause, policy_);
  EXPECT_EQ(v.long_window.total, 200);
  EXPECT_EQ(v.long_window.failure, 20);
  EXPECT_NEAR(*v.long_latency.p50, 100, 2);
  EXPECT_NEAR(*v.long_latency.p99, 198, 2);
  EXPECT_EQ(v.short_window.total, 200);  // 200 s of traffic: all inside 5 minutes
  EXPECT_EQ(v.operations_completed, 200u);
  EXPECT_NEAR(v.confidence, 200.0 / 210.0, 1e-9);
  EXPECT_EQ(v.last_error, "boom");
}

TEST_F(AgentStateTest, MemoryIsBoundedWithTrafficAndSmallWhenIdle) {
  AgentState a = Make();
  std::mt19937_64 rng(1);
  std::lognormal_distribution<double> latency(std::log(300.0), 1.5);
  Timestamp t = kT0;
  for (int i = 0; i < 200000; ++i) {  // an hour of traffic, very wide latency spread
    t += milliseconds(18);
    a.RecordExecution(Sample(t, i % 7 != 0, latency(rng)), t);
  }
  Eval(a, t);
  EXPECT_LE(a.MemoryUsage(), 16u * 1024);
  Eval(a, t + std::chrono::hours(2));
  EXPECT_LE(a.MemoryUsage(), 2u * 1024);
}

}  // namespace
}  // namespace vitals::core
