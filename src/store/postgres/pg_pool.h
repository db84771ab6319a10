// PgPool: a fixed set of PgConnections for reads and synchronous writes; a caller leases one for
// the duration of its statement(s). Connections connect lazily and reconnect after a failure.
//
// Thread-safe; Acquire blocks while every connection is leased.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.h"

namespace vitals::store {

class PgPool {
 public:
  PgPool(const std::string& url, int timeout_ms, int size);

  class Lease {
   public:
    Lease(PgPool& pool, std::unique_ptr<PgConnection> c) : pool_(pool), c_(std::move(c)) {}
    ~Lease() { pool_.Release(std::move(c_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PgConnection* operator->() { return c_.get(); }
    PgConnection& operator*() { return *c_; }

   private:
    PgPool& pool_;
    std::unique_ptr<PgConnection> c_;
  };

  Lease Acquire();

 private:
  void Release(std::unique_ptr<PgConnection> c);

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mu_
};

// Runs `sql` with `params` on a pooled connection and maps every row with `read`, which returns
// std::optional<T> (nullopt: a stored value that does not parse, reported as kIoError).
template <typename T, typename Read>
core::Result<std::vector<T>> PgQuery(PgPool& pool, const std::string& sql, PgParams& params,
                                     Read read) {
  PgPool::Lease c = pool.Acquire();
  auto result = c->Query(sql, params);
  if (!result.ok()) return result.status();
  const int n = PQntuples(result->get());
  std::vector<T> out;
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    std::optional<T> row = read(PgRow(result->get(), i));
    if (!row) return core::Status::IoError("unreadable row in: " + sql.substr(0, 60));
    out.push_back(std::move(*row));
  }
  return out;
}

}  // namespace vitals::store
