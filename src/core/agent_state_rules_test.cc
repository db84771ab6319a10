// Seed 001's agent alert rules (error_rate, low_confidence, failures) and active-check results.
#include <gtest/gtest.h>

#include "core/agent_state.h"

namespace vitals::core {
namespace {

using std::chrono::seconds;

const Timestamp kT0 = FromMicros(1'767'225'600'000'000);
const Duration kNoPause{0};

class AgentRulesTest : public ::testing::Test {
 protected:
  AgentState Make(AgentSettings settings = {}) {
    return AgentState("org", "agent-1", std::make_shared<const AgentSettings>(std::move(settings)),
                      WindowConfig{}, kT0, kNoPause);
  }
  // `total` executions one second apart, the first `failures` of them failed.
  Timestamp Feed(AgentState& a, int total, int failures) {
    Timestamp t = kT0;
    for (int i = 0; i < total; ++i) {
      t = kT0 + seconds(i);
      ExecutionSample s;
      s.timestamp = t;
      s.success = i >= failures;
      s.latency_ms = 100;
      s.error_message = s.success ? "" : "boom";
      a.RecordExecution(s, t);
    }
    return t;
  }
  AgentEvaluation Eval(AgentState& a, Timestamp now) {
    return a.Evaluate(now, kNoPause, policy_, [this] { return "alert_" + std::to_string(++ids_); });
  }
  static const AlertChange* Find(const AgentEvaluation& e, std::string_view type,
                                 AlertChangeKind kind) {
    for (const AlertChange& c : e.alert_changes) {
      if (c.alert.type == type && c.kind == kind) return &c;
    }
    return nullptr;
  }
  static bool Open(const AgentState& a, AgentAlertType t) {
    return a.alert_slot(t).open_alert() != nullptr;
  }

  EvaluationPolicy policy_;
  int ids_ = 0;
};

TEST_F(AgentRulesTest, ErrorRateAboveThresholdRaisesOnceBelowAndAtDoNot) {
  AgentState at = Make();
  Eval(at, Feed(at, 10, 5));  // 50%: at the threshold, not above it
  EXPECT_FALSE(Open(at, AgentAlertType::kErrorRate));

  AgentState below = Make();
  Eval(below, Feed(below, 10, 4));
  EXPECT_FALSE(Open(below, AgentAlertType::kErrorRate));

  AgentState above = Make();
  const Timestamp t = Feed(above, 10, 6);
  AgentEvaluation e = Eval(above, t);
  const AlertChange* raised = Find(e, "error_rate", AlertChangeKind::kRaised);
  ASSERT_NE(raised, nullptr);
  EXPECT_EQ(raised->alert.severity, AlertSeverity::kWarning);
  EXPECT_EQ(raised->alert.source_type, AlertSource::kAgent);
  EXPECT_NE(raised->alert.message.find("60%"), std::string::npos) << raised->alert.message;
  EXPECT_TRUE(raised->notify);
  // Raised once: the next evaluation with the condition still holding changes nothing.
  EXPECT_EQ(Find(Eval(above, t + seconds(1)), "error_rate", AlertChangeKind::kRaised), nullptr);
  EXPECT_TRUE(Open(above, AgentAlertType::kErrorRate));
  // An hour later the failures have left the window: resolved.
  EXPECT_NE(
      Find(Eval(above, t + std::chrono::minutes(62)), "error_rate", AlertChangeKind::kResolved),
      nullptr);
}

TEST_F(AgentRulesTest, ErrorRateThresholdIsConfigurable) {
  policy_.rules.error_rate_threshold = 0.2;
  AgentState a = Make();
  Eval(a, Feed(a, 10, 3));
  EXPECT_TRUE(Open(a, AgentAlertType::kErrorRate));
}

TEST_F(AgentRulesTest, MoreThanThreeFailuresInTheHour) {
  AgentState three = Make();
  Eval(three, Feed(three, 100, 3));
  EXPECT_FALSE(Open(three, AgentAlertType::kFailures));

  AgentState four = Make();
  AgentEvaluation e = Eval(four, Feed(four, 100, 4));
  const AlertChange* raised = Find(e, "failures", AlertChangeKind::kRaised);
  ASSERT_NE(raised, nullptr);
  EXPECT_EQ(raised->alert.severity, AlertSeverity::kWarning);
  EXPECT_NE(raised->alert.message.find("failed 4 times"), std::string::npos);
  EXPECT_FALSE(Open(four, AgentAlertType::kErrorRate));  // 4% is no error-rate alert
}

TEST_F(AgentRulesTest, SteadyRuleKeepsItsAlertAndRefreshesTheMessageWhenTheCountMoves) {
  AgentState a = Make();
  Timestamp t = Feed(a, 100, 4);
  ASSERT_NE(Find(Eval(a, t), "failures", AlertChangeKind::kRaised), nullptr);
  for (int i = 1; i <= 30; ++i) {  // past the flap history: the steady fast path
    EXPECT_TRUE(Eval(a, t + seconds(i)).alert_changes.empty());
  }
  t += seconds(31);
  ExecutionSample s;
  s.timestamp = t;
  s.success = false;
  a.RecordExecution(s, t);
  EXPECT_TRUE(Eval(a, t).alert_changes.empty());  // same alert, same severity: no event
  const Alert* open = a.alert_slot(AgentAlertType::kFailures).open_alert();
  ASSERT_NE(open, nullptr);
  EXPECT_NE(open->message.find("failed 5 times"), std::string::npos) << open->message;
}

TEST_F(AgentRulesTest, LowConfidenceOnlyWithEnoughRuns) {
  // 20 steady runs: confidence 20/30 exactly (stable score).
  policy_.rules.low_confidence_threshold = 20.0 / 30.0;
  AgentState at = Make();
  Eval(at, Feed(at, 20, 0));
  EXPECT_FALSE(Open(at, AgentAlertType::kLowConfidence));

  policy_.rules.low_confidence_threshold = 0.7;
  AgentState above = Make();
  AgentEvaluation e = Eval(above, Feed(above, 20, 0));
  const AlertChange* raised = Find(e, "low_confidence", AlertChangeKind::kRaised);
  ASSERT_NE(raised, nullptr);
  EXPECT_EQ(raised->alert.severity, AlertSeverity::kInfo);
  EXPECT_NE(raised->alert.message.find("0.67"), std::string::npos) << raised->alert.message;

  AgentState few = Make();  // 19 runs: too few for the rule to mean anything
  Eval(few, Feed(few, 19, 0));
  EXPECT_FALSE(Open(few, AgentAlertType::kLowConfidence));
}

TEST_F(AgentRulesTest, DefaultsDoNotFireOnAHealthyAgent) {
  AgentState a = Make();
  AgentEvaluation e = Eval(a, Feed(a, 50, 0));
  EXPECT_TRUE(e.alert_changes.empty());
}

TEST_F(AgentRulesTest, PausedAgentRaisesNoneOfThem) {
  AgentSettings s;
  s.paused = true;
  AgentState a = Make(s);
  a.RecordCheckResult("http", false, "status 503");
  AgentEvaluation e = Eval(a, Feed(a, 30, 20));
  EXPECT_TRUE(e.alert_changes.empty());
}

TEST_F(AgentRulesTest, FailingCheckCapsTheScoreAndRaisesUntilItIsUpAgain) {
  AgentState a = Make();
  const Timestamp t = Feed(a, 20, 0);
  EXPECT_EQ(Eval(a, t).health.status, HealthStatus::kHealthy);

  a.RecordCheckResult("http", false, "status 503");
  AgentEvaluation down = Eval(a, t + seconds(1));
  EXPECT_EQ(down.health.status, HealthStatus::kCritical);
  EXPECT_LE(down.health.score, 49);
  EXPECT_NE(std::find(down.health.issues.begin(), down.health.issues.end(),
                      "active check http is failing: status 503"),
            down.health.issues.end());
  const AlertChange* raised = Find(down, "check_failed", AlertChangeKind::kRaised);
  ASSERT_NE(raised, nullptr);
  EXPECT_EQ(raised->alert.severity, AlertSeverity::kCritical);

  a.RecordCheckResult("http", false, "timeout");  // still down: no second alert
  EXPECT_EQ(Find(Eval(a, t + seconds(2)), "check_failed", AlertChangeKind::kRaised), nullptr);

  a.RecordCheckResult("other", true, "");  // another check up: changes nothing
  EXPECT_EQ(a.failing_check_count(), 1u);
  a.RecordCheckResult("http", true, "");
  AgentEvaluation up = Eval(a, t + seconds(3));
  EXPECT_EQ(up.health.status, HealthStatus::kHealthy);
  EXPECT_NE(Find(up, "check_failed", AlertChangeKind::kResolved), nullptr);
}

TEST_F(AgentRulesTest, FailingCheckJudgesAnAgentWithNoExecutions) {
  AgentState a = Make();
  a.RecordCheckResult("tcp", false, "connection refused");
  EXPECT_EQ(Eval(a, kT0).health.status, HealthStatus::kCritical);
  a.RecordCheckResult("tcp", true, "");
  EXPECT_EQ(Eval(a, kT0 + seconds(1)).health.status, HealthStatus::kUnknown);
}

TEST_F(AgentRulesTest, RulesValidate) {
  AgentAlertRules r;
  EXPECT_TRUE(r.Validate().ok());
  r.error_rate_threshold = 50;  // a percentage where a fraction is expected
  EXPECT_FALSE(r.Validate().ok());
}

}  // namespace
}  // namespace vitals::core
