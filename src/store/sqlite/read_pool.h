// ReadPool: read-only connections, each lent to one reader at a time, so reads run beside the
// writer (WAL) and beside each other. A connection caches its prepared statements.
//
// Thread-safety: ReadPool is thread-safe; a ReadConnection is used by its lease holder only.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sqlite/connection.h"

namespace vitals::store {

class ReadConnection {
 public:
  core::Status Open(const std::string& path, int cache_mb);

  // The cached statement for `sql`, reset and ready to bind. It is reset again when the lease
  // ends, so no statement keeps a read snapshot (which would stop WAL checkpoints) open.
  core::Result<Statement*> Get(const std::string& sql);
  // Several statements that must see one snapshot run between Begin() and the end of the lease.
  core::Status Begin();
  // Resets the statements handed out and ends an open transaction.
  void Release();

 private:
  Connection db_;
  std::unordered_map<std::string, Statement> cache_;
  std::vector<Statement*> used_;
  bool in_transaction_ = false;
};

class ReadPool {
 public:
  class Lease {
   public:
    Lease(ReadPool* pool, ReadConnection* c) : pool_(pool), c_(c) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), c_(std::exchange(other.c_, nullptr)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    ReadConnection* operator->() const { return c_; }
    ReadConnection& operator*() const { return *c_; }

   private:
    ReadPool* pool_;
    ReadConnection* c_;
  };

  // Opens `count` connections to `path`.
  core::Status Open(const std::string& path, int count, int cache_mb);
  // Waits for a free connection.
  Lease Acquire();

 private:
  void Return(ReadConnection* c);

  std::vector<std::unique_ptr<ReadConnection>> all_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ReadConnection*> free_;
};

}  // namespace vitals::store
