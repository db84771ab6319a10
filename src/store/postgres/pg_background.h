// The PostgreSQL writer's statements for background records and heartbeats, inside the group's
// transaction. Rows are written with multi-row statements (a few hundred rows each); rows of one
// group that upsert the same key are merged first (the last wins; the hourly rollup adds up), as
// one PostgreSQL statement may not update a row twice.
#pragma once

#include <cstdint>
#include <vector>

#include "store/postgres/pg_connection.h"
#include "store/write_queue.h"

namespace vitals::store {

// `fenced` grows by the rows the fencing triggers skipped (Store::ClaimAgents); counted only
// when the batch succeeded.
core::Status WritePgBackground(PgConnection& db, const BackgroundBatch& batch, uint64_t* fenced);

// Appends the heartbeats with ids from `first_id` on (in order), and moves each agent's
// heartbeat_latest forward.
core::Status WritePgHeartbeats(PgConnection& db, const std::vector<const StoredHeartbeat*>& rows,
                               int64_t first_id);

}  // namespace vitals::store
