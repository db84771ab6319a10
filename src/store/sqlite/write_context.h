// WriteContext: the writer's connection inside an open group transaction, with the prepared
// statements of the background and heartbeat writes. Jobs (synchronous writes, retention steps)
// receive it to run their statements in the group.
//
// Not thread-safe: used on the writer thread only.
#pragma once

#include <string>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/write_queue.h"

namespace vitals::store {

class WriteContext {
 public:
  explicit WriteContext(Connection& db) : db_(db) {}

  core::Status Prepare();
  Connection& db() { return db_; }
  // Whether the group's transaction is still open (SQLite rolls it back on some errors).
  bool in_transaction() const { return sqlite3_get_autocommit(db_.db()) == 0; }

  core::Status WriteHeartbeats(const std::vector<StoredHeartbeat>& rows);
  core::Status WriteBackground(const BackgroundBatch& batch);

 private:
  core::Status Write(const std::vector<TransitionRecord>& rows);
  core::Status Write(const std::vector<HealthRecord>& rows);
  core::Status Write(const std::vector<core::Alert>& rows);
  core::Status Write(const std::vector<MetricRecord>& rows);
  core::Status Write(const std::vector<Checkpoint>& rows);

  Connection& db_;
  Statement heartbeat_;
  Statement heartbeat_latest_;
  Statement transition_;
  Statement health_;
  Statement history_;
  Statement alert_;
  Statement health_alert_;
  Statement metric_;
  Statement checkpoint_;
  Statement integration_checkpoint_;
  std::string scratch_;
};

}  // namespace vitals::store
