// ExecutionAppender: the writer thread's side of the execution log. Within the writer's
// transaction it assigns ids from the store-wide sequence, appends rows to the day table of the
// commit's day, and collects the new ids into a TailChunk; after the commit it publishes the
// chunk to the ExecutionTail, or — when the group sealed — empties the tail, whose entries and the
// chunk's went into one execution_blocks row per agent inside the same transaction. Rows a
// client sent again are recognized by RecentExecutions and not stored (see Store).
//
// Not thread-safe: owned by the writer.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "store/recent_executions.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/execution_tail.h"
#include "store/store_types.h"

namespace vitals::store {

class ExecutionAppender {
 public:
  // `recent`: how many of the latest rows are checked for retries (0: none).
  ExecutionAppender(Connection& db, ExecutionTail& tail, size_t recent)
      : db_(db), tail_(tail), recent_(recent) {}

  // Loads the id sequence and the current partition and rebuilds the tail from the rows after
  // the last seal. Call once, before the writer starts.
  core::Status Load();

  // ---- Inside the writer's transaction ----
  // Appends `rows` (a whole group's, across its batches) to the day table of `now`'s day
  // (created on the first commit of a day) and appends their ids to `ids`, in order
  // (kDuplicateExecution / kConflictingExecution for rows not stored).
  // REQUIRES: the rows outlive the transaction.
  core::Status Append(const std::vector<const ExecutionWrite*>& rows, core::Timestamp now,
                      std::vector<int64_t>& ids);
  // Writes one block per agent holding the tail and this transaction's rows.
  core::Status Seal();
  // After a seal, persists the id sequence and the partition's newest timestamp. Call last, once
  // per transaction.
  core::Status Finish();

  // ---- After the transaction ----
  void Committed();
  // Forgets this transaction: ids are reused, a partition it created is forgotten.
  void RolledBack();

  // Committed rows not yet sealed.
  size_t tail_rows() const { return tail_.rows(); }

 private:
  core::Status EnsurePartition(core::Timestamp now);
  core::Result<Statement*> InsertOf(size_t log2_rows);
  core::Status RebuildTail(int64_t last_sealed);
  core::Status SavePartitionMaxTs();
  core::Status WriteBlock(AgentKeyView key, const std::vector<IdEntry>& entries);
  // This transaction's rows as a chunk (built once).
  const std::shared_ptr<const TailChunk>& Staged();

  Connection& db_;
  ExecutionTail& tail_;
  RecentExecutions recent_;
  std::vector<const ExecutionWrite*> fresh_;  // the group's rows to store

  int64_t next_id_ = 1;
  int32_t day_ = 0;  // current partition; 0: none yet
  // inserts_[k] inserts 2^k rows into the current partition (prepared when first needed).
  std::vector<Statement> inserts_;
  Statement insert_block_;
  Statement mark_sealed_;
  Statement save_next_id_;
  Statement save_max_ts_;
  int64_t partition_max_ts_ = INT64_MIN;  // newest row timestamp in day_, not yet persisted

  // This transaction's state, undone by RolledBack().
  std::vector<TailChunk::Row> rows_;  // keys point into the group's ExecutionWrites
  std::shared_ptr<const TailChunk> staged_;
  int64_t txn_first_id_ = 1;
  int32_t txn_first_day_ = 0;
  int64_t txn_first_max_ts_ = INT64_MIN;
  bool sealed_ = false;
};

}  // namespace vitals::store
