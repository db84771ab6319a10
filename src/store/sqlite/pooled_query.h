// Query: one read on a pooled connection, rows mapped to values. Shared by SqliteStore's reads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/sqlite/read_pool.h"

namespace vitals::store {

// Runs `sql` (its parameters bound by `bind`) and maps every row with `read`, which returns
// T or std::optional<T> (nullopt: a stored value that does not parse).
template <typename T, typename Bind, typename Read>
core::Result<std::vector<T>> Query(ReadPool& pool, const std::string& sql, Bind bind, Read read) {
  ReadPool::Lease c = pool.Acquire();
  auto s = c->Get(sql);
  if (!s.ok()) return s.status();
  Statement& stmt = **s;
  bind(stmt);
  std::vector<T> out;
  while (stmt.Step()) {
    std::optional<T> row = read(stmt);
    if (!row) return core::Status::IoError("unreadable row in: " + sql.substr(0, 60));
    out.push_back(std::move(*row));
  }
  if (core::Status st = stmt.status(sql.substr(0, 60)); !st.ok()) return st;
  return out;
}

}  // namespace vitals::store
