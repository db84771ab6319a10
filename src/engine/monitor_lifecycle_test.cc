// Monitor: issue 15's findings on an agent's and an integration's life — first verdicts,
// heartbeat expectations removed, pauses, fresh health rows, integration checkpoints.
#include <gtest/gtest.h>

#include <mutex>

#include "engine/event_recorder_testing.h"
#include "engine/monitor.h"

namespace vitals::engine {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

using testing::EventRecorder;
using testing::FindAlert;
using testing::OfKind;

class MonitorLifecycleTest : public ::testing::Test {
 protected:
  MonitorLifecycleTest() { Rebuild(); }
  void Rebuild() {
    if (monitor_) monitor_->RemoveListener(&recorder_);
    monitor_ = std::make_unique<Monitor>(options_, &clock_);
    monitor_->AddListener(&recorder_);
  }
  core::ExecutionEvent Event(std::string agent, bool ok, std::string integration = "") {
    core::ExecutionEvent e;
    e.organization_id = "acme";
    e.agent_id = std::move(agent);
    e.execution_id = "x" + std::to_string(++seq_);
    e.action_type = "llm_call";
    e.status = ok ? "success" : "error";
    e.error_message = ok ? "" : "upstream 500";
    e.latency_ms = 120;
    e.integration_id = std::move(integration);
    e.timestamp = clock_.Now();
    return e;
  }
  void Step(core::Duration d) {
    clock_.Advance(d);
    monitor_->Tick();
  }
  core::AgentSettings Heartbeats() {
    core::AgentSettings s;
    s.heartbeat = core::HeartbeatConfig{};
    s.heartbeat->interval = seconds(1);
    return s;
  }

  core::FakeClock clock_;
  MonitorOptions options_;
  EventRecorder recorder_;
  std::unique_ptr<Monitor> monitor_;
  int seq_ = 0;
};

TEST_F(MonitorLifecycleTest, ARegisteredAgentsFirstVerdictIsNoTransition) {
  ASSERT_TRUE(monitor_->RegisterAgent("acme", "reg", {}).ok());
  Step(milliseconds(100));  // evaluated before any data: unknown
  ASSERT_TRUE(monitor_->Ingest(Event("reg", true)).ok());
  Step(milliseconds(100));
  const auto events = recorder_.Take();
  EXPECT_TRUE(OfKind(events, EngineEventKind::kTransition).empty());
  EXPECT_EQ(monitor_->GetAgent("acme", "reg")->health.status, core::HealthStatus::kHealthy);
}

TEST_F(MonitorLifecycleTest, RemovingTheHeartbeatExpectationResolvesItsAlert) {
  ASSERT_TRUE(monitor_->RegisterAgent("acme", "hb", Heartbeats()).ok());
  ASSERT_TRUE(monitor_->RecordHeartbeat("acme", "hb", std::nullopt, "").ok());
  for (int i = 0; i < 50; ++i) Step(milliseconds(100));
  ASSERT_EQ(monitor_->GetAgent("acme", "hb")->heartbeat->state, core::HeartbeatState::kFailed);
  recorder_.Take();
  ASSERT_TRUE(monitor_->RegisterAgent("acme", "hb", {}).ok());  // PUT {"heartbeat": null}
  Step(milliseconds(100));
  EXPECT_NE(FindAlert(recorder_.Take(), "heartbeat", core::AlertChangeKind::kResolved), nullptr);
  auto v = monitor_->GetAgent("acme", "hb");
  EXPECT_FALSE(v->heartbeat);
  EXPECT_NE(v->health.status, core::HealthStatus::kCritical);
}

TEST_F(MonitorLifecycleTest, PausingResolvesTheOpenAlerts) {
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(monitor_->Ingest(Event("p", false)).ok());
  Step(milliseconds(100));
  ASSERT_FALSE(monitor_->OpenAlerts("acme").empty());
  recorder_.Take();
  ASSERT_TRUE(monitor_->SetPaused("acme", "p", true).ok());
  Step(milliseconds(100));
  EXPECT_NE(FindAlert(recorder_.Take(), "health", core::AlertChangeKind::kResolved), nullptr);
  EXPECT_TRUE(monitor_->OpenAlerts("acme").empty());
}

TEST_F(MonitorLifecycleTest, ASilentAgentsHealthKeepsBeingPublishedAsItsIssueChanges) {
  ASSERT_TRUE(monitor_->RegisterAgent("acme", "quiet", Heartbeats()).ok());
  ASSERT_TRUE(monitor_->RecordHeartbeat("acme", "quiet", std::nullopt, "").ok());
  for (int i = 0; i < 50; ++i) Step(milliseconds(100));
  ASSERT_EQ(monitor_->GetAgent("acme", "quiet")->heartbeat->state, core::HeartbeatState::kFailed);
  recorder_.Take();
  Step(options_.sweep_interval);  // same status and score; only "no heartbeat for ..." grew
  const auto updates = OfKind(recorder_.Take(), EngineEventKind::kHealthUpdate);
  ASSERT_EQ(updates.size(), 1u);
  ASSERT_FALSE(updates[0].health.issues.empty());
  EXPECT_EQ(updates[0].health.calculated_at, clock_.Now());
}

TEST_F(MonitorLifecycleTest, IntegrationsComeBackFromTheirCheckpointAndReplayCountsOnce) {
  std::vector<core::ExecutionEvent> events;
  for (int i = 0; i < 10; ++i) events.push_back(Event("a", i % 2 == 0, "crm"));
  std::vector<core::Status> results(events.size());
  std::vector<int64_t> ids;
  for (size_t i = 0; i < events.size(); ++i) ids.push_back(static_cast<int64_t>(i + 1));
  monitor_->IngestBatch(events, results, ids);
  ASSERT_TRUE(monitor_
                  ->RecordCheckResult("acme", core::AlertSource::kIntegration, "crm", "tcp", false,
                                      2, "refused", clock_.Now())
                  .ok());
  Step(milliseconds(100));
  const auto down = monitor_->OpenAlerts("acme");
  int64_t replay_from = 0;
  (void)monitor_->CollectCheckpoints(true, &replay_from);
  const auto checkpoints = monitor_->CollectIntegrationCheckpoints(true);
  ASSERT_EQ(checkpoints.size(), 1u);
  const auto before = monitor_->GetIntegration("acme", "crm");
  ASSERT_TRUE(before.ok());

  Rebuild();
  recorder_.Take();
  ASSERT_TRUE(monitor_->RestoreIntegration("acme", "crm", checkpoints[0].blob).ok());
  for (const core::Alert& a : down) {
    if (a.source_type != core::AlertSource::kAgent)
      ASSERT_TRUE(monitor_->RestoreConditionAlert(a).ok());
  }
  for (size_t i = 0; i < events.size(); ++i) monitor_->Replay(events[i], ids[i], false);
  const auto after = monitor_->GetIntegration("acme", "crm");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->total_calls, before->total_calls);
  EXPECT_EQ(after->total_errors, before->total_errors);
  EXPECT_EQ(after->status, core::IntegrationStatus::kError);
  EXPECT_EQ(after->connection_status, core::ConnectionStatus::kDisconnected);
  // A pending result of the check keeps it down, and its alert open with the same id.
  ASSERT_TRUE(monitor_
                  ->RecordCheckResult("acme", core::AlertSource::kIntegration, "crm", "tcp", true,
                                      2, "refused", clock_.Now(), /*pending=*/true)
                  .ok());
  Step(milliseconds(100));
  auto events_after = recorder_.Take();
  ASSERT_EQ(monitor_->DownIntegrations("acme"), std::vector<std::string>{"crm"});
  EXPECT_EQ(FindAlert(events_after, "integration_down", core::AlertChangeKind::kResolved), nullptr);
  EXPECT_EQ(FindAlert(events_after, "integration_down", core::AlertChangeKind::kRaised), nullptr);
}

}  // namespace
}  // namespace vitals::engine
