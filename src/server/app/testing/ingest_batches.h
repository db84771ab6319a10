// Ingest batches for the server benchmarks: bodies built before the clock starts, with a serial
// stamped into every execution_id per send so no request repeats one.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "server/http/http_client.h"

namespace vitals::server::testing {

// A batch whose execution ids begin with a fixed-width serial, rewritten before each send: the
// server stores a retry (same agent, execution_id and content) once, so no request may repeat one.
struct BatchTemplate {
  std::string body;
  std::vector<size_t> serial_at;  // where each execution_id's serial begins
};
inline constexpr size_t kSerialDigits = 10;

inline BatchTemplate Batch(std::mt19937_64& rng, int agents, int n,
                           const std::string& prefix = "agent-") {
  BatchTemplate t;
  t.body.reserve(static_cast<size_t>(n) * 180);
  t.body += '[';
  for (int i = 0; i < n; ++i) {
    if (i) t.body += ',';
    t.body += R"({"agent_id":")" + prefix + std::to_string(rng() % static_cast<uint64_t>(agents)) +
              R"(","execution_id":"e)";
    t.serial_at.push_back(t.body.size());
    t.body += std::string(kSerialDigits, '0') + "-" + std::to_string(i) +
              R"(","action_type":"llm_call","status":")" + (rng() % 50 ? "success" : "error") +
              R"(","latency_ms":)" + std::to_string(50 + rng() % 2000) +
              R"(,"token_count":420,"cost_usd":0.0004})";
  }
  t.body += ']';
  return t;
}

// `t`'s body with `serial` in every execution_id, in `out` (reused: no allocation once grown).
inline void Stamp(const BatchTemplate& t, uint64_t serial, std::string& out) {
  out = t.body;
  char digits[kSerialDigits + 1];
  std::snprintf(digits, sizeof digits, "%010llu",
                static_cast<unsigned long long>(serial % 10'000'000'000ULL));
  for (size_t at : t.serial_at) std::memcpy(&out[at], digits, kSerialDigits);
}

inline Headers Json() {
  Headers h;
  h.Add("Content-Type", "application/json");
  return h;
}

struct IngestTally {
  std::atomic<uint64_t> accepted{0}, refused{0}, failed{0};
};

// Writer `w` of `writers`: posts `bodies` in turn, each with a fresh serial (`serial_base` +
// its turn), to 127.0.0.1:`port` until `stop`; counts accepted events and refused or failed
// batches. 429/503 are backpressure: the writer pauses briefly and goes on with the next batch.
inline void WriteBatches(uint16_t port, const std::vector<BatchTemplate>& bodies, size_t w,
                         size_t writers, uint64_t serial_base, uint64_t batch_size,
                         const std::atomic<bool>& stop, IngestTally& tally) {
  HttpClient c("127.0.0.1", port);
  std::string body;
  for (uint64_t i = w; !stop.load(); i += writers) {
    Stamp(bodies[i % bodies.size()], serial_base + i, body);
    auto r = c.Request(Method::kPost, "/api/v1/executions", body, Json(), std::chrono::seconds(30));
    if (!r.ok()) {
      ++tally.failed;
    } else if (r->status == 200) {
      tally.accepted += batch_size;
    } else {
      ++tally.refused;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

}  // namespace vitals::server::testing
