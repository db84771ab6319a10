#include "engine/worker_pool.h"

namespace vitals::engine {

WorkerPool::WorkerPool(int threads) {
  for (int w = 1; w < threads; ++w) threads_.emplace_back([this, w] { Work(w); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  start_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::Drain(int worker) {
  for (size_t i = next_.fetch_add(1); i < n_; i = next_.fetch_add(1)) (*task_)(i, worker);
}

void WorkerPool::Run(size_t n, const std::function<void(size_t, int)>& task) {
  if (threads_.empty() || n < 2) {
    for (size_t i = 0; i < n; ++i) task(i, 0);
    return;
  }
  {
    std::lock_guard lock(mu_);
    task_ = &task;
    n_ = n;
    next_.store(0);
    busy_ = static_cast<int>(threads_.size());
    ++generation_;
  }
  start_cv_.notify_all();
  Drain(0);
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [this] { return busy_ == 0; });
  task_ = nullptr;
}

void WorkerPool::Work(int worker) {
  uint64_t seen = 0;
  std::unique_lock lock(mu_);
  while (true) {
    start_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
    if (stop_) return;
    seen = generation_;
    lock.unlock();
    Drain(worker);
    lock.lock();
    if (--busy_ == 0) done_cv_.notify_one();
  }
}

}  // namespace vitals::engine
