// For tests against the PostgreSQL that with_databases.sh starts: a database of its own per test,
// created on construction and dropped on destruction.
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace vitals::store::testing {

class PgTestDatabase {
 public:
  PgTestDatabase() {
    const char* admin = std::getenv("VITALS_TEST_POSTGRES_URL");
    if (admin == nullptr) return;
    admin_ = admin;
    static std::atomic<int> made{0};
    name_ = "vt_" + std::to_string(getpid()) + "_" + std::to_string(made.fetch_add(1));
    if (!Exec("CREATE DATABASE " + name_)) return;
    url_ = admin_.substr(0, admin_.rfind('/') + 1) + name_;
  }
  ~PgTestDatabase() {
    if (!url_.empty()) Exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;

  // Empty when VITALS_TEST_POSTGRES_URL is unset or the database could not be created.
  const std::string& url() const { return url_; }

  // Runs `sql` in this database; the first column of the first row ("" when none or on error).
  std::string Query(const std::string& sql) const {
    std::string out;
    PGconn* c = PQconnectdb(url_.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
    PQclear(r);
    PQfinish(c);
    return out;
  }

 private:
  bool Exec(const std::string& sql) const {
    PGconn* c = PQconnectdb(admin_.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    PQfinish(c);
    return ok;
  }

  std::string admin_;
  std::string name_;
  std::string url_;
};

}  // namespace vitals::store::testing
