// Backend-neutral helpers for Store tests: row builders and synchronous wrappers over the
// asynchronous appends. Shared by the SQLite suite and the contract suite over every backend.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "store/store.h"

namespace vitals::store::testing {

inline constexpr int64_t kDayUs = 86'400'000'000;
inline constexpr int64_t kHourUs = 3'600'000'000;

// Unique per call, so that rows made alike are not taken for a client's retry of each other.
inline ExecutionWrite MakeExecution(const std::string& org, const std::string& agent,
                                    core::Timestamp ts, const std::string& status = "success",
                                    bool started_only = false) {
  ExecutionWrite w;
  w.event.organization_id = org;
  w.event.agent_id = agent;
  static std::atomic<uint64_t> made{0};
  w.event.execution_id = agent + "@" + std::to_string(core::ToMicros(ts)) + "#" +
                         std::to_string(made.fetch_add(1, std::memory_order_relaxed));
  w.event.action_type = "llm_call";
  w.event.status = status;
  w.event.latency_ms = 120.5;
  w.event.timestamp = ts;
  w.started_only = started_only;
  w.received_at = ts + std::chrono::milliseconds(3);
  return w;
}

// `count` executions at `at`, spread round-robin over agents "<prefix>0" to "<prefix><agents-1>".
inline std::vector<ExecutionWrite> MakeExecutionsAt(const std::string& org,
                                                    const std::string& prefix, int agents,
                                                    core::Timestamp at, int count) {
  std::vector<ExecutionWrite> rows;
  rows.reserve(count);
  for (int i = 0; i < count; ++i)
    rows.push_back(MakeExecution(org, prefix + std::to_string(i % agents), at));
  return rows;
}

// An open alert of agent "bot", raised (and last updated) at `raised`.
inline core::Alert MakeAlert(const std::string& org, const std::string& id,
                             core::AlertSeverity severity, core::Timestamp raised) {
  core::Alert a;
  a.id = id;
  a.organization_id = org;
  a.severity = severity;
  a.source_id = "bot";
  a.type = "health";
  a.message = "degraded";
  a.raised_at = raised;
  a.updated_at = raised;
  return a;
}

// An ExecutionQuery built by chained setters.
struct Q {
  Q(std::string org, std::string agent) {
    q.organization_id = std::move(org);
    q.agent_id = std::move(agent);
  }
  Q& From(core::Timestamp t) { return q.from = t, *this; }
  Q& To(core::Timestamp t) { return q.to = t, *this; }
  Q& Status(std::string s) { return q.status = std::move(s), *this; }
  Q& Started() { return q.include_started = true, *this; }
  Q& Limit(int n) { return q.limit = n, *this; }
  operator ExecutionQuery() const { return q; }  // NOLINT(google-explicit-constructor)
  ExecutionQuery q;
};

// Appends and waits for the commit; fails the test on error.
inline std::vector<int64_t> Append(Store& store, std::vector<ExecutionWrite> rows) {
  std::promise<std::pair<core::Status, std::vector<int64_t>>> p;
  store.AppendExecutions(std::move(rows), [&p](core::Status s, std::span<const int64_t> ids) {
    p.set_value({std::move(s), std::vector<int64_t>(ids.begin(), ids.end())});
  });
  auto [status, ids] = p.get_future().get();
  EXPECT_TRUE(status.ok()) << status.ToString();
  return ids;
}

inline core::Status AppendHeartbeats(Store& store, std::vector<StoredHeartbeat> rows) {
  std::promise<core::Status> p;
  store.AppendHeartbeats(std::move(rows), [&p](core::Status s) { p.set_value(std::move(s)); });
  return p.get_future().get();
}

}  // namespace vitals::store::testing
