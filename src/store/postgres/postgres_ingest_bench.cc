// make bench (issue 16): durable batched ingest through the PostgreSQL store, with COPY and with
// pipelined multi-row INSERT, beside the same run's ceiling — psql's \copy of the same rows into
// the same table — and the latency of an agent's executions read back. Runs under
// with_databases.sh (VITALS_TEST_PG_FSYNC=on for figures that include the server's fsync).
//
// Usage: postgres_ingest_bench [ROWS] [RUNS]
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "store/columns/execution_columns.h"
#include "store/postgres/pg_values.h"
#include "store/postgres/postgres_store.h"
#include "store/testing/pg_test_database.h"

namespace vitals::store {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kAgents = 1000;
constexpr size_t kBatch = 500;
constexpr int kInFlight = 8;

std::vector<ExecutionWrite> MakeRows(size_t n, core::Timestamp day_start) {
  std::vector<ExecutionWrite> rows(n);
  std::mt19937 rng(7);
  for (size_t i = 0; i < n; ++i) {
    core::ExecutionEvent& e = rows[i].event;
    e.organization_id = "org";
    e.agent_id = "agent-" + std::to_string(i % kAgents);
    e.execution_id = "run-" + std::to_string(i);
    e.action_type = "llm_call";
    e.action_name = "summarize";
    e.input_summary = "summarize the customer's last three tickets and draft a reply";
    e.status = rng() % 20 == 0 ? "error" : "success";
    e.latency_ms = 50 + rng() % 2000;
    e.token_count = 200 + rng() % 3000;
    e.cost_usd = 0.0012;
    e.timestamp = day_start + std::chrono::microseconds(3'600'000'000LL + static_cast<int64_t>(i));
    rows[i].received_at = e.timestamp;
  }
  return rows;
}

std::unique_ptr<Store> Open(const std::string& url, PgAppendMethod method) {
  PostgresOptions o;
  o.url = url;
  o.append_method = method;
  auto store = OpenPostgresStore(o);
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(store.value());
}

// Rows per second from the first append to the last acknowledgement, kInFlight batches at once.
double Ingest(Store& store, const std::vector<ExecutionWrite>& rows) {
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  bool failed = false;
  const auto start = Clock::now();
  for (size_t from = 0; from < rows.size(); from += kBatch) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < kInFlight; });
      ++in_flight;
    }
    std::vector<ExecutionWrite> batch(
        rows.begin() + static_cast<long>(from),
        rows.begin() + static_cast<long>(std::min(from + kBatch, rows.size())));
    store.AppendExecutions(std::move(batch), [&](core::Status s, std::span<const int64_t>) {
      std::lock_guard lock(mu);
      failed |= !s.ok();
      --in_flight;
      cv.notify_all();
    });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return in_flight == 0; });
  if (failed) std::fprintf(stderr, "some appends failed\n");
  return static_cast<double>(rows.size()) /
         std::chrono::duration<double>(Clock::now() - start).count();
}

// psql's \copy of the same rows (the same text encoding) into the same partitioned table.
double PsqlCeiling(const std::string& url, const std::vector<ExecutionWrite>& rows) {
  const std::string file = "/tmp/vitals-pg-bench-" + std::to_string(getpid()) + ".copy";
  {
    std::string data;
    int64_t id = 1'000'000'000;
    for (const ExecutionWrite& row : rows) {
      PgCopyRow copy(data);
      BindExecution(copy, 1, id++, row);
    }
    std::ofstream(file) << data;
  }
  const std::string cmd = "psql -q -X '" + url + "' -c \"\\copy agent_execution_logs (" +
                          kExecutionColumns + ") FROM '" + file + "'\"";
  const auto start = Clock::now();
  const int rc = std::system(cmd.c_str());
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::remove(file.c_str());
  if (rc != 0) std::fprintf(stderr, "psql failed: %d\n", rc);
  return static_cast<double>(rows.size()) / seconds;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void ReadLatency(Store& store) {
  std::mt19937 rng(11);
  std::vector<double> ms;
  for (int i = 0; i < 5000; ++i) {
    ExecutionQuery q;
    q.organization_id = "org";
    q.agent_id = "agent-" + std::to_string(rng() % kAgents);
    q.limit = 100;
    const auto start = Clock::now();
    auto rows = store.QueryExecutions(q);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (!rows.ok() || rows->empty()) std::fprintf(stderr, "read failed\n");
  }
  std::sort(ms.begin(), ms.end());
  std::printf(
      "agent read (QueryExecutions, newest 100 of one agent, %d agents): p50 %.3f ms, p99 %.3f "
      "ms\n",
      kAgents, ms[ms.size() / 2], ms[ms.size() * 99 / 100]);
}

}  // namespace
}  // namespace vitals::store

int main(int argc, char** argv) {
  using namespace vitals::store;
  const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 300'000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  const auto day = vitals::core::FromMicros(1'795'392'000'000'000);
  const std::vector<ExecutionWrite> rows = MakeRows(n, day);
  std::vector<double> copy, insert, ceiling;
  for (int run = 0; run < runs; ++run) {
    {
      testing::PgTestDatabase db;
      auto store = Open(db.url(), PgAppendMethod::kCopy);
      copy.push_back(Ingest(*store, rows));
      if (run == runs - 1) ReadLatency(*store);
    }
    {
      testing::PgTestDatabase db;
      auto store = Open(db.url(), PgAppendMethod::kPipelinedInsert);
      insert.push_back(Ingest(*store, rows));
    }
    {
      testing::PgTestDatabase db;
      {
        auto store = Open(db.url(), PgAppendMethod::kCopy);
        Ingest(*store, MakeRows(1, day));
      }
      ceiling.push_back(PsqlCeiling(db.url(), rows));
    }
  }
  const double c = Median(ceiling);
  std::printf("rows %zu, batches of %zu, %d in flight, median of %d runs\n", n, kBatch, kInFlight,
              runs);
  std::printf("psql \\copy ceiling:        %9.0f rows/s\n", c);
  std::printf("store, COPY:               %9.0f rows/s  (%.0f%% of the ceiling)\n", Median(copy),
              100 * Median(copy) / c);
  std::printf("store, pipelined INSERT:   %9.0f rows/s  (%.0f%% of the ceiling)\n", Median(insert),
              100 * Median(insert) / c);
  return 0;
}
