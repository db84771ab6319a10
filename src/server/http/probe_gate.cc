#include "server/http/probe_gate.h"

#include <vector>

namespace vitals::server {

bool ProbeGate::Enter() {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return false;
  ++inside_;
  return true;
}

void ProbeGate::Leave() {
  std::lock_guard<std::mutex> lock(mu_);
  if (--inside_ == 0) idle_.notify_all();
}

uint64_t ProbeGate::Track(std::function<void()> cancel) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return 0;
  const uint64_t id = next_id_++;
  cancels_.emplace(id, std::move(cancel));
  return id;
}

void ProbeGate::Untrack(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  cancels_.erase(id);
}

void ProbeGate::Close() {
  std::vector<std::function<void()>> cancels;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    cancels.reserve(cancels_.size());
    for (auto& [id, cancel] : cancels_) cancels.push_back(std::move(cancel));
    cancels_.clear();
  }
  // Outside the lock: a cancel may complete work whose handler calls Untrack.
  for (auto& cancel : cancels) cancel();
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return inside_ == 0; });
}

bool ProbeGate::closed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_;
}

size_t ProbeGate::tracked() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancels_.size();
}

}  // namespace vitals::server
