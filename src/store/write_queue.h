// WriteQueue: what callers hand the writer thread, taken by it all at once for one group commit.
//
// Acknowledged rows (executions, heartbeats) are bounded by `capacity` rows: a push past it is
// refused, so the caller reports ResourceExhausted. Background records are bounded by
// `background_capacity` rows: past it the oldest are dropped and counted. Jobs (synchronous
// writes, retention steps, flushes) are few and unbounded.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <variant>
#include <vector>

#include "store/store.h"

namespace vitals::store {

class WriteContext;

struct ExecutionBatch {
  std::vector<ExecutionWrite> rows;
  std::function<void(core::Status, std::span<const int64_t>)> done;
};

struct HeartbeatBatch {
  std::vector<StoredHeartbeat> rows;
  Done done;
};

using BackgroundBatch =
    std::variant<std::vector<TransitionRecord>, std::vector<HealthRecord>, std::vector<core::Alert>,
                 std::vector<MetricRecord>, std::vector<Checkpoint>>;

// Runs inside the group's transaction. Its status reaches `done` after the commit (an error of
// the commit replaces it). `run` takes the SQLite writer's context; a backend without one
// (PostgreSQL runs its synchronous writes on connections of their own) queues jobs without
// `run`: markers whose `done` runs once everything queued before them is durable.
struct WriteJob {
  std::function<core::Status(WriteContext&)> run;
  Done done;
  bool seal = false;  // also seal the execution tail in this group
};

// Everything one group commit writes.
struct WriteGroup {
  std::vector<ExecutionBatch> executions;
  std::vector<HeartbeatBatch> heartbeats;
  std::deque<BackgroundBatch> background;
  std::vector<WriteJob> jobs;
  size_t acknowledged_rows = 0;
  bool closed = false;  // the queue is closed: this is the last group

  bool empty() const {
    return executions.empty() && heartbeats.empty() && background.empty() && jobs.empty();
  }
};

class WriteQueue {
 public:
  WriteQueue(size_t capacity, size_t background_capacity)
      : capacity_(capacity), background_capacity_(background_capacity) {}

  // False (the batch untouched) when full or closed.
  bool Push(ExecutionBatch& batch);
  bool Push(HeartbeatBatch& batch);
  // False when closed.
  bool Push(WriteJob& job);
  void Push(BackgroundBatch batch);

  // Waits until something is queued, the queue is closed, or `deadline`; then takes everything.
  // REQUIRES: one consumer (the writer thread); pushes may come from any thread.
  WriteGroup Take(std::chrono::steady_clock::time_point deadline);
  // Refuses further pushes; Take() then returns what is left, marked closed.
  void Close();

  // Read without the lock (every ingest request asks, for admission): a recent value, not one
  // ordered with Push.
  size_t depth() const;  // acknowledged rows queued
  size_t capacity() const { return capacity_; }
  uint64_t background_dropped() const;

 private:
  bool AdmitLocked(size_t rows) const {
    return !closed_ && rows <= capacity_ && pending_.acknowledged_rows + rows <= capacity_;
  }

  const size_t capacity_;
  const size_t background_capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  WriteGroup pending_;
  std::atomic<size_t> depth_{0};  // pending_.acknowledged_rows, mirrored for depth()
  size_t background_rows_ = 0;
  std::atomic<uint64_t> background_dropped_{0};
  bool closed_ = false;
  size_t next_group_batches_ = 0;  // capacity for the next group's batches; Take's caller only
};

}  // namespace vitals::store
