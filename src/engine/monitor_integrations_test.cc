// Monitor: integrations, from executions that name them and from active checks.
#include "engine/monitor_sources_fixture.h"

namespace vitals::engine::sources_test {
namespace {

TEST_F(MonitorSourcesTest, IntegrationFromExecutions) {
  core::AgentSettings s;
  s.depends_on = {"slack"};
  ASSERT_TRUE(monitor_->RegisterAgent("acme", "bot", s).ok());
  ASSERT_TRUE(monitor_->RegisterIntegration("acme", "slack", "Slack").ok());
  Calls(20, 1, 120);
  Step();
  std::vector<core::IntegrationView> list = monitor_->ListIntegrations("acme");
  ASSERT_EQ(list.size(), 1u);
  const core::IntegrationView& v = list[0];
  EXPECT_EQ(v.name, "Slack");
  EXPECT_EQ(v.total_calls, 20u);
  EXPECT_DOUBLE_EQ(*v.error_rate, 0.05);
  EXPECT_DOUBLE_EQ(*v.latency_ms, 120);
  EXPECT_EQ(v.last_used, clock_.Now() - milliseconds(100));
  EXPECT_EQ(v.status, core::IntegrationStatus::kHealthy);
  EXPECT_EQ(v.connection_status, core::ConnectionStatus::kConnected);
  EXPECT_EQ(v.dependent_agents, std::vector<std::string>{"bot"});
  EXPECT_EQ(v.calling_agents, (std::vector<std::string>{"a0", "a1", "a2"}));
  EXPECT_TRUE(monitor_->ListIntegrations("other").empty());
  EXPECT_EQ(monitor_->GetIntegration("acme", "nope").status().code(), core::StatusCode::kNotFound);
  const FleetSummary f = monitor_->Summary("acme");
  EXPECT_EQ(f.total_integrations, 1);
  EXPECT_EQ(f.healthy_integrations, 1);
  for (const core::AlertChange& c : recorder_.Take()) {
    EXPECT_EQ(c.alert.source_type, AlertSource::kAgent) << c.alert.type;  // the callers' own
  }
}

TEST_F(MonitorSourcesTest, IntegrationLatencyAlertRaisedAndResolved) {
  Calls(5, 0, 7000);
  Step();
  std::vector<core::AlertChange> got = OfType(recorder_.Take(), "integration_latency");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kRaised);
  EXPECT_EQ(got[0].alert.source_type, AlertSource::kIntegration);
  EXPECT_EQ(got[0].alert.source_id, "slack");
  EXPECT_EQ(monitor_->GetIntegration("acme", "slack")->status, core::IntegrationStatus::kDegraded);
  EXPECT_EQ(monitor_->Summary("acme").healthy_integrations, 0);

  Step(minutes(6));  // the slow calls leave the window; fast ones arrive
  Calls(5, 0, 100);
  Step();
  got = OfType(recorder_.Take(), "integration_latency");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kResolved);
}

TEST_F(MonitorSourcesTest, IntegrationCheckDownAndUp) {
  ASSERT_TRUE(monitor_
                  ->RecordCheckResult("acme", AlertSource::kIntegration, "github", "api", false, 30,
                                      "connection refused", clock_.Now())
                  .ok());
  Step();
  std::vector<core::AlertChange> got = OfType(recorder_.Take(), "integration_down");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kRaised);
  EXPECT_EQ(got[0].alert.severity, AlertSeverity::kCritical);
  EXPECT_EQ(monitor_->DownIntegrations("acme"), std::vector<std::string>{"github"});
  core::IntegrationView v = *monitor_->GetIntegration("acme", "github");
  EXPECT_EQ(v.status, core::IntegrationStatus::kError);
  EXPECT_EQ(v.connection_status, core::ConnectionStatus::kDisconnected);

  ASSERT_TRUE(monitor_
                  ->RecordCheckResult("acme", AlertSource::kIntegration, "github", "api", true, 25,
                                      "", clock_.Now())
                  .ok());
  Step();
  got = OfType(recorder_.Take(), "integration_down");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kResolved);
  EXPECT_EQ(monitor_->GetIntegration("acme", "github")->connection_status,
            core::ConnectionStatus::kConnected);
  EXPECT_TRUE(monitor_->DownIntegrations("acme").empty());
}

}  // namespace
}  // namespace vitals::engine::sources_test
