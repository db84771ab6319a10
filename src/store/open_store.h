// Which Store `vitals serve` (and `vitals keys --store`) opens, named by one URL (issue 16):
// `sqlite://PATH` for the embedded SQLite file, `postgresql://...` (or `postgres://...`) for a
// PostgreSQL database that several nodes share.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"

namespace vitals::store {

enum class StoreKind { kSqlite, kPostgres };

struct StoreLocation {
  StoreKind kind = StoreKind::kSqlite;
  // kSqlite: everything after "sqlite://", taken literally (no percent-decoding):
  // `sqlite:///var/lib/vitals.db` is absolute, `sqlite://vitals.db` is relative to the working
  // directory (what `--db vitals.db` has always meant).
  std::string sqlite_path;
  // kPostgres: the URL as given, for libpq (which parses and validates the rest on connect).
  std::string postgres_url;
};

// Parses a store URL. InvalidArgument naming "store" (and the URL with its password redacted)
// for an unknown scheme, an empty sqlite path or a URL with whitespace or control characters.
core::Result<StoreLocation> ParseStoreUrl(std::string_view url);

// The store URL of an SQLite file, as `--db FILE` means it: `sqlite://FILE`.
std::string SqliteStoreUrl(std::string_view path);

// `url` fit for logs and errors: the password of the authority and any `password=` query
// parameter replaced by "***".
std::string RedactStoreUrl(std::string_view url);

// What both implementations take; each ignores what does not concern it.
struct StoreOpenOptions {
  std::string synchronous = "full";    // SQLite only: "full" or "normal"
  const core::Clock* clock = nullptr;  // defaults to the system clock
  // PostgreSQL only: the cluster node whose background writes these are, fenced by its agents'
  // claims (Store::ClaimAgents); empty: not fenced.
  std::string writer_node;
};

// Opens the store at `location` with OpenSqliteStore or OpenPostgresStore; their errors pass
// through (kIoError naming the file; kUnavailable naming host and port, never the password).
// Blocks while connecting and migrating.
core::Result<std::unique_ptr<Store>> OpenStore(const StoreLocation& location,
                                               const StoreOpenOptions& options);

}  // namespace vitals::store
