// Ingest batches for the server benchmarks: bodies built before the clock starts, with a serial
// stamped into every execution_id per send so no request repeats one.
#pragma once

#include <cstdio>
#include <cstring>
#include <random>
#include <string>
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

}  // namespace vitals::server::testing
