// Retention in small steps, each run as a job inside one group commit so it never holds the
// writer for long: an old day table is emptied 20,000 rows at a time and then dropped (DROP of a
// full day table would take seconds); the block index, heartbeats, metrics, transitions and the
// hourly history lose their oldest rows a few thousand at a time, in rowid (insertion) order.
#pragma once

#include <cstdint>

#include "core/time.h"
#include "store/sqlite/connection.h"

namespace vitals::store {

struct RetentionProgress {
  uint64_t deleted = 0;  // rows deleted by this step
  bool done = false;     // nothing older than the cutoff is left to delete
};

// One bounded step. The newest day table is never dropped.
core::Result<RetentionProgress> RetentionStep(Connection& db, core::Timestamp cutoff);

}  // namespace vitals::store
