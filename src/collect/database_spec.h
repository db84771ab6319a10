// A registered database target (seed 003's "database connectivity"): its URL, parsed and
// validated, and how often and how patiently to probe it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace vitals::collect {

enum class DatabaseKind { kSqlite, kPostgres, kRedis };

// "sqlite", "postgresql", "redis".
std::string_view DatabaseKindName(DatabaseKind kind);

// The parts of a target URL a probe needs.
struct DatabaseUrl {
  DatabaseKind kind = DatabaseKind::kSqlite;
  std::string path;  // sqlite: the absolute file path
  std::string host;
  int port = 0;
  std::string user;
  std::string password;
  std::string database;  // postgresql: database name; redis: the db index ("" = 0)
};

// Parses `sqlite:///abs/path.db`, `postgresql://[user[:pass]@]host[:port][/db]` (also
// `postgres://`) and `redis://[[user]:pass@]host[:port][/db]`. Percent-escapes in user, password
// and path are decoded. InvalidArgument naming "url" and what is wrong: unknown scheme, missing
// host, bad port, relative sqlite path, non-numeric redis db.
core::Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url);

// `url` with the password replaced by "***", for answers and logs.
std::string RedactUrl(std::string_view url);

struct DatabaseSpec {
  std::string organization_id;
  std::string id;
  std::string url;
  core::Duration interval = core::Seconds(30);
  core::Duration timeout = core::Seconds(5);

  // InvalidArgument naming the field: id, url (see ParseDatabaseUrl), interval_seconds (> 0),
  // timeout_ms (> 0 and <= 60 s).
  core::Status Validate() const;
};

}  // namespace vitals::collect
