#include "cluster/realtime_counters.h"

#include <pthread.h>

#include <chrono>

namespace vitals::cluster {

RealtimeCounters::RealtimeCounters(RealtimeCountersOptions options, const core::Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

RealtimeCounters::~RealtimeCounters() { Stop(); }

void RealtimeCounters::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "vitals-counters");
    Loop();
  });
}

void RealtimeCounters::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RealtimeCounters::Add(std::span<const core::ExecutionEvent> events) {
  if (events.empty()) return;
  const core::Timestamp now = clock_.Now();
  std::lock_guard lock(mu_);
  for (const core::ExecutionEvent& e : events) pending_.Add(e, now);
  if (pending_.keys() > options_.max_keys) {
    // Redis has been away long enough that the delta outgrew its bound: start over rather than
    // grow without limit (the store still has every event).
    dropped_.fetch_add(pending_.keys(), std::memory_order_relaxed);
    pending_ = CounterDeltas();
  }
}

void RealtimeCounters::Loop() {
  RedisClient redis(options_.endpoint);
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::milliseconds(options_.interval_ms));
    lock.unlock();
    PublishOnce(redis);
    lock.lock();
  }
  lock.unlock();
  PublishOnce(redis);
}

void RealtimeCounters::PublishOnce(RedisClient& redis) {
  CounterDeltas batch;
  {
    std::lock_guard lock(mu_);
    if (pending_.empty()) return;
    std::swap(batch, pending_);
  }
  // One transaction: a batch is counted entirely or not at all, so a retry never counts twice
  // (short of the connection dying between EXEC and its reply).
  std::vector<RedisCommand> commands = {{"MULTI"}};
  batch.AppendCommands(commands);
  const size_t count = commands.size() - 1;
  commands.push_back({"EXEC"});
  auto replies = redis.Pipeline(commands);
  if (replies.ok() && !replies->empty() && !replies->back().is_nil() &&
      !replies->back().is_error()) {
    // Errors inside EXEC (a key of the wrong type, made by something else) are not retried.
    publications_.fetch_add(1, std::memory_order_relaxed);
    commands_.fetch_add(count, std::memory_order_relaxed);
    return;
  }
  errors_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(mu_);  // the batch goes back, ahead of what came in meanwhile
  batch.Merge(std::move(pending_));
  pending_ = std::move(batch);
}

RealtimeCountersStats RealtimeCounters::stats() const {
  RealtimeCountersStats s;
  s.publications = publications_.load(std::memory_order_relaxed);
  s.commands = commands_.load(std::memory_order_relaxed);
  s.errors = errors_.load(std::memory_order_relaxed);
  s.dropped = dropped_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace vitals::cluster
