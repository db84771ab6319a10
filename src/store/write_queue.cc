#include "store/write_queue.h"

#include <algorithm>

namespace vitals::store {
namespace {

constexpr size_t kMinGroupBatches = 16;

size_t RowsOf(const BackgroundBatch& b) {
  return std::visit([](const auto& rows) { return rows.size(); }, b);
}

}  // namespace

bool WriteQueue::Push(ExecutionBatch& batch) {
  {
    std::lock_guard lock(mu_);
    if (!AdmitLocked(batch.rows.size())) return false;
    pending_.acknowledged_rows += batch.rows.size();
    depth_.store(pending_.acknowledged_rows, std::memory_order_relaxed);
    pending_.executions.push_back(std::move(batch));
  }
  cv_.notify_one();
  return true;
}

bool WriteQueue::Push(HeartbeatBatch& batch) {
  {
    std::lock_guard lock(mu_);
    if (!AdmitLocked(batch.rows.size())) return false;
    pending_.acknowledged_rows += batch.rows.size();
    depth_.store(pending_.acknowledged_rows, std::memory_order_relaxed);
    pending_.heartbeats.push_back(std::move(batch));
  }
  cv_.notify_one();
  return true;
}

bool WriteQueue::Push(WriteJob& job) {
  {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    pending_.jobs.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

void WriteQueue::Push(BackgroundBatch batch) {
  const size_t rows = RowsOf(batch);
  if (rows == 0) return;
  {
    std::lock_guard lock(mu_);
    if (closed_) {
      background_dropped_.fetch_add(rows, std::memory_order_relaxed);
      return;
    }
    pending_.background.push_back(std::move(batch));
    background_rows_ += rows;
    // Drops whole batches, oldest first, but never the one just pushed.
    while (background_rows_ > background_capacity_ && pending_.background.size() > 1) {
      const size_t dropped = RowsOf(pending_.background.front());
      pending_.background.pop_front();
      background_rows_ -= dropped;
      background_dropped_.fetch_add(dropped, std::memory_order_relaxed);
    }
  }
  cv_.notify_one();
}

WriteGroup WriteQueue::Take(std::chrono::steady_clock::time_point deadline) {
  // The next group's batch vector, sized like the last group's and allocated before the lock
  // every push waits on: one allocation instead of growth by doubling under it (each step moving
  // every batch, the larger steps taking malloc's slow path).
  std::vector<ExecutionBatch> next_executions;
  next_executions.reserve(next_group_batches_);
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, deadline, [&] { return closed_ || !pending_.empty(); });
  WriteGroup group = std::move(pending_);
  pending_ = WriteGroup();
  pending_.executions = std::move(next_executions);
  depth_.store(0, std::memory_order_relaxed);
  background_rows_ = 0;
  group.closed = closed_;
  lock.unlock();
  next_group_batches_ = std::max(kMinGroupBatches, group.executions.size());
  return group;
}

void WriteQueue::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

size_t WriteQueue::depth() const { return depth_.load(std::memory_order_relaxed); }

uint64_t WriteQueue::background_dropped() const {
  return background_dropped_.load(std::memory_order_relaxed);
}

}  // namespace vitals::store
