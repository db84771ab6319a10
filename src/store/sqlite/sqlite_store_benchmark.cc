// SQLite store benchmark (make bench). Targets from the store issue, measured here with headroom
// for the HTTP layer: durable (synchronous=full) batched ingest >= 300,000 rows/s sustained, and
// one agent's latest 100 executions in <= 10 ms p99 while that ingest runs.
//
// Four producers each append a fixed number of 1,000-row batches across 10,000 agents, keeping a
// few batches in flight as concurrent HTTP requests would; a reader queries one agent's recent
// executions every few milliseconds throughout.
//
// Beside it, the fixed cost of one group commit: one-row appends, one at a time, so every row is
// its own commit. The requests of one group share that cost, so the single-event POST rate rises
// with the group size.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "store/sqlite/sqlite_store.h"

namespace vitals::store {
namespace {

constexpr int kProducers = 4;
constexpr int kBatchRows = 1000;
constexpr int kInFlight = 8;  // per producer
constexpr int kAgents = 10'000;

std::vector<ExecutionWrite> MakeBatch(std::mt19937_64& rng, int producer, int batch) {
  std::uniform_int_distribution<int> agent(0, kAgents - 1);
  std::lognormal_distribution<double> latency(std::log(400.0), 0.7);
  const core::Timestamp now = core::SystemClock::Instance()->Now();
  std::vector<ExecutionWrite> rows(kBatchRows);
  for (int i = 0; i < kBatchRows; ++i) {
    core::ExecutionEvent& e = rows[i].event;
    e.organization_id = "org-bench";
    e.agent_id = "agent-" + std::to_string(agent(rng));
    e.execution_id =
        "x" + std::to_string(producer) + "-" + std::to_string(batch) + "-" + std::to_string(i);
    e.action_type = "llm_call";
    e.action_name = "summarize";
    e.input_summary = "customer ticket #4411";
    e.output_summary = "summary, 3 bullet points";
    const bool failed = i % 50 == 0;
    e.status = failed ? "error" : "success";
    if (failed) e.error_message = "rate limited";
    e.latency_ms = latency(rng);
    e.token_count = 350;
    e.cost_usd = 0.0004;
    e.metadata_json = R"({"model":"gpt-4o"})";
    e.timestamp = now;
    rows[i].received_at = now;
  }
  return rows;
}

// Appends `batches` batches, at most kInFlight unacknowledged at a time.
void Produce(Store& store, int producer, int batches, std::atomic<uint64_t>& failures) {
  std::mt19937_64 rng(producer);
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  for (int b = 0; b < batches; ++b) {
    auto rows = MakeBatch(rng, producer, b);
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < kInFlight; });
      ++in_flight;
    }
    store.AppendExecutions(std::move(rows), [&](core::Status s, std::span<const int64_t>) {
      if (!s.ok()) failures.fetch_add(1);
      std::lock_guard lock(mu);
      --in_flight;
      cv.notify_one();
    });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return in_flight == 0; });
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

void BM_DurableIngestWithQueries(benchmark::State& state) {
  const int batches = static_cast<int>(state.range(0));
  std::string dir_pattern =
      (std::filesystem::temp_directory_path() / "vitals_bench_XXXXXX").string();
  const std::filesystem::path dir = mkdtemp(dir_pattern.data());
  for (auto _ : state) {
    SqliteOptions options;
    options.path = (dir / "bench.db").string();
    auto opened = OpenSqliteStore(options);
    if (!opened.ok()) {
      state.SkipWithError(opened.status().ToString().c_str());
      return;
    }
    Store& store = **opened;
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> failures{0};
    std::vector<double> latencies_ms;
    std::thread reader([&] {
      ExecutionQuery q;
      q.organization_id = "org-bench";
      q.agent_id = "agent-42";
      q.limit = 100;
      while (!stop.load()) {
        const auto t0 = std::chrono::steady_clock::now();
        auto rows = store.QueryExecutions(q);
        const auto t1 = std::chrono::steady_clock::now();
        if (!rows.ok()) failures.fetch_add(1);
        latencies_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; ++p) {
      producers.emplace_back([&, p] { Produce(store, p, batches, failures); });
    }
    for (auto& t : producers) t.join();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    stop = true;
    reader.join();
    const StoreStats stats = store.Stats();
    const double rows = static_cast<double>(kProducers) * batches * kBatchRows;
    state.SetIterationTime(seconds);
    state.counters["rows_per_s"] = rows / seconds;
    state.counters["query_p50_ms"] = Percentile(latencies_ms, 0.50);
    state.counters["query_p99_ms"] = Percentile(latencies_ms, 0.99);
    state.counters["query_max_ms"] = Percentile(latencies_ms, 1.0);
    state.counters["queries"] = static_cast<double>(latencies_ms.size());
    state.counters["commit_ms_avg"] = stats.commit_ms_total / static_cast<double>(stats.commits);
    state.counters["rows_per_commit"] = rows / static_cast<double>(stats.commits);
    state.counters["failures"] = static_cast<double>(failures.load());
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DurableIngestWithQueries)
    ->Arg(2500)  // batches per producer: 10 M rows, ~25-30 s at the target rate
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

// Appends one row and waits for its acknowledgement: with nothing else queued, one commit.
core::Status AppendOne(Store& store, const ExecutionWrite& row) {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<core::Status> result;
  store.AppendExecutions({row}, [&](core::Status s, std::span<const int64_t>) {
    std::lock_guard lock(mu);
    result = std::move(s);
    cv.notify_one();
  });
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return result.has_value(); });
  return *result;
}

// Arg: 1 for synchronous=full (the default), 0 for normal, which leaves out the WAL's fdatasync
// and so shows what that call costs. The CPU column is the whole process's (writer, checkpointer
// and this thread) per commit.
void BM_SingleRowCommit(benchmark::State& state) {
  // Past the first checkpoints, so the WAL is overwritten in place as in a running server rather
  // than grown (growing costs a block allocation and an inode write per commit).
  constexpr int kWarmUpCommits = 4000;
  std::string dir_pattern =
      (std::filesystem::temp_directory_path() / "vitals_bench_XXXXXX").string();
  const std::filesystem::path dir = mkdtemp(dir_pattern.data());
  SqliteOptions options;
  options.path = (dir / "bench.db").string();
  options.synchronous = state.range(0) == 1 ? "full" : "normal";
  auto opened = OpenSqliteStore(options);
  if (!opened.ok()) {
    state.SkipWithError(opened.status().ToString().c_str());
    return;
  }
  Store& store = **opened;
  std::mt19937_64 rng(7);
  const std::vector<ExecutionWrite> pool = MakeBatch(rng, 0, 0);
  size_t next = 0;
  uint64_t failures = 0;
  const auto append_next = [&] {
    // A fresh execution_id each time: a repeated one would be a retry, not stored again.
    ExecutionWrite row = pool[next % pool.size()];
    row.event.execution_id = "single-" + std::to_string(next++);
    if (!AppendOne(store, row).ok()) ++failures;
  };
  for (int i = 0; i < kWarmUpCommits; ++i) append_next();
  const StoreStats before = store.Stats();
  for (auto _ : state) append_next();
  const StoreStats after = store.Stats();
  const double commits = static_cast<double>(after.commits - before.commits);
  state.counters["commits"] = commits;
  state.counters["commit_us_avg"] =
      (after.commit_ms_total - before.commit_ms_total) * 1e3 / commits;
  state.counters["failures"] = static_cast<double>(failures);
  opened->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SingleRowCommit)
    ->Arg(1)
    ->Arg(0)
    ->Iterations(5000)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace vitals::store

BENCHMARK_MAIN();
