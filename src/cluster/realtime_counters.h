// RealtimeCounters: publishes seed 000's per-agent minute and hour counters to Redis (layout in
// counter_deltas.h), batched per tick: ingest threads add finished executions to an in-memory
// delta, and one thread sends the delta as a single pipeline every `interval_ms`. A failed
// publication keeps its delta for the next tick (up to `max_keys` keys; beyond that the oldest
// deltas are dropped and counted), so a Redis restart loses nothing the node still holds.
//
// Thread-safe. Owns one thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <span>
#include <thread>

#include "cluster/counter_deltas.h"
#include "cluster/redis_client.h"
#include "core/clock.h"

namespace vitals::cluster {

struct RealtimeCountersOptions {
  RedisEndpoint endpoint;
  int interval_ms = 1000;
  size_t max_keys = 200'000;
};

struct RealtimeCountersStats {
  uint64_t publications = 0;  // pipelines Redis accepted
  uint64_t commands = 0;      // commands in them
  uint64_t errors = 0;        // publications that failed (their deltas kept)
  uint64_t dropped = 0;       // keys' deltas dropped because too many were waiting
};

class RealtimeCounters final {
 public:
  RealtimeCounters(RealtimeCountersOptions options, const core::Clock& clock);
  ~RealtimeCounters();
  RealtimeCounters(const RealtimeCounters&) = delete;
  RealtimeCounters& operator=(const RealtimeCounters&) = delete;

  void Start();
  // Publishes what is pending (one last try) and stops the thread.
  void Stop();
  // Never blocks on Redis.
  void Add(std::span<const core::ExecutionEvent> events);
  RealtimeCountersStats stats() const;

 private:
  void Loop();
  void PublishOnce(RedisClient& redis);

  const RealtimeCountersOptions options_;
  const core::Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  CounterDeltas pending_;  // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::atomic<uint64_t> publications_{0}, commands_{0}, errors_{0}, dropped_{0};
  std::thread thread_;
};

}  // namespace vitals::cluster
