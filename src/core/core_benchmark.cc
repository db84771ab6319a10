// Core benchmarks (make bench): sketch accuracy on skewed data, sketch speed, and memory per
// agent. Accuracy and memory are reported as counters next to the timings.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "core/agent_state.h"
#include "core/latency_sketch.h"

namespace vitals::core {
namespace {

std::vector<double> LogNormal(size_t n) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> d(std::log(250.0), 1.0);
  std::vector<double> v(n);
  for (double& x : v) x = d(rng);
  return v;
}

std::vector<double> Bimodal(size_t n) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> fast(40, 6), slow(3500, 500);
  std::bernoulli_distribution pick_slow(0.25);
  std::vector<double> v(n);
  for (double& x : v) x = std::max(0.01, pick_slow(rng) ? slow(rng) : fast(rng));
  return v;
}

// Adds every value and reports, per quantile, the relative error against the exact value at the
// same rank (floor(q*(n-1)) of the sorted data).
void SketchError(benchmark::State& state, const std::vector<double>& values) {
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  LatencySketch sketch;
  for (auto _ : state) {
    LatencySketch s;
    for (double v : values) s.Add(v);
    benchmark::DoNotOptimize(s.count());
    sketch = s;
  }
  double worst = 0;
  for (auto [name, q] : {std::pair{"p50_err_pct", 0.5},
                         {"p95_err_pct", 0.95},
                         {"p99_err_pct", 0.99},
                         {"p999_err_pct", 0.999}}) {
    const double exact = sorted[static_cast<size_t>(q * static_cast<double>(sorted.size() - 1))];
    const double err = std::abs(*sketch.Quantile(q) - exact) / exact * 100;
    state.counters[name] = err;
    worst = std::max(worst, err);
  }
  state.counters["max_err_pct"] = worst;
  state.counters["sketch_bytes"] = static_cast<double>(sketch.MemoryUsage());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * values.size()));
}

void BM_SketchErrorLogNormal(benchmark::State& state) { SketchError(state, LogNormal(1'000'000)); }
void BM_SketchErrorBimodal(benchmark::State& state) { SketchError(state, Bimodal(1'000'000)); }
BENCHMARK(BM_SketchErrorLogNormal)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SketchErrorBimodal)->Unit(benchmark::kMillisecond);

// Memory of one agent after an hour of traffic at `rate` events/s with a wide latency spread
// (log-normal, sigma 1.5: p99/p1 ~ 1000x, past the sketch cap), and again once idle.
void BM_AgentMemory(benchmark::State& state) {
  const int rate = static_cast<int>(state.range(0));
  size_t with_traffic = 0, idle = 0;
  for (auto _ : state) {
    const Timestamp t0 = FromMicros(1'767'225'600'000'000);
    AgentState agent("org", "agent-1", std::make_shared<const AgentSettings>(), WindowConfig{}, t0,
                     Duration{0});
    std::mt19937_64 rng(3);
    std::lognormal_distribution<double> latency(std::log(300.0), 1.5);
    const int64_t step_us = 1'000'000 / rate;
    Timestamp t = t0;
    for (int64_t i = 0; i < int64_t{3600} * rate; ++i) {
      t += Duration(step_us);
      ExecutionSample s;
      s.timestamp = t;
      s.success = i % 9 != 0;
      s.latency_ms = latency(rng);
      agent.RecordExecution(s, t);
    }
    EvaluationPolicy policy;
    auto ids = [] { return std::string("alert_1"); };
    agent.Evaluate(t, Duration{0}, policy, ids);
    with_traffic = agent.MemoryUsage();
    agent.Evaluate(t + std::chrono::hours(2), Duration{0}, policy, ids);
    idle = agent.MemoryUsage();
  }
  state.counters["bytes_with_traffic"] = static_cast<double>(with_traffic);
  state.counters["bytes_idle"] = static_cast<double>(idle);
}
BENCHMARK(BM_AgentMemory)->Arg(10)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace vitals::core

BENCHMARK_MAIN();
