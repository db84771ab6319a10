// WorkerPool: runs a batch of independent tasks on a few threads, the caller included, and
// returns when all are done. Used for sweeps, the one evaluation big enough to split.
//
// Thread-safety: Run() may be called from one thread at a time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vitals::engine {

class WorkerPool {
 public:
  // `threads` counts the caller: 1 runs everything on the caller.
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Calls task(i, worker) for every i in [0, n), worker in [0, size()); each i exactly once.
  void Run(size_t n, const std::function<void(size_t task, int worker)>& task);
  int size() const { return static_cast<int>(threads_.size()) + 1; }

 private:
  void Work(int worker);
  void Drain(int worker);

  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable start_cv_;
  std::condition_variable done_cv_;
  uint64_t generation_ = 0;  // bumped per Run
  int busy_ = 0;             // helpers still in the current Run
  bool stop_ = false;
  const std::function<void(size_t, int)>* task_ = nullptr;
  size_t n_ = 0;
  std::atomic<size_t> next_{0};
};

}  // namespace vitals::engine
