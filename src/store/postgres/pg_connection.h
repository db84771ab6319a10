// PgConnection: one libpq connection, blocking, every call bounded (connect_timeout,
// statement_timeout and tcp_user_timeout all come from the timeout it is opened with). Failures
// are Status values:
//  - kUnavailable: the server cannot be reached, refused the login, went away or did not answer
//    in time. The message names host and port, never the password. The next call reconnects.
//  - kAlreadyExists: a unique constraint (SQLSTATE 23505).
//  - kIoError: anything else the server refused (the SQL error).
//
// Not thread-safe: one thread at a time.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/postgres/pg_values.h"

namespace vitals::store {

// A query's result; rows are read with PgRow(result.get(), i).
struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

class PgConnection {
 public:
  // `settings`: more `-c name=value` options for the session (e.g. the writer's node id).
  PgConnection(std::string url, int timeout_ms, std::string settings = "");
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Connects when not connected (or the connection broke). Ok when connected.
  core::Status Connect();
  bool connected() const;
  // Drops the connection (the next call reconnects).
  void Close();

  // One or more statements without parameters or rows.
  core::Status Exec(std::string_view sql);
  // A statement with parameters; the result holds its rows (text format).
  core::Result<PgResult> Query(std::string_view sql, PgParams& params);
  core::Result<PgResult> Query(std::string_view sql);
  // Rows affected by a statement that returned no rows (UPDATE, DELETE), from its result.
  static int64_t Affected(const PgResult& result);
  // COPY `copy_sql` FROM STDIN with `data` in text format.
  core::Status CopyIn(std::string_view copy_sql, std::string_view data);

  // Sends every statement at once in pipeline mode and then reads their results: one round trip
  // for all. The first failure is returned (the statements after it are not run).
  core::Status Pipeline(const std::vector<std::pair<std::string, PgParams>>& statements);

  // Where the connection goes, for messages: "host:port/db", no user or password.
  const std::string& where() const { return where_; }

 private:
  core::Result<PgResult> Check(PGresult* r, std::string_view what);
  template <typename Send>
  core::Result<PgResult> RunOnce(std::string_view sql, Send send);
  core::Status Failure(std::string_view what, const PGresult* r);

  const std::string url_;
  const int timeout_ms_;
  const std::string settings_;
  std::string where_;
  PGconn* conn_ = nullptr;
};

}  // namespace vitals::store
