// Engine benchmarks (make bench). Targets from the engine issue:
//   ingest >= 10,000,000 events/s on one core across 10,000 agents;
//   evaluation of 100,000 agents <= 50 ms.
#include <benchmark/benchmark.h>

#include <random>

#include "engine/monitor.h"

namespace vitals::engine {
namespace {

std::vector<core::ExecutionEvent> MakeEvents(size_t n, int agents, core::Timestamp t,
                                             uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> agent(0, agents - 1);
  std::lognormal_distribution<double> latency(std::log(400.0), 0.7);
  std::vector<core::ExecutionEvent> events(n);
  for (size_t i = 0; i < n; ++i) {
    core::ExecutionEvent& e = events[i];
    e.organization_id = "bench";
    e.agent_id = "agent-" + std::to_string(agent(rng));
    e.status = i % 50 == 0 ? "error" : "success";
    e.latency_ms = latency(rng);
    e.cost_usd = 0.0004;
    e.token_count = 350;
    e.timestamp = t;
  }
  return events;
}

// Single thread, batches of 1,000 across 10,000 agents, each batch fresh from the parser (hot in
// cache, as the HTTP layer hands it over); the agents' state is cold and random.
void BM_EngineIngest(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0));
  core::FakeClock clock;
  Monitor monitor(MonitorOptions{}, &clock);
  constexpr size_t kBatch = 1000;
  std::vector<std::vector<core::ExecutionEvent>> batches;
  for (uint64_t b = 0; b < 2; ++b) batches.push_back(MakeEvents(kBatch, agents, clock.Now(), b));
  std::vector<core::Status> results(kBatch);
  // Warm up: every agent exists and its sketches have grown to their latency range, so the timed
  // loop measures a running server, not agent creation.
  auto warm = MakeEvents(static_cast<size_t>(agents) * 300, agents, clock.Now(), 99);
  std::vector<core::Status> warm_results(warm.size());
  monitor.IngestBatch(warm, warm_results);
  size_t b = 0;
  for (auto _ : state) monitor.IngestBatch(batches[b++ & 1], results);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kBatch);
  state.counters["agents"] = static_cast<double>(monitor.agent_count());
}
BENCHMARK(BM_EngineIngest)->Arg(10'000)->Arg(1'000)->Unit(benchmark::kMicrosecond)->MinTime(2.0);

// A full sweep: every agent evaluated (windows advanced, health computed, alerts run, changes
// published). Arg 1: evaluation threads (the machine has 2 cores).
void BM_EvaluateAll(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0));
  core::FakeClock clock;
  MonitorOptions options;
  options.shards = 256;
  options.evaluation_threads = static_cast<int>(state.range(1));
  Monitor monitor(options, &clock);
  // Traffic spread over the last hour so every window and sketch holds data.
  const core::Timestamp start = clock.Now();
  for (int minute = 59; minute >= 0; --minute) {
    const core::Timestamp t = start - std::chrono::minutes(minute);
    auto events = MakeEvents(static_cast<size_t>(agents) * 2, agents, t, 100 + minute);
    std::vector<core::Status> results(events.size());
    clock.Set(t);
    monitor.IngestBatch(events, results);
  }
  monitor.EvaluateAll();
  for (auto _ : state) {
    clock.Advance(std::chrono::seconds(1));
    benchmark::DoNotOptimize(monitor.EvaluateAll());
  }
  state.counters["agents"] = static_cast<double>(monitor.agent_count());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * agents);
}
BENCHMARK(BM_EvaluateAll)
    ->Args({100'000, 1})
    ->Args({100'000, 2})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3.0);

}  // namespace
}  // namespace vitals::engine

BENCHMARK_MAIN();
