#include "store/sqlite/read_pool.h"

namespace vitals::store {
namespace {

// Statements of day tables that retention dropped would otherwise accumulate.
constexpr size_t kMaxCachedStatements = 256;

}  // namespace

core::Status ReadConnection::Open(const std::string& path, int cache_mb) {
  if (core::Status s = db_.Open(path, SQLITE_OPEN_READONLY); !s.ok()) return s;
  sqlite3_busy_timeout(db_.db(), 5000);
  return db_.Exec("PRAGMA cache_size = -" + std::to_string(int64_t{cache_mb} * 1024) +
                  "; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 268435456");
}

core::Result<Statement*> ReadConnection::Get(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    auto prepared = db_.Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    it = cache_.emplace(sql, std::move(prepared.value())).first;
  }
  it->second.Reset();
  used_.push_back(&it->second);
  return &it->second;
}

core::Status ReadConnection::Begin() {
  if (core::Status s = db_.Exec("BEGIN"); !s.ok()) return s;
  in_transaction_ = true;
  return core::Status::Ok();
}

void ReadConnection::Release() {
  for (Statement* s : used_) s->Reset();
  used_.clear();
  if (in_transaction_) {
    (void)db_.Exec("COMMIT");
    in_transaction_ = false;
  }
  if (cache_.size() > kMaxCachedStatements) cache_.clear();
}

ReadPool::Lease::~Lease() {
  if (c_ == nullptr) return;
  c_->Release();
  pool_->Return(c_);
}

core::Status ReadPool::Open(const std::string& path, int count, int cache_mb) {
  for (int i = 0; i < count; ++i) {
    auto c = std::make_unique<ReadConnection>();
    if (core::Status s = c->Open(path, cache_mb); !s.ok()) return s;
    free_.push_back(c.get());
    all_.push_back(std::move(c));
  }
  return core::Status::Ok();
}

ReadPool::Lease ReadPool::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !free_.empty(); });
  ReadConnection* c = free_.back();
  free_.pop_back();
  return Lease(this, c);
}

void ReadPool::Return(ReadConnection* c) {
  {
    std::lock_guard lock(mu_);
    free_.push_back(c);
  }
  cv_.notify_one();
}

}  // namespace vitals::store
