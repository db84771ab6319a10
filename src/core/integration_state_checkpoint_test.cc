#include <gtest/gtest.h>

#include "core/integration_state.h"

namespace vitals::core {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const Timestamp kT0 = FromMicros(1'767'225'600'000'000);

// The fields GET /api/health/integrations shows, compared as one.
void ExpectSameView(const IntegrationView& a, const IntegrationView& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.connection_status, b.connection_status);
  EXPECT_EQ(a.latency_ms, b.latency_ms);
  EXPECT_EQ(a.latency_p95_ms, b.latency_p95_ms);
  EXPECT_EQ(a.error_rate, b.error_rate);
  EXPECT_EQ(a.health_trend, b.health_trend);
  EXPECT_EQ(a.last_used, b.last_used);
  EXPECT_EQ(a.total_calls, b.total_calls);
  EXPECT_EQ(a.total_errors, b.total_errors);
  EXPECT_EQ(a.window_samples, b.window_samples);
  EXPECT_EQ(a.calling_agents, b.calling_agents);
  EXPECT_EQ(a.issues, b.issues);
  ASSERT_EQ(a.checks.size(), b.checks.size());
  for (size_t i = 0; i < a.checks.size(); ++i) {
    EXPECT_EQ(a.checks[i].check_id, b.checks[i].check_id);
    EXPECT_EQ(a.checks[i].up, b.checks[i].up);
    EXPECT_EQ(a.checks[i].latency_ms, b.checks[i].latency_ms);
    EXPECT_EQ(a.checks[i].detail, b.checks[i].detail);
    EXPECT_EQ(a.checks[i].at, b.checks[i].at);
  }
}

class IntegrationCheckpointTest : public ::testing::Test {
 protected:
  IntegrationState Busy() {
    IntegrationState s("org", "crm", policy_);
    s.SetName("CRM");
    for (int i = 0; i < 12; ++i) {
      const Timestamp t = kT0 + seconds(i);
      s.RecordCall(t, 100 + 10 * i, i % 3 != 0, "agent-" + std::to_string(i % 2), t, i + 1);
    }
    s.RecordCheck("tcp", false, 3, "connection refused", kT0 + seconds(12), kT0 + seconds(12));
    s.Evaluate(kT0 + seconds(12), policy_, minutes(1));
    return s;
  }
  IntegrationPolicy policy_;
};

TEST_F(IntegrationCheckpointTest, RoundTripKeepsTheView) {
  IntegrationState before = Busy();
  const Timestamp t = kT0 + seconds(20);
  IntegrationState after("org", "crm", policy_);
  ASSERT_TRUE(after.RestoreCheckpoint(before.EncodeCheckpoint()).ok());
  ExpectSameView(before.View(t, policy_), after.View(t, policy_));
  EXPECT_EQ(after.last_log_id(), 12);
  EXPECT_EQ(after.last_status(), IntegrationStatus::kError);
  // The restored evidence judges the first evaluation: down still holds.
  IntegrationEvaluation e = after.Evaluate(t, policy_, minutes(1));
  ASSERT_TRUE(e.down);
  EXPECT_TRUE(e.down->active);
}

TEST_F(IntegrationCheckpointTest, ReplayCountsOnlyCallsAfterTheCheckpoint) {
  IntegrationState before = Busy();
  IntegrationState after("org", "crm", policy_);
  ASSERT_TRUE(after.RestoreCheckpoint(before.EncodeCheckpoint()).ok());
  EXPECT_TRUE(after.Counted(12));  // in the checkpoint: a replay skips it
  EXPECT_FALSE(after.Counted(13));
  EXPECT_FALSE(after.Counted(0));  // no store id: never taken for counted
  const Timestamp t = kT0 + seconds(13);
  after.RecordCall(t, 100, true, "agent-0", t, 13);
  EXPECT_EQ(after.View(t, policy_).total_calls, 13u);
  EXPECT_TRUE(after.Counted(13));
}

TEST_F(IntegrationCheckpointTest, CorruptBlobLeavesTheStateAlone) {
  IntegrationState s("org", "crm", policy_);
  s.SetDependent("a", true);
  std::string blob = Busy().EncodeCheckpoint();
  EXPECT_FALSE(s.RestoreCheckpoint(blob.substr(0, blob.size() - 3)).ok());
  EXPECT_FALSE(s.RestoreCheckpoint(blob + "x").ok());
  EXPECT_FALSE(s.RestoreCheckpoint("").ok());
  const IntegrationView v = s.View(kT0, policy_);
  EXPECT_EQ(v.total_calls, 0u);
  EXPECT_TRUE(v.checks.empty());
  ASSERT_TRUE(s.RestoreCheckpoint(blob).ok());  // dependents are kept across a restore
  EXPECT_EQ(s.View(kT0, policy_).dependent_agents, std::vector<std::string>{"a"});
}

TEST_F(IntegrationCheckpointTest, PendingKeepsTheLastVerdict) {
  IntegrationState s("org", "crm", policy_);
  s.RecordCheck("new", false, 3, "refused", kT0, kT0, /*pending=*/true);
  EXPECT_TRUE(s.View(kT0, policy_).checks[0].up);  // never seen: counts as up
  s.RecordCheck("new", false, 3, "refused", kT0 + seconds(1), kT0 + seconds(1));
  s.RecordCheck("new", false, 3, "refused", kT0 + seconds(2), kT0 + seconds(2), true);
  EXPECT_FALSE(s.View(kT0 + seconds(2), policy_).checks[0].up);  // down until a verdict
  s.RecordCheck("new", true, 3, "", kT0 + seconds(3), kT0 + seconds(3));
  EXPECT_TRUE(s.View(kT0 + seconds(3), policy_).checks[0].up);
}

}  // namespace
}  // namespace vitals::core
