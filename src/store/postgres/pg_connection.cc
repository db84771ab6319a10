#include "store/postgres/pg_connection.h"

#include <algorithm>
#include <cstring>

namespace vitals::store {
namespace {

std::string FirstLine(const char* message) {
  std::string s = message != nullptr ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\t', ' ');
  return s;
}

bool IsConnectionClass(const char* sqlstate) {
  if (sqlstate == nullptr) return true;  // no server answer at all
  // 08: connection exception; 57P01..57P03: admin shutdown, crash shutdown, cannot connect now;
  // 57014: statement timeout; 53: insufficient resources.
  return std::strncmp(sqlstate, "08", 2) == 0 || std::strncmp(sqlstate, "57", 2) == 0 ||
         std::strncmp(sqlstate, "53", 2) == 0;
}

}  // namespace

PgConnection::PgConnection(std::string url, int timeout_ms, std::string settings)
    : url_(std::move(url)),
      timeout_ms_(std::max(timeout_ms, 100)),
      settings_(std::move(settings)) {}

PgConnection::~PgConnection() { Close(); }

void PgConnection::Close() {
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = nullptr;
}

bool PgConnection::connected() const {
  return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK;
}

core::Status PgConnection::Connect() {
  if (connected()) return core::Status::Ok();
  Close();
  const std::string connect_timeout = std::to_string(std::max(2, (timeout_ms_ + 999) / 1000));
  const std::string options =
      "-c statement_timeout=" + std::to_string(timeout_ms_) +
      " -c lock_timeout=" + std::to_string(timeout_ms_) +
      " -c idle_in_transaction_session_timeout=" + std::to_string(4 * timeout_ms_) +
      " -c client_encoding=UTF8" + (settings_.empty() ? "" : " " + settings_);
  const std::string user_timeout = std::to_string(timeout_ms_);
  const char* keys[] = {
      "dbname",          "connect_timeout",     "options",          "tcp_user_timeout",
      "keepalives_idle", "keepalives_interval", "application_name", nullptr};
  const char* values[] = {url_.c_str(),
                          connect_timeout.c_str(),
                          options.c_str(),
                          user_timeout.c_str(),
                          "5",
                          "2",
                          "vitals",
                          nullptr};
  conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK) {
    // NOTICEs ("already exists, skipping") are expected here, not news for the log.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    where_ = std::string(PQhost(conn_)) + ":" + PQport(conn_) + "/" + PQdb(conn_);
    return core::Status::Ok();
  }
  std::string message = conn_ != nullptr ? FirstLine(PQerrorMessage(conn_)) : "out of memory";
  Close();
  return core::Status::Unavailable("cannot connect to PostgreSQL: " + message);
}

core::Status PgConnection::Failure(std::string_view what, const PGresult* r) {
  const char* sqlstate = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = r != nullptr ? FirstLine(PQresultErrorMessage(r)) : "";
  if (message.empty()) message = FirstLine(PQerrorMessage(conn_));
  std::string text = std::string(what) + " failed: " + message;
  if (!connected() || IsConnectionClass(sqlstate)) {
    if (!connected()) Close();
    return core::Status::Unavailable("PostgreSQL at " + where_ + ": " + text);
  }
  if (sqlstate != nullptr && std::strcmp(sqlstate, "23505") == 0) {
    return core::Status::AlreadyExists(text);
  }
  return core::Status::IoError("PostgreSQL: " + text);
}

core::Result<PgResult> PgConnection::Check(PGresult* raw, std::string_view what) {
  PgResult r(raw);
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
  return Failure(what, r.get());
}

// A connection that broke while idle (the server restarted) is only found out by the next
// statement; outside a transaction nothing is lost by running that statement again on a fresh
// connection, so it is, once.
template <typename Send>
core::Result<PgResult> PgConnection::RunOnce(std::string_view sql, Send send) {
  for (int attempt = 0;; ++attempt) {
    if (core::Status s = Connect(); !s.ok()) return s;
    const bool idle = PQtransactionStatus(conn_) == PQTRANS_IDLE;
    auto r = Check(send(), sql.substr(0, 60));
    if (r.ok() || attempt > 0 || !idle || connected()) return r;
  }
}

core::Status PgConnection::Exec(std::string_view sql) {
  const std::string text(sql);
  auto r = RunOnce(sql, [&] { return PQexec(conn_, text.c_str()); });
  return r.ok() ? core::Status::Ok() : r.status();
}

core::Result<PgResult> PgConnection::Query(std::string_view sql, PgParams& params) {
  const std::string text(sql);
  return RunOnce(sql, [&] {
    return PQexecParams(conn_, text.c_str(), params.count(), nullptr, params.values(), nullptr,
                        nullptr, 0);
  });
}

core::Result<PgResult> PgConnection::Query(std::string_view sql) {
  PgParams none;
  return Query(sql, none);
}

int64_t PgConnection::Affected(const PgResult& result) {
  const char* n = PQcmdTuples(result.get());
  return n != nullptr && *n != '\0' ? std::atoll(n) : 0;
}

core::Status PgConnection::CopyIn(std::string_view copy_sql, std::string_view data) {
  if (core::Status s = Connect(); !s.ok()) return s;
  PgResult start(PQexec(conn_, std::string(copy_sql).c_str()));
  if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) {
    return Failure(copy_sql.substr(0, 60), start.get());
  }
  constexpr size_t kChunk = 1 << 20;
  bool sent = true;
  for (size_t at = 0; at < data.size() && sent; at += kChunk) {
    const size_t n = std::min(kChunk, data.size() - at);
    sent = PQputCopyData(conn_, data.data() + at, static_cast<int>(n)) == 1;
  }
  if (PQputCopyEnd(conn_, sent ? nullptr : "client failed to send") != 1) {
    return Failure(copy_sql.substr(0, 60), nullptr);
  }
  core::Status status;
  while (PGresult* raw = PQgetResult(conn_)) {
    PgResult r(raw);
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK && status.ok()) {
      status = Failure(copy_sql.substr(0, 60), r.get());
    }
  }
  return status;
}

core::Status PgConnection::Pipeline(
    const std::vector<std::pair<std::string, PgParams>>& statements) {
  if (core::Status s = Connect(); !s.ok()) return s;
  if (PQenterPipelineMode(conn_) != 1) return Failure("enter pipeline mode", nullptr);
  bool sent = true;
  for (const auto& [sql, params] : statements) {
    PgParams& p = const_cast<PgParams&>(params);  // values() only caches pointers
    sent = sent && PQsendQueryParams(conn_, sql.c_str(), p.count(), nullptr, p.values(), nullptr,
                                     nullptr, 0) == 1;
  }
  sent = sent && PQpipelineSync(conn_) == 1;
  core::Status status = sent ? core::Status::Ok() : Failure("send a pipeline", nullptr);
  // Every statement's result (each followed by a null), then the sync point.
  for (bool synced = !sent; !synced;) {
    PGresult* raw = PQgetResult(conn_);
    if (raw == nullptr) {
      if (!connected()) break;
      continue;
    }
    PgResult r(raw);
    const ExecStatusType st = PQresultStatus(r.get());
    if (st == PGRES_PIPELINE_SYNC) {
      synced = true;
    } else if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && status.ok()) {
      status = Failure("pipelined statement", r.get());
    }
  }
  if (conn_ != nullptr) (void)PQexitPipelineMode(conn_);
  return status;
}

}  // namespace vitals::store
