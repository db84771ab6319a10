// Shared by the tests of the monitor's non-agent sources: a listener keeping alert changes and
// a fixture with a fake clock.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/monitor.h"

namespace vitals::engine::sources_test {

using core::AlertChangeKind;
using core::AlertSeverity;
using core::AlertSource;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

class Recorder final : public MonitorListener {
 public:
  void OnEvents(std::span<const EngineEvent> events) override {
    std::lock_guard lock(mu_);
    for (const EngineEvent& e : events) {
      if (e.kind == EngineEventKind::kAlert) alerts_.push_back(*e.alert);
    }
  }
  std::vector<core::AlertChange> Take() {
    std::lock_guard lock(mu_);
    return std::exchange(alerts_, {});
  }

 private:
  std::mutex mu_;
  std::vector<core::AlertChange> alerts_;
};

class MonitorSourcesTest : public ::testing::Test {
 protected:
  MonitorSourcesTest() { Rebuild(); }
  void Rebuild() {
    if (monitor_) monitor_->RemoveListener(&recorder_);
    monitor_ = std::make_unique<Monitor>(options_, &clock_);
    monitor_->AddListener(&recorder_);
  }
  void Step(core::Duration d = milliseconds(100)) {
    clock_.Advance(d);
    monitor_->Tick();
  }
  core::Status Disk(std::optional<AlertSeverity> severity) {
    return monitor_->SetCondition("acme", AlertSource::kSystem, "host-1", "disk", severity,
                                  severity ? "disk / at 91%" : "", R"({"mount":"/"})");
  }
  core::ExecutionEvent Call(std::string agent, bool ok, double latency,
                            std::string integration = "slack") {
    core::ExecutionEvent e;
    e.organization_id = "acme";
    e.agent_id = std::move(agent);
    e.action_type = "api_call";
    e.status = ok ? "success" : "error";
    e.latency_ms = latency;
    e.integration_id = std::move(integration);
    e.timestamp = clock_.Now();
    return e;
  }
  void Calls(int n, int failures, double latency) {
    std::vector<core::ExecutionEvent> events;
    for (int i = 0; i < n; ++i)
      events.push_back(Call("a" + std::to_string(i % 3), i >= failures, latency));
    std::vector<core::Status> results(events.size());
    monitor_->IngestBatch(events, results);
    for (const core::Status& s : results) ASSERT_TRUE(s.ok()) << s.ToString();
  }
  static std::vector<core::AlertChange> OfType(const std::vector<core::AlertChange>& all,
                                               std::string_view type) {
    std::vector<core::AlertChange> out;
    for (const auto& c : all) {
      if (c.alert.type == type) out.push_back(c);
    }
    return out;
  }

  core::FakeClock clock_;
  MonitorOptions options_;
  Recorder recorder_;
  std::unique_ptr<Monitor> monitor_;
};

}  // namespace vitals::engine::sources_test
