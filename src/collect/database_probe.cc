#include "collect/database_probe.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <cstring>

#include "collect/tcp_line_client.h"

namespace vitals::collect {
namespace {

using Deadline = std::chrono::steady_clock::time_point;

std::string ProbeSqlite(const DatabaseUrl& u, core::Duration timeout) {
  struct stat st;
  if (::stat(u.path.c_str(), &st) != 0) return u.path + ": " + std::strerror(errno);
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open_v2(u.path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    error = db ? sqlite3_errmsg(db) : "cannot open";
  } else {
    sqlite3_busy_timeout(db, static_cast<int>(timeout.count() / 1000));
    // Reading the schema proves the file is a database, not merely a file.
    char* message = nullptr;
    if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, &message) !=
        SQLITE_OK) {
      error = message ? message : "query failed";
    }
    sqlite3_free(message);
  }
  sqlite3_close(db);
  return error;
}

std::string PgError(PGconn* conn) {
  std::string e = conn ? PQerrorMessage(conn) : "out of memory";
  while (!e.empty() && (e.back() == '\n' || e.back() == ' ')) e.pop_back();
  return e;
}

// Waits for the libpq socket; false at the deadline.
bool WaitSocket(PGconn* conn, short events, Deadline deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{PQsocket(conn), events, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return false;
  }
}

// The non-blocking connection sequence of libpq (PQconnectPoll), bounded by `deadline`.
std::string ConnectPostgres(PGconn* conn, Deadline deadline) {
  if (PQstatus(conn) == CONNECTION_BAD) return PgError(conn);
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK) {
    if (state == PGRES_POLLING_FAILED) return PgError(conn);
    if (!WaitSocket(conn, state == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline)) {
      return "timed out connecting";
    }
    state = PQconnectPoll(conn);
  }
  return "";
}

std::string QueryPostgres(PGconn* conn, Deadline deadline) {
  if (PQsetnonblocking(conn, 1) != 0 || !PQsendQuery(conn, "SELECT 1")) return PgError(conn);
  while (PQflush(conn) == 1) {
    if (!WaitSocket(conn, POLLOUT, deadline)) return "timed out sending the query";
  }
  while (PQisBusy(conn)) {
    if (!WaitSocket(conn, POLLIN, deadline)) return "timed out waiting for SELECT 1";
    if (!PQconsumeInput(conn)) return PgError(conn);
  }
  std::string error;
  while (PGresult* r = PQgetResult(conn)) {
    if (PQresultStatus(r) != PGRES_TUPLES_OK && error.empty()) error = PgError(conn);
    PQclear(r);
  }
  return error;
}

std::string ProbePostgres(const std::string& url, core::Duration timeout, Deadline deadline) {
  // libpq parses the URL itself (expand_dbname), options included; connect_timeout is a second
  // line of defence behind our own deadline.
  const std::string seconds = std::to_string(std::max<int64_t>(2, timeout.count() / 1'000'000 + 1));
  const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* values[] = {url.c_str(), seconds.c_str(), "vitals", nullptr};
  PGconn* conn = PQconnectStartParams(keys, values, 1);
  if (!conn) return "out of memory";
  std::string error = ConnectPostgres(conn, deadline);
  if (error.empty()) error = QueryPostgres(conn, deadline);
  PQfinish(conn);
  return error;
}

std::string RespCommand(std::initializer_list<std::string_view> parts) {
  std::string out = "*" + std::to_string(parts.size()) + "\r\n";
  for (std::string_view p : parts) {
    out += "$" + std::to_string(p.size()) + "\r\n";
    out += p;
    out += "\r\n";
  }
  return out;
}

// Sends one command and expects a simple-string reply equal to `expected`.
std::string RedisCommand(TcpLineClient& c, const std::string& command, std::string_view expected,
                         std::string_view what, Deadline deadline) {
  if (core::Status st = c.Send(command, deadline); !st.ok()) return st.message();
  auto line = c.ReadLine(deadline);
  if (!line.ok()) return line.status().message();
  if (*line != expected) return std::string(what) + " failed: " + *line;
  return "";
}

std::string ProbeRedis(const DatabaseUrl& u, Deadline deadline) {
  auto client = TcpLineClient::Connect(u.host, u.port, deadline);
  if (!client.ok()) return client.status().message();
  std::string error;
  if (!u.password.empty()) {
    const std::string auth = u.user.empty() ? RespCommand({"AUTH", u.password})
                                            : RespCommand({"AUTH", u.user, u.password});
    error = RedisCommand(*client, auth, "+OK", "AUTH", deadline);
  }
  if (error.empty() && !u.database.empty() && u.database != "0") {
    error = RedisCommand(*client, RespCommand({"SELECT", u.database}), "+OK", "SELECT", deadline);
  }
  if (error.empty())
    error = RedisCommand(*client, RespCommand({"PING"}), "+PONG", "PING", deadline);
  return error;
}

}  // namespace

std::vector<store::MetricRecord> DatabaseMetricRows(const DatabaseSpec& spec,
                                                    const DatabaseSample& s) {
  std::vector<store::MetricRecord> rows;
  rows.push_back({spec.organization_id, "database", spec.id, "database_up", s.up ? 1.0 : 0.0, 0, 0,
                  s.at, "", s.up ? "healthy" : "critical"});
  rows.push_back({spec.organization_id, "database", spec.id, "database_round_trip", s.round_trip_ms,
                  0, core::ToMillisF(spec.timeout), s.at, "ms", s.up ? "healthy" : "critical"});
  return rows;
}

DatabaseProbe::DatabaseProbe(DatabaseSpec spec, const core::Clock* clock)
    : spec_(std::move(spec)), url_(ParseDatabaseUrl(spec_.url).value()), clock_(clock) {}

DatabaseSample DatabaseProbe::Probe() const {
  DatabaseSample s;
  s.id = spec_.id;
  s.kind = url_.kind;
  s.at = clock_->Now();
  const auto started = std::chrono::steady_clock::now();
  const Deadline deadline = started + std::chrono::microseconds(spec_.timeout.count());
  switch (url_.kind) {
    case DatabaseKind::kSqlite:
      s.error = ProbeSqlite(url_, spec_.timeout);
      break;
    case DatabaseKind::kPostgres:
      s.error = ProbePostgres(spec_.url, spec_.timeout, deadline);
      break;
    case DatabaseKind::kRedis:
      s.error = ProbeRedis(url_, deadline);
      break;
  }
  s.up = s.error.empty();
  s.round_trip_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return s;
}

}  // namespace vitals::collect
