// Connection and Statement: RAII over sqlite3 and sqlite3_stmt, and the one place where SQLite
// result codes become core::Status.
//
// Neither is thread-safe: connections are opened with SQLITE_OPEN_NOMUTEX and each is used by one
// thread at a time (the writer thread, or a reader holding a ReadPool lease).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"
#include "core/time.h"

namespace vitals::store {

// kIoError naming `what` (operation, table, file) and SQLite's message for `db`.
core::Status SqliteError(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  bool valid() const { return stmt_ != nullptr; }

  // Parameters are 1-based. Text and blobs are bound without copying: they must stay alive and
  // unchanged until the statement is reset.
  void Bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void Bind(int i, int v) { sqlite3_bind_int64(stmt_, i, v); }
  void Bind(int i, bool v) { sqlite3_bind_int(stmt_, i, v ? 1 : 0); }
  void Bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  void Bind(int i, std::string_view v);
  void Bind(int i, const char* v) = delete;  // would bind as bool; pass a std::string_view
  void Bind(int i, core::Timestamp t) { Bind(i, core::ToMicros(t)); }
  void BindBlob(int i, std::string_view v);
  void BindNull(int i) { sqlite3_bind_null(stmt_, i); }
  template <typename T>
  void Bind(int i, const std::optional<T>& v) {
    if (v) {
      Bind(i, *v);
    } else {
      BindNull(i);
    }
  }

  // Steps once: true on a row, false when done or failed (see status()).
  bool Step();
  // Runs a statement that returns no rows, then resets it. `what` names it in an error.
  core::Status Run(std::string_view what, bool clear_bindings = true);
  // The failure of the last Step(), or Ok. `what` names the statement in the message.
  core::Status status(std::string_view what) const;
  // SQLite's (extended) result code of the last Step().
  int result_code() const { return rc_; }
  // Resets for re-execution and clears bindings (unless told not to: then every parameter must
  // be bound again before the next Step); keeps the compiled statement.
  void Reset(bool clear_bindings = true);

  // Columns are 0-based.
  bool IsNull(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  int64_t Int(int c) const { return sqlite3_column_int64(stmt_, c); }
  double Double(int c) const { return sqlite3_column_double(stmt_, c); }
  bool Bool(int c) const { return sqlite3_column_int64(stmt_, c) != 0; }
  core::Timestamp Time(int c) const { return core::FromMicros(Int(c)); }
  std::string Text(int c) const { return std::string(TextView(c)); }
  // Valid until the next Step() or Reset().
  std::string_view TextView(int c) const;
  std::string_view BlobView(int c) const;
  std::optional<int64_t> OptInt(int c) const;
  std::optional<double> OptDouble(int c) const;
  std::optional<core::Timestamp> OptTime(int c) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // `flags` as for sqlite3_open_v2; SQLITE_OPEN_NOMUTEX is always added.
  core::Status Open(const std::string& path, int flags);
  // Runs one or more statements that return no rows.
  core::Status Exec(std::string_view sql);
  // `persistent`: the statement is kept for the connection's lifetime (SQLite allocates it apart).
  core::Result<Statement> Prepare(std::string_view sql, bool persistent = true);
  // The single integer a query returns, or nullopt when it returns no row.
  core::Result<std::optional<int64_t>> QueryInt(std::string_view sql);

  sqlite3* db() const { return db_; }
  const std::string& path() const { return path_; }
  int64_t changes() const { return sqlite3_changes64(db_); }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace vitals::store
