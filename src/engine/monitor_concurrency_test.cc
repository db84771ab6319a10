// Many threads ingest executions, starts and heartbeats while a Ticker evaluates and readers
// read; at the end every count must be exact. CI also runs this binary under ThreadSanitizer.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "engine/monitor.h"
#include "engine/ticker.h"

namespace vitals::engine {
namespace {

class CountingListener final : public MonitorListener {
 public:
  void OnEvents(std::span<const EngineEvent> events) override {
    count_.fetch_add(events.size(), std::memory_order_relaxed);
  }
  size_t count() const { return count_.load(); }

 private:
  std::atomic<size_t> count_{0};
};

TEST(MonitorConcurrency, ExactCountsUnderConcurrentIngestEvaluationAndReads) {
  constexpr int kWriters = 4;
  constexpr int kAgents = 50;
  constexpr int kBatches = 2000;
  constexpr int kBatchSize = 20;  // i % 4 == 0 fails: exactly a quarter

  MonitorOptions options;
  options.tick_interval = std::chrono::milliseconds(1);
  options.sweep_interval = std::chrono::milliseconds(20);
  options.shards = 8;
  Monitor monitor(options, core::SystemClock::Instance());
  CountingListener listener;
  monitor.AddListener(&listener);
  Ticker ticker(monitor, options.tick_interval);
  ticker.Start();

  std::atomic<bool> stop_readers{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&, r] {
      while (!stop_readers.load()) {
        (void)monitor.GetAgent("org" + std::to_string(r), "agent-7");
        (void)monitor.ListAgents("org0");
        (void)monitor.Summary("org1");
        for (const core::Alert& a : monitor.OpenAlerts("org0")) {
          (void)monitor.AcknowledgeAlert("org0", a.id, "reader");
        }
      }
    });
  }

  // Other sources: conditions, queue depths, checks and integration reads beside the ingest.
  std::thread sources([&] {
    for (int i = 0; !stop_readers.load(); ++i) {
      const std::optional<core::AlertSeverity> sev =
          i % 3 == 0 ? std::nullopt : std::optional(core::AlertSeverity::kWarning);
      ASSERT_TRUE(monitor
                      .SetCondition("org0", core::AlertSource::kSystem, "host", "cpu", sev,
                                    "cpu busy", "{}")
                      .ok());
      ASSERT_TRUE(monitor
                      .RecordQueueDepth("org1", "orchestrator", i % 300,
                                        core::SystemClock::Instance()->Now())
                      .ok());
      ASSERT_TRUE(monitor
                      .RecordCheckResult("org0", core::AlertSource::kIntegration, "int-0", "api",
                                         i % 2 == 0, 5, "x", core::SystemClock::Instance()->Now())
                      .ok());
      ASSERT_TRUE(monitor
                      .RecordCheckResult("org1", core::AlertSource::kAgent, "agent-3", "http",
                                         i % 2 == 0, 5, "x", core::SystemClock::Instance()->Now())
                      .ok());
      (void)monitor.ListIntegrations("org0");
      (void)monitor.QueueDepths("org1");
    }
  });

  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      const std::string org = "org" + std::to_string(w % 2);
      std::vector<core::ExecutionEvent> batch(kBatchSize);
      std::vector<core::Status> results(kBatchSize);
      for (int b = 0; b < kBatches; ++b) {
        for (int i = 0; i < kBatchSize; ++i) {
          core::ExecutionEvent& e = batch[i];
          e.organization_id = org;
          e.agent_id = "agent-" + std::to_string((b * kBatchSize + i) % kAgents);
          e.execution_id =
              "w" + std::to_string(w) + "-" + std::to_string(b) + "-" + std::to_string(i);
          e.status = i % 4 == 0 ? "error" : "success";
          e.latency_ms = 10 + i;
          e.integration_id = i % 2 == 0 ? "int-" + std::to_string(i % 3) : "";
          e.timestamp = core::SystemClock::Instance()->Now();
        }
        monitor.IngestBatch(batch, results);
        for (const core::Status& s : results) ASSERT_TRUE(s.ok()) << s.ToString();
        ASSERT_TRUE(
            monitor.RecordHeartbeat(org, "agent-" + std::to_string(b % kAgents), std::nullopt, "{}")
                .ok());
        core::ExecutionEvent start = batch[0];
        start.execution_id = "open-" + std::to_string(w) + "-" + std::to_string(b);
        ASSERT_TRUE(monitor.StartExecution(start).ok());
      }
    });
  }
  for (auto& t : writers) t.join();
  stop_readers = true;
  for (auto& t : readers) t.join();
  sources.join();
  ticker.Stop();
  monitor.EvaluateAll();

  const int64_t per_org_events = int64_t{kWriters / 2} * kBatches * kBatchSize;
  EXPECT_EQ(monitor.events_ingested(), static_cast<uint64_t>(per_org_events * 2));
  EXPECT_EQ(monitor.agent_count(), static_cast<size_t>(2 * kAgents));
  for (const std::string org : {"org0", "org1"}) {
    int64_t total = 0, failures = 0, in_flight = 0;
    uint64_t completed = 0, heartbeats = 0;
    for (int a = 0; a < kAgents; ++a) {
      auto v = monitor.GetAgent(org, "agent-" + std::to_string(a));
      ASSERT_TRUE(v.ok());
      total += v->long_window.total;
      failures += v->long_window.failure;
      completed += v->operations_completed;
      in_flight += static_cast<int64_t>(v->in_flight.size());
      if (v->heartbeat) heartbeats += v->heartbeat->total;
    }
    EXPECT_EQ(total, per_org_events) << org;
    EXPECT_EQ(failures, per_org_events / 4) << org;
    EXPECT_EQ(completed, static_cast<uint64_t>(per_org_events)) << org;
    EXPECT_EQ(in_flight, int64_t{kWriters / 2} * kBatches) << org;
    EXPECT_EQ(heartbeats, static_cast<uint64_t>(kWriters / 2 * kBatches)) << org;
  }
  for (const std::string org : {"org0", "org1"}) {
    uint64_t calls = 0;
    for (const core::IntegrationView& v : monitor.ListIntegrations(org)) calls += v.total_calls;
    EXPECT_EQ(calls, static_cast<uint64_t>(per_org_events / 2)) << org;
  }
  EXPECT_GT(listener.count(), 0u);
}

}  // namespace
}  // namespace vitals::engine
