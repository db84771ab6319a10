#include "engine/monitor.h"

#include <gtest/gtest.h>

#include <mutex>

#include "engine/event_recorder_testing.h"

namespace vitals::engine {
namespace {

using core::FromMicros;
using core::HealthStatus;
using core::Timestamp;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

using testing::EventRecorder;
using testing::OfKind;

class MonitorTest : public ::testing::Test {
 protected:
  MonitorTest() { Rebuild(); }

  void Rebuild() {
    if (monitor_) monitor_->RemoveListener(&recorder_);
    monitor_ = std::make_unique<Monitor>(options_, &clock_);
    monitor_->AddListener(&recorder_);
  }

  core::ExecutionEvent Event(std::string agent, bool ok, std::string org = "acme") {
    core::ExecutionEvent e;
    e.organization_id = std::move(org);
    e.agent_id = std::move(agent);
    e.execution_id = "x" + std::to_string(++seq_);
    e.action_type = "llm_call";
    e.status = ok ? "success" : "error";
    e.error_message = ok ? "" : "upstream 500";
    e.latency_ms = 120;
    e.timestamp = clock_.Now();
    return e;
  }

  // Registers `agent` with a heartbeat expected every `interval` and records one, then ticks.
  void HeartbeatingAgent(const std::string& agent, core::Duration interval) {
    core::AgentSettings s;
    s.heartbeat = core::HeartbeatConfig{};
    s.heartbeat->interval = interval;
    ASSERT_TRUE(monitor_->RegisterAgent("acme", agent, s).ok());
    ASSERT_TRUE(monitor_->RecordHeartbeat("acme", agent, std::nullopt, "").ok());
    Step(milliseconds(100));
  }

  void Step(core::Duration d) {
    clock_.Advance(d);
    monitor_->Tick();
  }

  core::FakeClock clock_;
  MonitorOptions options_;
  EventRecorder recorder_;
  std::unique_ptr<Monitor> monitor_;
  int seq_ = 0;
};

TEST_F(MonitorTest, AgentsAppearOnTheirFirstEvent) {
  EXPECT_EQ(monitor_->agent_count(), 0u);
  ASSERT_TRUE(monitor_->Ingest(Event("a1", true)).ok());
  EXPECT_EQ(monitor_->agent_count(), 1u);
  Step(milliseconds(100));
  auto updates = OfKind(recorder_.Take(), EngineEventKind::kHealthUpdate);
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].agent_id, "a1");
  EXPECT_EQ(updates[0].organization_id, "acme");
  EXPECT_EQ(updates[0].health.status, HealthStatus::kHealthy);
}

TEST_F(MonitorTest, FailuresPublishATransitionOnTheNextTick) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(monitor_->Ingest(Event("a1", true)).ok());
  Step(milliseconds(100));
  recorder_.Take();
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(monitor_->Ingest(Event("a1", false)).ok());
  Step(milliseconds(100));  // one tick: well under the 1 s budget
  auto events = recorder_.Take();
  auto transitions = OfKind(events, EngineEventKind::kTransition);
  ASSERT_EQ(transitions.size(), 1u);
  EXPECT_EQ(transitions[0].previous_status, HealthStatus::kHealthy);
  EXPECT_EQ(transitions[0].health.status, HealthStatus::kCritical);
  EXPECT_EQ(transitions[0].transition, core::TransitionKind::kCriticalFromHealthy);
  auto alerts = OfKind(events, EngineEventKind::kAlert);
  ASSERT_FALSE(alerts.empty());
  EXPECT_EQ(alerts[0].alert->kind, core::AlertChangeKind::kRaised);
}

TEST_F(MonitorTest, BatchKeepsGoodItemsBesideBadOnes) {
  std::vector<core::ExecutionEvent> batch = {Event("a1", true), Event("", true),
                                             Event("a2", false)};
  batch[2].latency_ms = -1;
  batch.push_back(Event("a3", true));
  std::vector<core::Status> results(batch.size());
  monitor_->IngestBatch(batch, results);
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(results[1].code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(results[1].message().find("agent_id"), std::string::npos);
  EXPECT_NE(results[2].message().find("latency_ms"), std::string::npos);
  EXPECT_TRUE(results[3].ok());
  EXPECT_EQ(monitor_->events_ingested(), 2u);
  EXPECT_EQ(monitor_->agent_count(), 2u);
}

TEST_F(MonitorTest, FutureTimestampBeyondSkewIsRejectedWithAReason) {
  core::ExecutionEvent e = Event("a1", true);
  e.timestamp = clock_.Now() + minutes(30);
  core::Status s = monitor_->Ingest(e);
  EXPECT_EQ(s.code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("in the future"), std::string::npos);
  EXPECT_EQ(monitor_->agent_count(), 0u);
}

TEST_F(MonitorTest, OrganizationsAreIsolated) {
  ASSERT_TRUE(monitor_->Ingest(Event("same-id", true, "org-a")).ok());
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(monitor_->Ingest(Event("same-id", false, "org-b")).ok());
  Step(milliseconds(100));
  auto a = monitor_->GetAgent("org-a", "same-id");
  auto b = monitor_->GetAgent("org-b", "same-id");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->health.status, HealthStatus::kHealthy);
  EXPECT_EQ(b->health.status, HealthStatus::kCritical);
  EXPECT_EQ(monitor_->ListAgents("org-a").size(), 1u);
  EXPECT_EQ(monitor_->Summary("org-a").open_alerts[2], 0);
  auto b_alerts = monitor_->OpenAlerts("org-b");
  ASSERT_FALSE(b_alerts.empty());
  EXPECT_TRUE(monitor_->OpenAlerts("org-a").empty());
  // Org A cannot acknowledge org B's alert, even knowing its id.
  EXPECT_EQ(monitor_->AcknowledgeAlert("org-a", b_alerts[0].id, "mallory").status().code(),
            core::StatusCode::kNotFound);
  EXPECT_FALSE(monitor_->GetAgent("org-c", "same-id").ok());
}

TEST_F(MonitorTest, AcknowledgePublishesAndIsIdempotent) {
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(monitor_->Ingest(Event("a1", false)).ok());
  Step(milliseconds(100));
  recorder_.Take();
  auto open = monitor_->OpenAlerts("acme");
  ASSERT_FALSE(open.empty());
  auto acked = monitor_->AcknowledgeAlert("acme", open[0].id, "alice");
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(acked->acknowledged_by, "alice");
  auto events = OfKind(recorder_.Take(), EngineEventKind::kAlert);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].alert->kind, core::AlertChangeKind::kAcknowledged);
  auto again = monitor_->AcknowledgeAlert("acme", open[0].id, "bob");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->acknowledged_by, "alice");
  EXPECT_FALSE(monitor_->AcknowledgeAlert("acme", "alert_999999", "x").ok());
}

TEST_F(MonitorTest, HeartbeatDeadlineFiresWithoutASweep) {
  options_.sweep_interval = std::chrono::hours(1);
  Rebuild();
  core::AgentSettings s;
  s.heartbeat = core::HeartbeatConfig{};
  s.heartbeat->interval = seconds(2);
  ASSERT_TRUE(monitor_->RegisterAgent("acme", "hb", s).ok());
  ASSERT_TRUE(monitor_->RecordHeartbeat("acme", "hb", std::nullopt, R"({"cpu":12})").ok());
  Step(milliseconds(100));  // first tick: the sweep sets the baseline
  recorder_.Take();
  // Silence. The degraded boundary (2 s) is found by the deadline heap, not by a sweep.
  Timestamp degraded_at{};
  for (int i = 0; i < 30 && degraded_at == Timestamp{}; ++i) {
    Step(milliseconds(100));
    for (const auto& t : OfKind(recorder_.Take(), EngineEventKind::kTransition)) {
      if (t.health.status == HealthStatus::kDegraded) degraded_at = t.at;
    }
  }
  ASSERT_NE(degraded_at, Timestamp{});
  auto view = monitor_->GetAgent("acme", "hb");
  ASSERT_TRUE(view.ok() && view->heartbeat);
  EXPECT_GE(view->heartbeat->elapsed, seconds(2));
  EXPECT_LT(view->heartbeat->elapsed, seconds(2) + milliseconds(200));
  auto hist = monitor_->HeartbeatHistory("acme", "hb", std::nullopt, std::nullopt);
  ASSERT_TRUE(hist.ok());
  ASSERT_EQ(hist->size(), 1u);
  EXPECT_EQ((*hist)[0].metadata_json, R"({"cpu":12})");
}

TEST_F(MonitorTest, StuckExecutionFoundByDeadline) {
  options_.sweep_interval = std::chrono::hours(1);
  options_.defaults.stuck_after = seconds(3);
  Rebuild();
  core::ExecutionEvent start = Event("worker", true);
  start.action_name = "Processing leads";
  ASSERT_TRUE(monitor_->StartExecution(start).ok());
  Step(milliseconds(100));
  auto v = monitor_->GetAgent("acme", "worker");
  EXPECT_EQ(v->activity, core::ActivityStatus::kActive);
  EXPECT_EQ(v->current_operation, "Processing leads");
  recorder_.Take();
  bool raised = false;
  for (int i = 0; i < 40 && !raised; ++i) {
    Step(milliseconds(100));
    for (const auto& a : OfKind(recorder_.Take(), EngineEventKind::kAlert)) {
      raised |= a.alert->alert.type == "stuck_execution";
    }
  }
  EXPECT_TRUE(raised);
  EXPECT_EQ(monitor_->GetAgent("acme", "worker")->stuck_executions, 1);
}

TEST_F(MonitorTest, MonitorPauseConvictsNoAgent) {
  ASSERT_NO_FATAL_FAILURE(HeartbeatingAgent("hb", seconds(5)));
  Step(seconds(1));
  recorder_.Take();
  Step(minutes(5));  // the monitor was suspended for five minutes
  EXPECT_TRUE(OfKind(recorder_.Take(), EngineEventKind::kTransition).empty());
  EXPECT_GT(monitor_->pause_total(), minutes(4));
  auto v = monitor_->GetAgent("acme", "hb");
  EXPECT_EQ(v->heartbeat->state, core::HeartbeatState::kHealthy);
  // Real silence after the pause still counts.
  for (int i = 0; i < 60; ++i) Step(milliseconds(100));
  EXPECT_EQ(monitor_->GetAgent("acme", "hb")->heartbeat->state, core::HeartbeatState::kDegraded);
}

TEST_F(MonitorTest, HeldLivenessConvictsNoAgentWhileTheMonitorTicks) {
  ASSERT_NO_FATAL_FAILURE(HeartbeatingAgent("hb", seconds(5)));
  recorder_.Take();
  monitor_->HoldLiveness(true);  // ticking on time, but deaf (a cluster node cut off)
  EXPECT_TRUE(monitor_->liveness_held());
  for (int i = 0; i < 300; ++i) Step(milliseconds(100));  // 30 s: six intervals
  EXPECT_TRUE(OfKind(recorder_.Take(), EngineEventKind::kTransition).empty());
  EXPECT_EQ(monitor_->GetAgent("acme", "hb")->heartbeat->state, core::HeartbeatState::kHealthy);
  EXPECT_GE(monitor_->pause_total(), seconds(29));
  monitor_->HoldLiveness(false);
  for (int i = 0; i < 60; ++i) Step(milliseconds(100));  // silence once it can hear again
  EXPECT_EQ(monitor_->GetAgent("acme", "hb")->heartbeat->state, core::HeartbeatState::kDegraded);
}

TEST_F(MonitorTest, RegisterUpdatePauseRemove) {
  core::AgentSettings s;
  s.name = "Sales Assistant";
  auto created = monitor_->RegisterAgent("acme", "sales", s);
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(*created);
  s.thresholds.latency_p95_healthy_ms = 50;
  EXPECT_FALSE(*monitor_->RegisterAgent("acme", "sales", s));
  EXPECT_EQ(monitor_->GetAgent("acme", "sales")->settings.thresholds.latency_p95_healthy_ms, 50);

  ASSERT_TRUE(monitor_->SetPaused("acme", "sales", true).ok());
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(monitor_->Ingest(Event("sales", false)).ok());
  Step(milliseconds(100));
  EXPECT_TRUE(OfKind(recorder_.Take(), EngineEventKind::kAlert).empty());
  EXPECT_EQ(monitor_->GetAgent("acme", "sales")->activity, core::ActivityStatus::kPaused);
  ASSERT_TRUE(monitor_->SetPaused("acme", "sales", false).ok());
  Step(milliseconds(100));
  EXPECT_FALSE(OfKind(recorder_.Take(), EngineEventKind::kAlert).empty());

  ASSERT_TRUE(monitor_->RemoveAgent("acme", "sales").ok());
  EXPECT_EQ(monitor_->GetAgent("acme", "sales").status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(monitor_->RemoveAgent("acme", "sales").code(), core::StatusCode::kNotFound);
  EXPECT_EQ(monitor_->agent_count(), 0u);
  EXPECT_TRUE(monitor_->OpenAlerts("acme").empty());
  Step(milliseconds(100));  // no dangling dirty or deadline entries
}

TEST_F(MonitorTest, InvalidSettingsAreRejectedNamingTheField) {
  core::AgentSettings s;
  s.thresholds.success_rate_healthy = 1.5;
  auto r = monitor_->RegisterAgent("acme", "bad", s);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("thresholds.success_rate"), std::string::npos);
  EXPECT_EQ(monitor_->agent_count(), 0u);
}

TEST_F(MonitorTest, UpdatesAreThrottledPerAgent) {
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(monitor_->Ingest(Event("busy", true)).ok());
    Step(milliseconds(100));
  }
  // 2 s of changes at 10 ticks/s: about one update per second, not twenty.
  auto updates = OfKind(recorder_.Take(), EngineEventKind::kHealthUpdate);
  EXPECT_GE(updates.size(), 2u);
  EXPECT_LE(updates.size(), 3u);
}

TEST_F(MonitorTest, AgentCapIsEnforced) {
  options_.max_agents = 2;
  Rebuild();
  EXPECT_TRUE(monitor_->Ingest(Event("a", true)).ok());
  EXPECT_TRUE(monitor_->Ingest(Event("b", true)).ok());
  EXPECT_EQ(monitor_->Ingest(Event("c", true)).code(), core::StatusCode::kResourceExhausted);
  EXPECT_TRUE(monitor_->Ingest(Event("a", true)).ok());
}

TEST_F(MonitorTest, SweepEvaluatesEveryAgentForTimeDecay) {
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(monitor_->Ingest(Event("a1", false)).ok());
  Step(milliseconds(100));
  EXPECT_EQ(monitor_->GetAgent("acme", "a1")->health.status, HealthStatus::kCritical);
  recorder_.Take();
  // Two hours later, with no new data, the sweep notices the failures have left both windows.
  // (The 5 consecutive failures remain: seed 000 clears the streak only on a success.)
  clock_.Advance(std::chrono::hours(2));
  monitor_->Tick();
  auto transitions = OfKind(recorder_.Take(), EngineEventKind::kTransition);
  ASSERT_EQ(transitions.size(), 1u);
  EXPECT_EQ(transitions[0].health.status, HealthStatus::kDegraded);
}

TEST(MonitorOptions, InvalidOptionsFailAtStartUp) {
  MonitorOptions o;
  o.shards = 0;
  core::FakeClock clock;
  EXPECT_THROW(Monitor(o, &clock), std::invalid_argument);
}

}  // namespace
}  // namespace vitals::engine

namespace vitals::engine {
namespace {

TEST_F(MonitorTest, CheckpointRestoreAndReplayCountEachExecutionOnce) {
  // Executions 1..10 stored and ingested; checkpoint; 11..15 stored and ingested (then a crash).
  std::vector<core::ExecutionEvent> all;
  for (int i = 0; i < 15; ++i) all.push_back(Event("a1", i % 5 != 0));
  auto ingest = [&](size_t from, size_t to) {
    std::vector<core::ExecutionEvent> batch(all.begin() + from, all.begin() + to);
    std::vector<int64_t> ids;
    for (size_t i = from; i < to; ++i) ids.push_back(static_cast<int64_t>(i + 1));
    std::vector<core::Status> results(batch.size());
    monitor_->IngestBatch(batch, results, ids);
  };
  ingest(0, 10);
  Step(milliseconds(100));
  int64_t replay_from = 0;
  auto checkpoints = monitor_->CollectCheckpoints(false, &replay_from);
  ASSERT_EQ(checkpoints.size(), 1u);
  EXPECT_EQ(replay_from, 10);
  ingest(10, 15);
  EXPECT_TRUE(monitor_->CollectCheckpoints(false, &replay_from).size() == 1u);  // dirty again

  // A new process: restore the first checkpoint, replay everything after it — and, as a crash
  // between ingest and checkpoint allows, some rows the checkpoint already has.
  Monitor restored(options_, &clock_);
  ASSERT_TRUE(
      restored.RestoreAgent("acme", "a1", nullptr, &checkpoints[0].blob, core::Duration(0)).ok());
  for (size_t i = 5; i < 15; ++i) restored.Replay(all[i], static_cast<int64_t>(i + 1), false);
  auto v = restored.GetAgent("acme", "a1");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->long_window.total, 15);
  EXPECT_EQ(v->long_window.failure, 3);
  EXPECT_EQ(v->operations_completed, 15u);
}

TEST_F(MonitorTest, WithAReorderWindowCheckpointsHoldExactlyTheIdsCounted) {
  options_.log_reorder_window = seconds(30);
  options_.checkpoint_refresh = minutes(2);
  Rebuild();
  // Ids 1..10 committed, 4, 6 and 9 still on their way (out of commit order).
  std::vector<core::ExecutionEvent> all;
  for (int i = 0; i < 10; ++i) all.push_back(Event("a1", i % 5 != 0));
  std::vector<core::ExecutionEvent> batch;
  std::vector<int64_t> ids;
  for (int64_t id : {1, 2, 3, 5, 7, 8, 10}) {
    batch.push_back(all[id - 1]);
    ids.push_back(id);
  }
  std::vector<core::Status> results(batch.size());
  monitor_->IngestBatch(batch, results, ids);
  Step(milliseconds(100));
  int64_t replay_from = -1;
  auto checkpoints = monitor_->CollectCheckpoints(false, &replay_from);
  ASSERT_EQ(checkpoints.size(), 1u);
  EXPECT_EQ(replay_from, 0);  // nothing is a window old yet
  EXPECT_TRUE(monitor_->Counted("acme", "a1", 8));
  EXPECT_FALSE(monitor_->Counted("acme", "a1", 9));
  EXPECT_FALSE(monitor_->Counted("acme", "other", 1));

  // A restore replaying every id after the checkpoint's floor counts the three missing ones.
  Monitor restored(options_, &clock_);
  ASSERT_TRUE(
      restored.RestoreAgent("acme", "a1", nullptr, &checkpoints[0].blob, core::Duration(0)).ok());
  for (int64_t id = checkpoints[0].log_floor + 1; id <= 10; ++id) {
    restored.Replay(all[id - 1], id, false);
  }
  auto v = restored.GetAgent("acme", "a1");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->long_window.total, 10);
  EXPECT_EQ(v->long_window.failure, 2);

  // An unchanged agent is checkpointed again once its position is older than the refresh, with
  // the floor raised to the largest id known a window ago.
  EXPECT_TRUE(monitor_->CollectCheckpoints(false, &replay_from).empty());
  Step(seconds(31));
  EXPECT_TRUE(monitor_->CollectCheckpoints(false, &replay_from).empty());
  EXPECT_EQ(replay_from, 10);
  Step(minutes(2) + seconds(30));
  checkpoints = monitor_->CollectCheckpoints(false, &replay_from);
  ASSERT_EQ(checkpoints.size(), 1u);
  EXPECT_EQ(checkpoints[0].log_floor, 10);
  EXPECT_TRUE(monitor_->Counted("acme", "a1", 9));  // presumed: it never came within the window
  EXPECT_TRUE(monitor_->CollectCheckpoints(false, &replay_from).empty());
}

}  // namespace
}  // namespace vitals::engine
