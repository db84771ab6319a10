// `vitals serve` benchmarks (make bench): the real binary on loopback, driven by real clients.
//   ingest   durable batched ingest over HTTP (batches of 1,000) and, meanwhile, the latency of
//            one agent's recent executions from the log
//   detect   first failing event, and missed heartbeat deadline, to health_transition on a
//            WebSocket client
//   read     GET /api/health/agent/{id} latency with 100,000 agents while ingesting
// Usage: serve_benchmark [ingest|detect|read|all] [--seconds N]
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>

#include "server/app/testing/ingest_batches.h"
#include "server/app/testing/server_process.h"
#include "server/http/http_client.h"
#include "server/http/websocket_client.h"

namespace vitals::server::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
}

struct Server {
  explicit Server(const std::string& name, std::vector<std::string> args = {}) {
    dir = std::filesystem::temp_directory_path() / ("vitals-bench-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    process = std::make_unique<ServerProcess>(ServerProcess::DefaultBinary(),
                                              (dir / "vitals.db").string(), std::move(args));
    if (!process->Start().ok()) {
      std::fprintf(stderr, "server did not start: %s\n", process->LogTail().c_str());
      std::exit(1);
    }
  }
  ~Server() {
    process->Stop();
    std::filesystem::remove_all(dir);
  }
  uint16_t port() const { return process->port(); }
  std::filesystem::path dir;
  std::unique_ptr<ServerProcess> process;
};

void Ingest(int seconds) {
  Server server("ingest");
  constexpr int kWriters = 6, kAgents = 10'000, kBatch = 1'000;
  // Bodies are built before the clock starts: the load generator shares the machine's 2 cores.
  std::vector<BatchTemplate> bodies;
  std::mt19937_64 rng(1);
  for (int i = 0; i < 24; ++i) bodies.push_back(Batch(rng, kAgents, kBatch));
  std::atomic<bool> stop{false};
  IngestTally tally;
  std::vector<std::thread> writers;
  const auto start = Clock::now();
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back(
        [&, w] { WriteBatches(server.port(), bodies, w, kWriters, 0, kBatch, stop, tally); });
  }
  std::vector<double> query_ms;
  std::thread reader([&] {
    HttpClient c("127.0.0.1", server.port());
    while (!stop.load()) {
      const auto t0 = Clock::now();
      auto r = c.Request(Method::kGet, "/api/v1/agents/agent-42/executions?limit=100");
      if (r.ok() && r->status == 200) query_ms.push_back(Ms(Clock::now() - t0));
      std::this_thread::sleep_for(50ms);
    }
  });
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& t : writers) t.join();
  reader.join();
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf(
      "ingest_http_batched  events_per_s=%.0f  seconds=%.1f  batches_refused=%llu  "
      "errors=%llu\n",
      static_cast<double>(tally.accepted.load()) / secs, secs,
      static_cast<unsigned long long>(tally.refused.load()),
      static_cast<unsigned long long>(tally.failed.load()));
  std::printf(
      "recent_executions_query_while_ingesting  p50_ms=%.2f  p99_ms=%.2f  max_ms=%.2f  "
      "samples=%zu\n",
      Percentile(query_ms, 0.5), Percentile(query_ms, 0.99), Percentile(query_ms, 1.0),
      query_ms.size());
}

// Waits for the health_transition of `agent` to `status`; returns when it arrived.
std::optional<Clock::time_point> AwaitTransition(WebSocketClient& ws, const std::string& agent,
                                                 std::string_view status) {
  const auto deadline = Clock::now() + 10s;
  simdjson::dom::parser p;
  while (Clock::now() < deadline) {
    auto m = ws.Read(100ms);
    if (!m.ok()) continue;
    simdjson::dom::element e;
    std::string_view type, id, to;
    if (p.parse(*m).get(e) || e["type"].get_string().get(type) || type != "health_transition") {
      continue;
    }
    if (e["data"]["agent_id"].get_string().get(id) || id != agent) continue;
    if (e["data"]["new_status"].get_string().get(to) || to != status) continue;
    return Clock::now();
  }
  return std::nullopt;
}

void Detect(int trials) {
  Server server("detect");
  HttpClient http("127.0.0.1", server.port());
  WebSocketClient ws;
  if (!ws.Connect("127.0.0.1", server.port(), "/ws/health").ok()) std::exit(1);
  std::mt19937_64 rng(5);
  std::vector<double> failure_ms, heartbeat_ms;
  for (int i = 0; i < trials; ++i) {
    const std::string agent = "detect-" + std::to_string(i);
    std::string healthy = "[";
    for (int k = 0; k < 20; ++k)
      healthy += std::string(k ? "," : "") + R"({"agent_id":")" + agent + R"("})";
    (void)http.Request(Method::kPost, "/api/v1/executions", healthy + "]", Json());
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + rng() % 100));  // baseline set
    std::string failing = "[";
    for (int k = 0; k < 6; ++k)
      failing += std::string(k ? "," : "") + R"({"agent_id":")" + agent + R"(","status":"error"})";
    const auto sent = Clock::now();
    (void)http.Request(Method::kPost, "/api/v1/executions", failing + "]", Json());
    if (auto at = AwaitTransition(ws, agent, "critical")) failure_ms.push_back(Ms(*at - sent));
  }
  for (int i = 0; i < trials / 4; ++i) {
    const std::string agent = "beat-" + std::to_string(i);
    (void)http.Request(Method::kPut, "/api/v1/agents/" + agent,
                       R"({"heartbeat":{"interval_ms":1000}})", Json());
    (void)http.Request(Method::kPost, "/api/v1/heartbeats", R"({"agent_id":")" + agent + R"("})",
                       Json());
    const auto deadline = Clock::now() + 1000ms;  // degraded from one interval of silence
    if (auto at = AwaitTransition(ws, agent, "degraded"))
      heartbeat_ms.push_back(Ms(*at - deadline));
  }
  std::printf(
      "detect_failing_event_to_transition  p50_ms=%.1f  p99_ms=%.1f  max_ms=%.1f  "
      "trials=%zu\n",
      Percentile(failure_ms, 0.5), Percentile(failure_ms, 0.99), Percentile(failure_ms, 1.0),
      failure_ms.size());
  std::printf(
      "detect_missed_heartbeat_to_transition  p50_ms=%.1f  p99_ms=%.1f  max_ms=%.1f  "
      "trials=%zu\n",
      Percentile(heartbeat_ms, 0.5), Percentile(heartbeat_ms, 0.99), Percentile(heartbeat_ms, 1.0),
      heartbeat_ms.size());
}

void Read(int seconds) {
  Server server("read");
  constexpr int kAgents = 100'000;
  {
    HttpClient c("127.0.0.1", server.port());
    for (int first = 0; first < kAgents; first += 1000) {
      std::string body = "[";
      for (int a = first; a < first + 1000; ++a) {
        body += std::string(a > first ? "," : "") + R"({"agent_id":"agent-)" + std::to_string(a) +
                R"(","latency_ms":120})";
      }
      (void)c.Request(Method::kPost, "/api/v1/executions", body + "]", Json(), 30s);
    }
  }
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    HttpClient c("127.0.0.1", server.port());
    std::mt19937_64 rng(9);
    std::vector<BatchTemplate> bodies;
    for (int i = 0; i < 8; ++i) bodies.push_back(Batch(rng, kAgents, 1000));
    std::string body;
    for (size_t i = 0; !stop.load(); ++i) {
      Stamp(bodies[i % bodies.size()], i, body);
      (void)c.Request(Method::kPost, "/api/v1/executions", body, Json(), 30s);
    }
  });
  std::vector<double> ms;
  HttpClient c("127.0.0.1", server.port());
  std::mt19937_64 rng(3);
  const auto end = Clock::now() + std::chrono::seconds(seconds);
  while (Clock::now() < end) {
    const std::string target = "/api/health/agent/agent-" + std::to_string(rng() % kAgents);
    const auto t0 = Clock::now();
    auto r = c.Request(Method::kGet, target);
    if (r.ok() && r->status == 200) ms.push_back(Ms(Clock::now() - t0));
  }
  stop = true;
  writer.join();
  std::printf(
      "get_agent_health_100k_agents_while_ingesting  p50_ms=%.3f  p99_ms=%.3f  "
      "max_ms=%.2f  requests=%zu\n",
      Percentile(ms, 0.5), Percentile(ms, 0.99), Percentile(ms, 1.0), ms.size());
}

}  // namespace
}  // namespace vitals::server::testing

int main(int argc, char** argv) {
  using namespace vitals::server::testing;
  const std::string what = argc > 1 ? argv[1] : "all";
  int seconds = 60;
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--seconds") seconds = std::atoi(argv[i + 1]);
  }
  if (what == "ingest" || what == "all") Ingest(seconds);
  if (what == "detect" || what == "all") Detect(100);
  if (what == "read" || what == "all") Read(std::max(10, seconds / 3));
  return 0;
}
