// DatabaseProbe: is a registered database reachable, and how long does a trivial round trip take?
// sqlite: open the file read-only and read its schema; postgresql: connect with libpq and run
// SELECT 1; redis: connect, AUTH when the URL has a password, SELECT a non-zero db, PING.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "collect/database_spec.h"
#include "core/clock.h"
#include "store/store_types.h"

namespace vitals::collect {

struct DatabaseSample {
  std::string id;
  DatabaseKind kind = DatabaseKind::kSqlite;
  core::Timestamp at;
  bool up = false;
  // The whole probe — connect, authenticate, query — in milliseconds, also when it failed.
  double round_trip_ms = 0;
  std::string error;  // "" when up
};

// Seed 003's health_metrics rows: resource_type "database", resource_id the target id;
// "database_up" (1/0, critical when down) and "database_round_trip" (ms).
std::vector<store::MetricRecord> DatabaseMetricRows(const DatabaseSpec& spec,
                                                    const DatabaseSample& sample);

class DatabaseProbe final {
 public:
  // REQUIRES: spec.Validate().ok(); clock outlives the probe.
  DatabaseProbe(DatabaseSpec spec, const core::Clock* clock);

  // Blocking; ends within spec.timeout (plus name resolution for host names). Thread-safe: keeps
  // no connection between probes, so a dead connection is never mistaken for a live database.
  DatabaseSample Probe() const;

  const DatabaseSpec& spec() const { return spec_; }

 private:
  DatabaseSpec spec_;
  DatabaseUrl url_;
  const core::Clock* clock_;
};

}  // namespace vitals::collect
