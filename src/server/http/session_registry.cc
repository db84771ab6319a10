#include "server/http/session_registry.h"

#include <utility>

namespace vitals::server {

std::optional<SessionRegistry::Handle> SessionRegistry::Add(std::weak_ptr<Closable> session) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closing_) return std::nullopt;
  ++size_;
  return sessions_.insert(sessions_.end(), std::move(session));
}

void SessionRegistry::Remove(Handle handle) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(handle);
  if (--size_ == 0) empty_.notify_all();
}

void SessionRegistry::CloseAll() {
  std::vector<std::shared_ptr<Closable>> open;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
    open.reserve(size_);
    for (const auto& weak : sessions_) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  // Outside the lock: dropping the last reference may destroy a session, which calls Remove().
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

bool Registration::Register(SessionRegistry* registry, std::weak_ptr<Closable> session) {
  Release();
  std::optional<SessionRegistry::Handle> handle = registry->Add(std::move(session));
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

}  // namespace vitals::server
