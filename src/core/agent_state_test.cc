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

TEST_F(AgentStateTest, AnAgentEvaluatedBeforeItsFirstDataHasNoTransitionOnItsFirstVerdict) {
  AgentState a = Make();  // registered: evaluated (unknown) before any data
  EXPECT_EQ(Eval(a, kT0).health.status, HealthStatus::kUnknown);
  a.RecordExecution(Sample(kT0 + seconds(1), true), kT0 + seconds(1));
  AgentEvaluation e = Eval(a, kT0 + seconds(1));
  EXPECT_EQ(e.health.status, HealthStatus::kHealthy);
  EXPECT_FALSE(e.transition);
  EXPECT_FALSE(e.previous_status);
  for (int i = 2; i < 12; ++i) a.RecordExecution(Sample(kT0 + seconds(i), false), kT0 + seconds(i));
  e = Eval(a, kT0 + seconds(12));  // later changes are transitions from that baseline
  ASSERT_TRUE(e.transition);
  EXPECT_EQ(e.previous_status, HealthStatus::kHealthy);
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

TEST_F(AgentStateTest, PausingResolvesOpenAlertsAndUnpausingStartsFresh) {
  AgentState a = Make();
  for (int i = 0; i < 10; ++i) a.RecordExecution(Sample(kT0 + seconds(i), false), kT0 + seconds(i));
  AgentEvaluation e = Eval(a, kT0 + seconds(10));
  const AlertChange* raised = Find(e, "health", AlertChangeKind::kRaised);
  ASSERT_NE(raised, nullptr);
  const std::string first_id = raised->alert.id;

  auto paused = std::make_shared<AgentSettings>(a.settings());
  paused->paused = true;
  a.SetSettings(paused, kT0 + seconds(11), kNoPause);
  e = Eval(a, kT0 + seconds(11));
  const AlertChange* resolved = Find(e, "health", AlertChangeKind::kResolved);
  ASSERT_NE(resolved, nullptr);
  EXPECT_EQ(resolved->alert.id, first_id);
  for (int t = 0; t < kAgentAlertTypeCount; ++t) {
    EXPECT_EQ(a.alert_slot(static_cast<AgentAlertType>(t)).open_alert(), nullptr) << t;
  }
  EXPECT_TRUE(Eval(a, kT0 + seconds(12)).alert_changes.empty());

  auto resumed = std::make_shared<AgentSettings>(a.settings());
  resumed->paused = false;
  a.SetSettings(resumed, kT0 + seconds(13), kNoPause);
  e = Eval(a, kT0 + seconds(13));  // still failing: a new alert
  raised = Find(e, "health", AlertChangeKind::kRaised);
  ASSERT_NE(raised, nullptr);
  EXPECT_NE(raised->alert.id, first_id);
}

TEST_F(AgentStateTest, RemovingTheHeartbeatExpectationResolvesItsVerdict) {
  AgentSettings s;
  s.heartbeat = HeartbeatConfig{};
  s.heartbeat->interval = seconds(5);
  AgentState a = Make(s);
  a.RecordHeartbeat(kT0, kT0, "", kNoPause, policy_.default_heartbeat);
  Eval(a, kT0);
  AgentEvaluation failed = Eval(a, kT0 + seconds(30));
  ASSERT_EQ(failed.health.status, HealthStatus::kCritical);
  ASSERT_NE(a.alert_slot(AgentAlertType::kHeartbeat).open_alert(), nullptr);

  auto none = std::make_shared<AgentSettings>(a.settings());
  none->heartbeat.reset();  // PUT {"heartbeat": null}
  a.SetSettings(none, kT0 + seconds(31), kNoPause);
  AgentEvaluation e = Eval(a, kT0 + seconds(31));
  EXPECT_NE(Find(e, "heartbeat", AlertChangeKind::kResolved), nullptr);
  EXPECT_NE(e.health.status, HealthStatus::kCritical);
  EXPECT_EQ(a.heartbeat(), nullptr);
  EXPECT_EQ(a.alert_slot(AgentAlertType::kHeartbeat).open_alert(), nullptr);

  // A restart does not bring the expectation back from the heartbeats stored before it.
  AgentState b = Make();
  ASSERT_TRUE(
      b.RestoreCheckpoint(a.EncodeCheckpoint(), Duration(0), kNoPause, policy_.default_heartbeat)
          .ok());
  b.RestoreLastHeartbeat(kT0, Duration(0), kNoPause, policy_.default_heartbeat);
  EXPECT_EQ(b.heartbeat(), nullptr);
  b.RestoreLastHeartbeat(kT0 + seconds(40), Duration(0), kNoPause, policy_.default_heartbeat);
  EXPECT_NE(b.heartbeat(), nullptr);  // one sent after the removal starts monitoring again
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

namespace vitals::core {
namespace {

TEST_F(AgentStateTest, CheckpointRoundTripsEverythingARestartNeeds) {
  AgentSettings s;
  s.heartbeat = HeartbeatConfig{};
  s.heartbeat->interval = std::chrono::seconds(5);
  AgentState a = Make(s);
  Timestamp t = kT0;
  for (int i = 0; i < 300; ++i) {
    t += std::chrono::seconds(1);
    ExecutionSample x = Sample(t, i % 10 != 0, 100 + i);
    x.log_id = 1000 + i;
    a.RecordExecution(x, t);
  }
  for (int i = 0; i < 6; ++i) a.RecordExecution(Sample(t, false), t);
  ASSERT_TRUE(a.StartExecution("run-1", "Indexing", t, 1000).ok());
  a.RecordHeartbeat(t, t, R"({"cpu":1})", kNoPause, policy_.default_heartbeat);
  AgentEvaluation before = Eval(a, t);
  ASSERT_EQ(before.health.status, HealthStatus::kCritical);
  const AgentView v1 = a.View(t, kNoPause, policy_);

  const std::string blob = a.EncodeCheckpoint();
  AgentState b = Make(s);
  ASSERT_TRUE(b.RestoreCheckpoint(blob, Duration(0), kNoPause, policy_.default_heartbeat).ok());
  const AgentView v2 = b.View(t, kNoPause, policy_);
  EXPECT_EQ(v2.short_window.total, v1.short_window.total);
  EXPECT_EQ(v2.long_window.failure, v1.long_window.failure);
  EXPECT_DOUBLE_EQ(v2.long_window.latency_sum_ms, v1.long_window.latency_sum_ms);
  EXPECT_EQ(v2.short_latency.p95, v1.short_latency.p95);
  EXPECT_EQ(v2.long_latency.p99, v1.long_latency.p99);
  EXPECT_EQ(v2.health.consecutive_failures, 6);
  EXPECT_EQ(v2.operations_completed, v1.operations_completed);
  EXPECT_EQ(v2.in_flight.size(), 1u);
  EXPECT_EQ(v2.current_operation, "Indexing");
  ASSERT_TRUE(v2.heartbeat);
  EXPECT_EQ(v2.heartbeat->last_heartbeat, t);
  EXPECT_EQ(v2.open_alerts.size(), v1.open_alerts.size());
  EXPECT_EQ(b.last_log_id(), 1299);
  // A restart neither resets health nor raises alerts again.
  AgentEvaluation after = Eval(b, t + std::chrono::seconds(1));
  EXPECT_EQ(after.previous_status, HealthStatus::kCritical);
  EXPECT_FALSE(after.transition);
  for (const AlertChange& c : after.alert_changes) EXPECT_NE(c.kind, AlertChangeKind::kRaised);
}

TEST_F(AgentStateTest, DowntimeIsNotHeldAgainstHeartbeats) {
  AgentSettings s;
  s.heartbeat = HeartbeatConfig{};
  s.heartbeat->interval = std::chrono::seconds(5);
  AgentState a = Make(s);
  a.RecordHeartbeat(kT0, kT0, "", kNoPause, policy_.default_heartbeat);
  const std::string blob = a.EncodeCheckpoint();
  AgentState b = Make(s);
  // The monitor was down for 10 minutes, 2 s after the heartbeat.
  ASSERT_TRUE(
      b.RestoreCheckpoint(blob, std::chrono::minutes(10), kNoPause, policy_.default_heartbeat)
          .ok());
  const Timestamp now = kT0 + std::chrono::minutes(10) + std::chrono::seconds(2);
  EXPECT_EQ(b.View(now, kNoPause, policy_).heartbeat->state, HeartbeatState::kHealthy);
  EXPECT_EQ(b.View(now + std::chrono::seconds(4), kNoPause, policy_).heartbeat->state,
            HeartbeatState::kDegraded);
}

TEST_F(AgentStateTest, CorruptCheckpointChangesNothing) {
  AgentState a = Make();
  a.RecordExecution(Sample(kT0, true), kT0);
  std::string blob = a.EncodeCheckpoint();
  AgentState b = Make();
  b.RecordExecution(Sample(kT0, false), kT0);
  for (size_t cut : {size_t{0}, size_t{1}, blob.size() / 2, blob.size() - 1}) {
    EXPECT_FALSE(
        b.RestoreCheckpoint(blob.substr(0, cut), Duration(0), kNoPause, policy_.default_heartbeat)
            .ok())
        << cut;
  }
  std::string bad = blob;
  bad[0] = 9;  // unknown version
  EXPECT_FALSE(b.RestoreCheckpoint(bad, Duration(0), kNoPause, policy_.default_heartbeat).ok());
  EXPECT_EQ(b.View(kT0, kNoPause, policy_).short_window.failure, 1);
}

}  // namespace
}  // namespace vitals::core
