#include "store/postgres/pg_pool.h"

#include <algorithm>

namespace vitals::store {

PgPool::PgPool(const std::string& url, int timeout_ms, int size) {
  for (int i = 0; i < std::max(size, 1); ++i) {
    idle_.push_back(std::make_unique<PgConnection>(url, timeout_ms));
  }
}

PgPool::Lease PgPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return !idle_.empty(); });
  std::unique_ptr<PgConnection> c = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(c));
}

void PgPool::Release(std::unique_ptr<PgConnection> c) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(std::move(c));
  }
  cv_.notify_one();
}

}  // namespace vitals::store
