// RecentExecutions: the most recent executions of the log that carry an execution_id, by key
// (organization, agent, execution_id, start or finish) and content, so that a client's retry of
// rows already stored — its request answered too late, or not at all — is recognized and not
// stored (or counted) twice.
//
// Keys and contents are kept as 64-bit hashes in a fixed table (16 bytes a slot, two slots per
// row of capacity), so a check costs a few hashes and one probe and the memory is bounded. The
// window is the last `capacity` rows: an older row sent again is stored again. Two different keys
// whose hashes collide would make the second look like a retry: with 2^18 rows in the window,
// about one row in 7 * 10^13.
//
// The content is every field the client sends except the timestamp, which the server fills in
// when a client leaves it out, so a retry of such a row carries a new one.
//
// Not thread-safe: owned by the writer's ExecutionAppender.
#pragma once

#include <cstdint>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/store_types.h"

namespace vitals::store {

class RecentExecutions {
 public:
  enum class Verdict { kNew, kDuplicate, kConflict };

  // capacity 0: nothing is remembered, every row is new.
  explicit RecentExecutions(size_t capacity);

  // Inside a transaction. kNew (also for a row without execution_id): remember it until
  // RollBack(); kDuplicate: the same key and content is already there; kConflict: the same key
  // with a different content.
  Verdict Admit(const ExecutionWrite& row);
  // Keeps the rows admitted since the last Commit() or RollBack().
  void Commit() { admitted_ = 0; }
  // Forgets them (rows they had pushed out of the window stay forgotten).
  void RollBack();
  // At load: remembers the log's latest rows (ids below `next_id`), up to the capacity and at
  // most 65,536.
  core::Status Load(Connection& db, int64_t next_id);

  size_t capacity() const { return ring_.size(); }

 private:
  struct Slot {
    uint64_t key = 0;  // 0: empty
    uint64_t content = 0;
  };
  // A row of the log (oldest first): its key and content hashes.
  void Remember(uint64_t key, uint64_t content);
  void Insert(uint64_t key, uint64_t content);
  void Erase(uint64_t key);
  Slot* Find(uint64_t key);

  std::vector<Slot> slots_;     // open addressing, linear probing
  std::vector<uint64_t> ring_;  // keys in admission order; 0: free
  size_t next_ = 0;             // ring_ position of the next key
  size_t count_ = 0;            // keys in the window
  size_t admitted_ = 0;         // in the current transaction
};

}  // namespace vitals::store
