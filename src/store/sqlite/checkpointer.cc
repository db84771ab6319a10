#include "store/sqlite/checkpointer.h"

#include <pthread.h>

#include <cstdio>

namespace vitals::store {

core::Status Checkpointer::Start(const std::string& path) {
  if (core::Status s = db_.Open(path, SQLITE_OPEN_READWRITE); !s.ok()) return s;
  // A connection learns that the database is in WAL mode, and opens the WAL, with its first read
  // transaction; until then a checkpoint through it is a no-op that reports success.
  if (core::Status s = db_.Exec("SELECT COUNT(*) FROM sqlite_schema"); !s.ok()) return s;
  thread_ = std::thread([this] { Run(); });
  return core::Status::Ok();
}

void Checkpointer::Request() {
  {
    std::lock_guard lock(mu_);
    requested_ = true;
  }
  cv_.notify_one();
}

void Checkpointer::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::Run() {
  pthread_setname_np(pthread_self(), "vitals-ckpt");
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return requested_ || stop_; });
    if (stop_) return;
    requested_ = false;
    lock.unlock();
    const int rc =
        sqlite3_wal_checkpoint_v2(db_.db(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      std::fprintf(stderr, "vitals store: checkpoint of %s failed: %s\n", db_.path().c_str(),
                   sqlite3_errstr(rc));
    }
    lock.lock();
  }
}

}  // namespace vitals::store
