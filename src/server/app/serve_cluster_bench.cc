// Durable batched ingest through 1, 2 and 3 `vitals serve` nodes sharing one PostgreSQL store
// and one redis-server (issue 16), all on this machine; run by `make bench` under
// with_databases.sh (which exports VITALS_TEST_POSTGRES_URL and VITALS_TEST_REDIS_URL).
// Six writers send batches of 1,000 executions round-robin over the nodes for --seconds.
// Usage: serve_cluster_bench [--seconds N] [--nodes 1,2,3] (make bench runs each count against
// fresh servers: runs in one database see the earlier runs' log when nodes restore agents)
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <thread>

#include "server/app/testing/ingest_batches.h"
#include "server/app/testing/server_process.h"

namespace vitals::server::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

void Run(int nodes, int seconds, const std::string& store, const std::string& redis_base) {
  const std::string redis = redis_base + std::to_string(nodes);  // a database per run
  std::vector<std::unique_ptr<ServerProcess>> servers;
  for (int i = 0; i < nodes; ++i) {
    servers.push_back(std::make_unique<ServerProcess>(
        ServerProcess::DefaultBinary(), store,
        std::vector<std::string>{"--redis", redis, "--node-id", "bench" + std::to_string(i),
                                 "--collect-system", "false"}));
    if (!servers.back()->Start().ok()) {
      std::fprintf(stderr, "node did not start: %s\n", servers.back()->LogTail().c_str());
      std::exit(1);
    }
  }
  std::this_thread::sleep_for(2s);  // every node's view holds every member
  constexpr int kWriters = 6, kAgents = 10'000, kBatch = 1'000;
  std::vector<BatchTemplate> bodies;
  std::mt19937_64 rng(static_cast<uint64_t>(nodes));
  for (int i = 0; i < 24; ++i) bodies.push_back(Batch(rng, kAgents, kBatch));
  std::atomic<bool> stop{false};
  IngestTally tally;
  std::vector<std::thread> writers;
  const auto start = Clock::now();
  for (int w = 0; w < kWriters; ++w) {
    // Serials distinct across runs in one database, which keeps every earlier run's rows.
    writers.emplace_back([&, w] {
      WriteBatches(servers[static_cast<size_t>(w % nodes)]->port(), bodies, w, kWriters,
                   static_cast<uint64_t>(nodes) * 1'000'000'000, kBatch, stop, tally);
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& t : writers) t.join();
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf(
      "cluster_ingest nodes=%d  events_per_s=%.0f  seconds=%.1f  refused=%llu  errors=%llu\n",
      nodes, static_cast<double>(tally.accepted.load()) / secs, secs,
      static_cast<unsigned long long>(tally.refused.load()),
      static_cast<unsigned long long>(tally.failed.load()));
  std::fflush(stdout);
}

}  // namespace
}  // namespace vitals::server::testing

int main(int argc, char** argv) {
  int seconds = 20;
  std::string nodes = "1,2,3";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--seconds") seconds = std::atoi(argv[i + 1]);
    if (std::string(argv[i]) == "--nodes") nodes = argv[i + 1];
  }
  const char* store = std::getenv("VITALS_TEST_POSTGRES_URL");
  const char* redis = std::getenv("VITALS_TEST_REDIS_URL");
  if (store == nullptr || redis == nullptr) {
    std::fprintf(stderr, "run under with_databases.sh\n");
    return 2;
  }
  std::string base(redis);
  base = base.substr(0, base.rfind('/') + 1);
  std::stringstream list(nodes);
  for (std::string n; std::getline(list, n, ',');) {
    vitals::server::testing::Run(std::atoi(n.c_str()), seconds, store, base);
  }
  return 0;
}
