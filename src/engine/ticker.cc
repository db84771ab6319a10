#include "engine/ticker.h"

namespace vitals::engine {

void Ticker::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void Ticker::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Ticker::Run() {
  // Steady time paces the ticks; the monitor reads its own clock for what they mean.
  auto next = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    monitor_.Tick();
    lock.lock();
    next += interval_;
    const auto now = std::chrono::steady_clock::now();
    if (next < now) next = now;  // behind (overloaded or suspended): do not burst to catch up
    cv_.wait_until(lock, next, [this] { return stop_; });
  }
}

}  // namespace vitals::engine
