// Monitor: active checks, conditions on non-agent sources, queue depth, restore.
#include <set>

#include "engine/monitor_sources_fixture.h"

namespace vitals::engine::sources_test {
namespace {

TEST_F(MonitorSourcesTest, ConditionIsRaisedEscalatedResolvedAndPublishedOnce) {
  ASSERT_TRUE(Disk(AlertSeverity::kWarning).ok());
  EXPECT_TRUE(recorder_.Take().empty());  // published by the next tick
  Step();
  std::vector<core::AlertChange> got = recorder_.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kRaised);
  EXPECT_TRUE(got[0].notify);
  EXPECT_EQ(got[0].alert.source_type, AlertSource::kSystem);
  EXPECT_EQ(got[0].alert.source_id, "host-1");
  EXPECT_EQ(got[0].alert.metadata_json, R"({"mount":"/"})");
  const std::string id = got[0].alert.id;

  ASSERT_TRUE(Disk(AlertSeverity::kWarning).ok());  // still holds: nothing new
  Step();
  EXPECT_TRUE(recorder_.Take().empty());
  ASSERT_TRUE(Disk(AlertSeverity::kCritical).ok());
  Step();
  got = recorder_.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kEscalated);
  EXPECT_EQ(got[0].alert.id, id);
  ASSERT_TRUE(Disk(std::nullopt).ok());
  Step();
  got = recorder_.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kResolved);
  EXPECT_TRUE(monitor_->OpenAlerts("acme").empty());

  // Raised again within the cooldown: recorded, not notified.
  Step(seconds(10));
  ASSERT_TRUE(Disk(AlertSeverity::kWarning).ok());
  Step();
  got = recorder_.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kRaised);
  EXPECT_FALSE(got[0].notify);
  EXPECT_EQ(got[0].suppressed_reason, "cooldown");
  EXPECT_NE(got[0].alert.id, id);
}

TEST_F(MonitorSourcesTest, ConditionAlertsShareIdsReadsAndAcknowledgement) {
  ASSERT_TRUE(monitor_->Ingest(Call("a1", false, 10, "")).ok());
  monitor_->RegisterAgent("acme", "a1", {}).value();
  ASSERT_TRUE(monitor_
                  ->RecordCheckResult("acme", AlertSource::kAgent, "a1", "http", false, 5,
                                      "status 503", clock_.Now())
                  .ok());
  ASSERT_TRUE(Disk(AlertSeverity::kCritical).ok());
  Step();
  std::vector<core::AlertChange> got = recorder_.Take();
  std::set<std::string> ids;
  for (const auto& c : got) EXPECT_TRUE(ids.insert(c.alert.id).second) << c.alert.id;
  ASSERT_EQ(OfType(got, "disk").size(), 1u);
  ASSERT_EQ(OfType(got, "check_failed").size(), 1u);
  const std::string disk_id = OfType(got, "disk")[0].alert.id;

  std::vector<core::Alert> open = monitor_->OpenAlerts("acme");
  EXPECT_EQ(open.size(), got.size());
  EXPECT_TRUE(monitor_->OpenAlerts("other").empty());
  const FleetSummary f = monitor_->Summary("acme");
  int64_t counted = 0;
  for (int64_t n : f.open_alerts) counted += n;
  EXPECT_EQ(counted, static_cast<int64_t>(open.size()));

  EXPECT_FALSE(monitor_->AcknowledgeAlert("other", disk_id, "bob").ok());
  auto acked = monitor_->AcknowledgeAlert("acme", disk_id, "bob");
  ASSERT_TRUE(acked.ok()) << acked.status().ToString();
  EXPECT_EQ(acked->acknowledged_by, "bob");
  Step();
  got = recorder_.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kAcknowledged);
  // The agent's alerts are still acknowledged through the agent.
  for (const core::Alert& a : monitor_->OpenAlerts("acme")) {
    if (a.type == "check_failed") {
      EXPECT_TRUE(monitor_->AcknowledgeAlert("acme", a.id, "x").ok());
    }
  }
}

TEST_F(MonitorSourcesTest, SetConditionValidates) {
  EXPECT_EQ(
      monitor_->SetCondition("acme", AlertSource::kAgent, "a1", "x", AlertSeverity::kInfo, "", "")
          .code(),
      core::StatusCode::kInvalidArgument);
  EXPECT_FALSE(
      monitor_->SetCondition("acme", AlertSource::kWorkspace, "", "size", std::nullopt, "", "")
          .ok());
  EXPECT_FALSE(
      monitor_->SetCondition("acme", AlertSource::kWorkspace, "/data", "", std::nullopt, "", "")
          .ok());
  EXPECT_TRUE(monitor_
                  ->SetCondition("acme", AlertSource::kWorkspace, "/data", "size",
                                 AlertSeverity::kWarning, "1.2 GB", "")
                  .ok());
  Step();
  ASSERT_EQ(monitor_->OpenAlerts("acme").size(), 1u);
  EXPECT_EQ(monitor_->OpenAlerts("acme")[0].metadata_json, "{}");
}

TEST_F(MonitorSourcesTest, AgentCheckCapsHealthAndClears) {
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(monitor_->Ingest(Call("a1", true, 50, "")).ok());
  Step();
  EXPECT_EQ(monitor_->GetAgent("acme", "a1")->health.status, core::HealthStatus::kHealthy);
  recorder_.Take();

  ASSERT_TRUE(monitor_
                  ->RecordCheckResult("acme", AlertSource::kAgent, "a1", "http", false, 3000,
                                      "timeout after 3 s", clock_.Now())
                  .ok());
  Step();
  core::AgentView v = *monitor_->GetAgent("acme", "a1");
  EXPECT_EQ(v.health.status, core::HealthStatus::kCritical);
  EXPECT_LE(v.health.score, 49);
  std::vector<core::AlertChange> got = OfType(recorder_.Take(), "check_failed");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].alert.severity, AlertSeverity::kCritical);

  ASSERT_TRUE(
      monitor_
          ->RecordCheckResult("acme", AlertSource::kAgent, "a1", "http", true, 40, "", clock_.Now())
          .ok());
  Step();
  EXPECT_EQ(monitor_->GetAgent("acme", "a1")->health.status, core::HealthStatus::kHealthy);
  got = OfType(recorder_.Take(), "check_failed");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kResolved);

  EXPECT_FALSE(
      monitor_->RecordCheckResult("acme", AlertSource::kSystem, "h", "c", true, 1, "", clock_.Now())
          .ok());
}

TEST_F(MonitorSourcesTest, QueueDepthWarningCriticalAndTotals) {
  ASSERT_TRUE(monitor_->RecordQueueDepth("acme", "orchestrator", 100, clock_.Now()).ok());
  ASSERT_TRUE(monitor_->RecordQueueDepth("acme", "worker-2", 7, clock_.Now()).ok());
  Step();
  EXPECT_TRUE(recorder_.Take().empty());  // 100 is not above 100
  QueueDepthSummary q = monitor_->QueueDepths("acme");
  EXPECT_EQ(q.total, 107);
  ASSERT_EQ(q.sources.size(), 2u);
  EXPECT_EQ(q.sources[0].source_id, "orchestrator");
  EXPECT_EQ(monitor_->Summary("acme").queue_depth, 107);

  ASSERT_TRUE(monitor_->RecordQueueDepth("acme", "orchestrator", 101, clock_.Now()).ok());
  Step();
  std::vector<core::AlertChange> got = recorder_.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kRaised);
  EXPECT_EQ(got[0].alert.severity, AlertSeverity::kWarning);
  EXPECT_EQ(got[0].alert.type, "queue_depth");
  EXPECT_EQ(got[0].alert.source_type, AlertSource::kSystem);
  EXPECT_EQ(got[0].alert.source_id, "orchestrator");

  ASSERT_TRUE(monitor_->RecordQueueDepth("acme", "orchestrator", 200, clock_.Now()).ok());
  Step();
  EXPECT_TRUE(recorder_.Take().empty());  // 200 is still a warning
  ASSERT_TRUE(monitor_->RecordQueueDepth("acme", "orchestrator", 201, clock_.Now()).ok());
  Step();
  got = recorder_.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kEscalated);
  EXPECT_EQ(got[0].alert.severity, AlertSeverity::kCritical);

  ASSERT_TRUE(monitor_->RecordQueueDepth("acme", "orchestrator", 3, clock_.Now()).ok());
  Step();
  got = recorder_.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kResolved);
  EXPECT_FALSE(monitor_->RecordQueueDepth("acme", "x", -1, clock_.Now()).ok());
}

TEST_F(MonitorSourcesTest, StaleQueueDepthIsForgottenAndItsAlertResolved) {
  ASSERT_TRUE(monitor_->RecordQueueDepth("acme", "orchestrator", 150, clock_.Now()).ok());
  Step();
  ASSERT_EQ(recorder_.Take().size(), 1u);
  Step(minutes(6));  // a sweep after the reading went stale
  EXPECT_EQ(monitor_->QueueDepths("acme").total, 0);
  std::vector<core::AlertChange> got = recorder_.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, AlertChangeKind::kResolved);
}

TEST_F(MonitorSourcesTest, RestoredConditionAlertsAreNotRaisedAgain) {
  ASSERT_TRUE(Disk(AlertSeverity::kWarning).ok());
  ASSERT_TRUE(monitor_
                  ->RecordCheckResult("acme", AlertSource::kIntegration, "github", "api", false, 30,
                                      "refused", clock_.Now())
                  .ok());
  Step();
  const std::vector<core::Alert> before = monitor_->OpenAlerts("acme");
  ASSERT_EQ(before.size(), 2u);

  // A restart: a new monitor, the store's open alerts restored, the alert counter moved past.
  Rebuild();
  recorder_.Take();
  monitor_->SetNextAlertId(100);
  for (const core::Alert& a : before) ASSERT_TRUE(monitor_->RestoreConditionAlert(a).ok());
  core::AgentSettings s;
  s.depends_on = {"github"};  // creates the integration without evidence
  ASSERT_TRUE(monitor_->RegisterAgent("acme", "bot", s).ok());
  Step();
  EXPECT_TRUE(recorder_.Take().empty());
  EXPECT_EQ(monitor_->OpenAlerts("acme").size(), 2u);

  ASSERT_TRUE(Disk(AlertSeverity::kWarning).ok());  // still holds: nothing to publish
  Step();
  EXPECT_TRUE(recorder_.Take().empty());
  ASSERT_TRUE(Disk(std::nullopt).ok());
  ASSERT_TRUE(monitor_
                  ->RecordCheckResult("acme", AlertSource::kIntegration, "github", "api", true, 20,
                                      "", clock_.Now())
                  .ok());
  Step();
  std::vector<core::AlertChange> got = recorder_.Take();
  ASSERT_EQ(got.size(), 2u);
  for (const core::AlertChange& c : got) {
    EXPECT_EQ(c.kind, AlertChangeKind::kResolved);
    EXPECT_TRUE(c.notify);  // their raise was notified before the restart
    EXPECT_TRUE(c.alert.id == before[0].id || c.alert.id == before[1].id) << c.alert.id;
  }
  core::Alert agent_alert = before[0];
  agent_alert.source_type = AlertSource::kAgent;
  EXPECT_FALSE(monitor_->RestoreConditionAlert(agent_alert).ok());
}

}  // namespace
}  // namespace vitals::engine::sources_test
