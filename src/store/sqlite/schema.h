// The database schema: an ordered list of migrations recorded in schema_migrations, applied at
// open, each in its own transaction. A migration, once released, is never edited: changes are
// new migrations appended to the list.
#pragma once

#include <cstdint>
#include <string>

#include "core/time.h"
#include "store/sqlite/connection.h"

namespace vitals::store {

// Applies every migration newer than the database's version. Idempotent.
core::Status Migrate(Connection& db, core::Timestamp now);
// The number of the newest migration.
int LatestSchemaVersion();

// DDL of one day table of the execution log. No secondary index: rows are found through
// execution_blocks (see IdBlock) and ExecutionsAfter walks the primary key.
std::string CreateExecutionTableSql(int32_t day);

// Keys of the meta table.
inline constexpr const char* kMetaNextExecutionId = "next_execution_id";
inline constexpr const char* kMetaLastSealedId = "last_sealed_execution_id";

}  // namespace vitals::store
