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
// Not thread-safe: owned by a store's writer.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "store/columns/execution_columns.h"
#include "store/store_types.h"

namespace vitals::store {

class RecentExecutions {
 public:
  enum class Verdict { kNew, kDuplicate, kConflict };

  // A reopen reads back this many of the latest rows at most (about 1.5 us each): the retries
  // that follow a crash are of what was being committed when it happened; a larger window would
  // make every start slower for them.
  static constexpr size_t kRestoredRows = 1 << 16;

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
  // At load: remembers a row of the log, the current row of a SELECT of kExecutionColumns
  // (execution_columns.h), read in place; the log's rows oldest first.
  template <typename S>
  void RememberRow(const S& s) {
    const Fields row{s.TextView(1),
                     s.TextView(2),
                     s.TextView(3),
                     s.Bool(16),
                     {s.TextView(4), s.TextView(5), s.TextView(6), s.TextView(7), s.TextView(8),
                      s.TextView(9), s.TextView(13), s.TextView(14)},
                     s.Double(10),
                     s.Double(12),
                     s.OptInt(11)};
    if (!row.execution_id.empty()) Remember(KeyOf(row), ContentOf(row));
  }

  size_t capacity() const { return ring_.size(); }

 private:
  // What a row is recognized by, whether it comes from a client or from the log.
  struct Fields {
    std::string_view organization_id, agent_id, execution_id;
    bool started_only = false;
    // The content, in hashing order: action type and name, summaries, status, error, metadata,
    // integration.
    std::string_view text[8];
    double latency_ms = 0, cost_usd = 0;
    std::optional<int64_t> token_count;
  };
  static Fields FieldsOf(const ExecutionWrite& row);
  static uint64_t KeyOf(const Fields& f);
  static uint64_t ContentOf(const Fields& f);

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
