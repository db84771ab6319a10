#include "store/sqlite/connection.h"

namespace vitals::store {

core::Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += db != nullptr && sqlite3_errcode(db) == rc ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (db != nullptr) {
    const char* file = sqlite3_db_filename(db, "main");
    if (file != nullptr && *file != '\0') {
      message += " (";
      message += file;
      message += ")";
    }
  }
  return core::Status::IoError(std::move(message));
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    rc_ = other.rc_;
  }
  return *this;
}

void Statement::Bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

void Statement::BindBlob(int i, std::string_view v) {
  sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

bool Statement::Step() {
  rc_ = sqlite3_step(stmt_);
  return rc_ == SQLITE_ROW;
}

core::Status Statement::Run(std::string_view what, bool clear_bindings) {
  Step();
  core::Status s = status(what);
  Reset(clear_bindings);
  return s;
}

core::Status Statement::status(std::string_view what) const {
  if (rc_ == SQLITE_OK || rc_ == SQLITE_ROW || rc_ == SQLITE_DONE) return core::Status::Ok();
  return SqliteError(sqlite3_db_handle(stmt_), rc_, what);
}

void Statement::Reset(bool clear_bindings) {
  sqlite3_reset(stmt_);
  if (clear_bindings) sqlite3_clear_bindings(stmt_);
  rc_ = SQLITE_OK;
}

std::string_view Statement::TextView(int c) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
  if (p == nullptr) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, c))};
}

std::string_view Statement::BlobView(int c) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, c));
  if (p == nullptr) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, c))};
}

std::optional<int64_t> Statement::OptInt(int c) const {
  if (IsNull(c)) return std::nullopt;
  return Int(c);
}

std::optional<double> Statement::OptDouble(int c) const {
  if (IsNull(c)) return std::nullopt;
  return Double(c);
}

std::optional<core::Timestamp> Statement::OptTime(int c) const {
  if (IsNull(c)) return std::nullopt;
  return Time(c);
}

Connection::~Connection() { sqlite3_close_v2(db_); }

core::Status Connection::Open(const std::string& path, int flags) {
  path_ = path;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    core::Status s = core::Status::IoError("open " + path + ": " + sqlite3_errstr(rc));
    sqlite3_close_v2(db_);
    db_ = nullptr;
    return s;
  }
  sqlite3_extended_result_codes(db_, 1);
  return core::Status::Ok();
}

core::Status Connection::Exec(std::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) return core::Status::Ok();
  return SqliteError(db_, rc, text.substr(0, 80));
}

core::Result<Statement> Connection::Prepare(std::string_view sql, bool persistent) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare " + std::string(sql.substr(0, 80)));
  return Statement(stmt);
}

core::Result<std::optional<int64_t>> Connection::QueryInt(std::string_view sql) {
  auto stmt = Prepare(sql, false);
  if (!stmt.ok()) return stmt.status();
  std::optional<int64_t> value;
  if (stmt->Step() && !stmt->IsNull(0)) value = stmt->Int(0);
  core::Status s = stmt->status(sql.substr(0, 80));
  if (!s.ok()) return s;
  return value;
}

}  // namespace vitals::store
