#include "core/integration_state.h"

#include <gtest/gtest.h>

namespace vitals::core {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const Timestamp kT0 = FromMicros(1'767'225'600'000'000);

class IntegrationStateTest : public ::testing::Test {
 protected:
  IntegrationState Make() { return IntegrationState("org", "slack", policy_); }
  // `n` calls one second apart from `start`, the first `failures` failed.
  Timestamp Calls(IntegrationState& s, Timestamp start, int n, int failures, double latency) {
    Timestamp t = start;
    for (int i = 0; i < n; ++i) {
      t = start + seconds(i);
      s.RecordCall(t, latency, i >= failures, "agent-" + std::to_string(i % 2), t);
    }
    return t;
  }
  IntegrationPolicy policy_;
};

TEST_F(IntegrationStateTest, StatsFromCalls) {
  IntegrationState s = Make();
  s.SetName("Slack");
  const Timestamp t = Calls(s, kT0, 20, 1, 100);
  const IntegrationView v = s.View(t, policy_);
  EXPECT_EQ(v.integration_id, "slack");
  EXPECT_EQ(v.name, "Slack");
  EXPECT_EQ(v.total_calls, 20u);
  EXPECT_EQ(v.total_errors, 1u);
  ASSERT_TRUE(v.error_rate);
  EXPECT_DOUBLE_EQ(*v.error_rate, 0.05);
  ASSERT_TRUE(v.latency_ms);
  EXPECT_DOUBLE_EQ(*v.latency_ms, 100);
  ASSERT_TRUE(v.latency_p95_ms);
  EXPECT_NEAR(*v.latency_p95_ms, 100, 2);
  EXPECT_EQ(v.last_used, t);
  EXPECT_EQ(v.status, IntegrationStatus::kHealthy);
  EXPECT_EQ(v.connection_status, ConnectionStatus::kConnected);
  EXPECT_EQ(v.calling_agents, (std::vector<std::string>{"agent-0", "agent-1"}));
}

TEST_F(IntegrationStateTest, StatusRule) {
  IntegrationState degraded = Make();  // 10% errors
  Timestamp t = Calls(degraded, kT0, 10, 1, 100);
  EXPECT_EQ(degraded.Evaluate(t, policy_, minutes(1)).status, IntegrationStatus::kDegraded);

  IntegrationState error = Make();  // 50% errors
  t = Calls(error, kT0, 10, 5, 100);
  IntegrationEvaluation e = error.Evaluate(t, policy_, minutes(1));
  EXPECT_EQ(e.status, IntegrationStatus::kError);
  ASSERT_TRUE(e.down);
  EXPECT_TRUE(e.down->active);
  EXPECT_EQ(e.down->severity, AlertSeverity::kCritical);

  IntegrationState few = Make();  // 2 failed calls: fewer than min_calls judge nothing
  t = Calls(few, kT0, 2, 2, 100);
  EXPECT_EQ(few.Evaluate(t, policy_, minutes(1)).status, IntegrationStatus::kHealthy);
  EXPECT_EQ(few.View(t, policy_).connection_status, ConnectionStatus::kDisconnected);

  IntegrationState slow = Make();
  t = Calls(slow, kT0, 5, 0, 6000);
  e = slow.Evaluate(t, policy_, minutes(1));
  EXPECT_EQ(e.status, IntegrationStatus::kDegraded);
  ASSERT_TRUE(e.latency);
  EXPECT_TRUE(e.latency->active);
  EXPECT_EQ(e.latency->severity, AlertSeverity::kWarning);
  EXPECT_FALSE(e.down->active);
}

TEST_F(IntegrationStateTest, LatencyConditionClearsWhenTheWindowMovesOn) {
  IntegrationState s = Make();
  Timestamp t = Calls(s, kT0, 5, 0, 5000);  // at the threshold: not above it
  EXPECT_FALSE(s.Evaluate(t, policy_, minutes(1)).latency->active);
  t = Calls(s, t + seconds(1), 5, 0, 9000);
  EXPECT_TRUE(s.Evaluate(t, policy_, minutes(1)).latency->active);
  t = Calls(s, t + minutes(6), 5, 0, 200);
  IntegrationEvaluation e = s.Evaluate(t, policy_, minutes(1));
  EXPECT_FALSE(e.latency->active);
  EXPECT_EQ(e.status, IntegrationStatus::kHealthy);
}

TEST_F(IntegrationStateTest, ChecksDecideConnectionAndDown) {
  IntegrationState s = Make();
  EXPECT_FALSE(s.Evaluate(kT0, policy_, minutes(1)).down);  // no evidence: no condition
  EXPECT_EQ(s.View(kT0, policy_).connection_status, ConnectionStatus::kUnknown);

  s.RecordCheck("api", false, 30, "status 503", kT0, kT0);
  IntegrationEvaluation e = s.Evaluate(kT0, policy_, minutes(1));
  EXPECT_EQ(e.status, IntegrationStatus::kError);
  ASSERT_TRUE(e.down);
  EXPECT_TRUE(e.down->active);
  EXPECT_NE(e.down->message.find("active check api is failing: status 503"), std::string::npos);
  IntegrationView v = s.View(kT0, policy_);
  EXPECT_EQ(v.connection_status, ConnectionStatus::kDisconnected);
  ASSERT_EQ(v.checks.size(), 1u);
  EXPECT_FALSE(v.checks[0].up);
  EXPECT_EQ(v.total_calls, 0u);  // checks are no calls
  EXPECT_FALSE(v.last_used);

  // Up again: the down sample stays in the window, but one of two is not >= min_calls.
  s.RecordCheck("api", true, 25, "", kT0 + seconds(30), kT0 + seconds(30));
  e = s.Evaluate(kT0 + seconds(30), policy_, minutes(1));
  EXPECT_EQ(e.status, IntegrationStatus::kHealthy);
  EXPECT_FALSE(e.down->active);
  EXPECT_EQ(s.View(kT0 + seconds(30), policy_).connection_status, ConnectionStatus::kConnected);
}

TEST_F(IntegrationStateTest, TrendFollowsTheScore) {
  IntegrationState s = Make();
  Timestamp t = kT0;
  for (int i = 0; i < 6; ++i) {  // one sample a minute, errors growing
    t = kT0 + minutes(i);
    for (int k = 0; k < 10; ++k) s.RecordCall(t, 100, k >= 2 * i, "a", t);
    s.Evaluate(t, policy_, minutes(1));
  }
  EXPECT_EQ(s.View(t, policy_).health_trend, HealthTrend::kDeclining);
}

TEST_F(IntegrationStateTest, DependentsAreKept) {
  IntegrationState s = Make();
  s.SetDependent("b", true);
  s.SetDependent("a", true);
  s.SetDependent("b", false);
  EXPECT_EQ(s.View(kT0, policy_).dependent_agents, std::vector<std::string>{"a"});
}

TEST_F(IntegrationStateTest, PolicyValidates) {
  EXPECT_TRUE(policy_.Validate().ok());
  policy_.degraded_error_rate = 0.6;  // above the error rate that means down
  EXPECT_FALSE(policy_.Validate().ok());
}

}  // namespace
}  // namespace vitals::core
