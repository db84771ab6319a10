#include "server/http/session_registry.h"

#include <utility>

namespace vitals::server {

std::optional<SessionRegistry::Handle> SessionRegistry::Add(std::weak_ptr<Closable> session,
                                                            const std::string& peer) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closing_) return std::nullopt;
  ++size_;
  ++per_peer_[peer];
  return sessions_.emplace(sessions_.end(), std::move(session), peer);
}

void SessionRegistry::Remove(Handle handle) {
  std::lock_guard<std::mutex> lock(mu_);
  auto peer = per_peer_.find(handle->peer);
  if (--peer->second == 0) per_peer_.erase(peer);
  sessions_.erase(handle);
  if (--size_ == 0) empty_.notify_all();
}

bool SessionRegistry::ShedOne() {
  std::shared_ptr<Closable> victim;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Linear, but only run when the server is full.
    Entry* lowest = nullptr;
    for (Entry& entry : sessions_) {
      const int64_t rank = entry.shed_rank.load(std::memory_order_relaxed);
      if (rank == 0 || (lowest != nullptr && rank >= lowest->shed_rank.load())) continue;
      if (entry.session.expired()) continue;
      lowest = &entry;
    }
    if (lowest == nullptr) return false;
    lowest->shed_rank.store(0, std::memory_order_relaxed);  // shed once
    victim = lowest->session.lock();
  }
  if (victim == nullptr) return false;
  // Outside the lock: dropping the last reference may destroy a session, which calls Remove().
  victim->Shed();
  return true;
}

std::vector<std::shared_ptr<Closable>> SessionRegistry::Open() {
  std::vector<std::shared_ptr<Closable>> open;
  open.reserve(size_);
  for (const Entry& entry : sessions_) {
    if (auto session = entry.session.lock()) open.push_back(std::move(session));
  }
  return open;
}

void SessionRegistry::DrainAll() {
  std::vector<std::shared_ptr<Closable>> open;
  {
    std::lock_guard<std::mutex> lock(mu_);
    open = Open();
  }
  for (const auto& session : open) session->Drain();
}

void SessionRegistry::CloseAll() {
  std::vector<std::shared_ptr<Closable>> open;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
    open = Open();
  }
  for (const auto& session : open) session->Shutdown();
}

bool SessionRegistry::WaitEmpty(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return empty_.wait_for(lock, timeout, [this] { return size_ == 0; });
}

size_t SessionRegistry::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return size_;
}

size_t SessionRegistry::CountFrom(const std::string& peer) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = per_peer_.find(peer);
  return it == per_peer_.end() ? 0 : it->second;
}

bool Registration::Register(SessionRegistry* registry, std::weak_ptr<Closable> session,
                            const std::string& peer) {
  Release();
  std::optional<SessionRegistry::Handle> handle = registry->Add(std::move(session), peer);
  if (!handle) return false;
  registry_ = registry;
  handle_ = *handle;
  return true;
}

void Registration::Release() {
  if (registry_ == nullptr) return;
  registry_->Remove(handle_);
  registry_ = nullptr;
}

void Registration::MarkLingering() { SetRank(1); }

void Registration::MarkWaitingForHead() {
  // Ranks above the lingering ones, in the order the waits began.
  SetRank(2 + std::chrono::steady_clock::now().time_since_epoch().count());
}

void Registration::MarkBusy() { SetRank(0); }

void Registration::SetRank(int64_t rank) {
  if (registry_ != nullptr) handle_->shed_rank.store(rank, std::memory_order_relaxed);
}

}  // namespace vitals::server
