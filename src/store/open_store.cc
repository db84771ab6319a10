#include "store/open_store.h"

#include "collect/database_spec.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace vitals::store {
namespace {

constexpr std::string_view kSqlite = "sqlite://";
constexpr std::string_view kPostgres[] = {"postgresql://", "postgres://"};

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

core::Status Bad(std::string_view url, std::string_view why) {
  return core::Status::InvalidArgument("store: " + std::string(why) + ", got \"" +
                                       RedactStoreUrl(url) + "\"");
}

}  // namespace

core::Result<StoreLocation> ParseStoreUrl(std::string_view url) {
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f') {
      return Bad(url, "a store URL has no spaces or control characters");
    }
  }
  StoreLocation location;
  if (StartsWith(url, kSqlite)) {
    location.kind = StoreKind::kSqlite;
    location.sqlite_path = std::string(url.substr(kSqlite.size()));
    if (location.sqlite_path.empty()) {
      return Bad(url, "sqlite needs a file: sqlite:///abs/path.db or sqlite://relative.db");
    }
    return location;
  }
  for (std::string_view scheme : kPostgres) {
    if (StartsWith(url, scheme)) {
      location.kind = StoreKind::kPostgres;
      location.postgres_url = std::string(url);
      return location;
    }
  }
  return Bad(url, "expected sqlite://FILE or postgresql://USER:PASS@HOST:PORT/DB");
}

std::string SqliteStoreUrl(std::string_view path) {
  return std::string(kSqlite) + std::string(path);
}

std::string RedactStoreUrl(std::string_view url) {
  std::string out = collect::RedactUrl(url);
  const size_t query = out.find('?');
  if (query == std::string::npos) return out;
  for (size_t at = query; at != std::string::npos && at < out.size();) {
    const size_t start = at + 1;
    const size_t end = out.find('&', start);
    const std::string_view param(out.data() + start,
                                 (end == std::string::npos ? out.size() : end) - start);
    if (StartsWith(param, "password=")) {
      out.replace(start + 9, param.size() - 9, "***");
      at = out.find('&', start);
    } else {
      at = end;
    }
  }
  return out;
}

core::Result<std::unique_ptr<Store>> OpenStore(const StoreLocation& location,
                                               const StoreOpenOptions& options) {
  if (location.kind == StoreKind::kPostgres) {
    PostgresOptions o;
    o.url = location.postgres_url;
    o.clock = options.clock;
    o.writer_node = options.writer_node;
    return OpenPostgresStore(o);
  }
  SqliteOptions o;
  o.path = location.sqlite_path;
  o.synchronous = options.synchronous;
  o.clock = options.clock;
  return OpenSqliteStore(o);
}

}  // namespace vitals::store
