// The unsealed tail of the execution log: ids of committed executions that no block in
// execution_blocks holds yet. Queries read it beside the blocks; a seal empties it.
//
// It is a list of TailChunks, one per group commit, each grouped by agent with a sort, so the
// writer never looks agents up row by row (with 10,000 agents, cache misses made a hash map the
// writer's largest cost); a query binary-searches each chunk.
//
// Thread-safety: the writer thread is the only mutator and takes the lock to mutate; it reads its
// own list without the lock. Readers take the lock.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/id_block.h"

namespace vitals::store {

struct AgentKeyView {
  std::string_view organization_id;
  std::string_view agent_id;
  bool operator==(const AgentKeyView&) const = default;
  auto operator<=>(const AgentKeyView&) const = default;
};

uint64_t HashAgentKey(AgentKeyView key);

// REQUIRES: `items` sorted by hash. Within each run of equal hashes whose keys differ (a hash
// collision), stable-sorts by key, so each key's items become contiguous in their prior order.
template <typename T, typename HashOf, typename KeyOf>
void SeparateCollisions(std::vector<T>& items, HashOf hash_of, KeyOf key_of) {
  for (size_t begin = 0; begin < items.size();) {
    size_t end = begin + 1;
    bool mixed = false;
    while (end < items.size() && hash_of(items[end]) == hash_of(items[begin])) {
      mixed = mixed || key_of(items[end]) != key_of(items[begin]);
      ++end;
    }
    if (mixed) {
      std::stable_sort(items.begin() + begin, items.begin() + end,
                       [&](const T& a, const T& b) { return key_of(a) < key_of(b); });
    }
    begin = end;
  }
}

// One group commit's executions, grouped by agent (ordered by key hash, then key); each group's
// entries in id order. Immutable once built.
class TailChunk {
 public:
  struct Row {
    uint64_t hash;
    AgentKeyView key;  // must outlive Build()
    IdEntry entry;
  };

  // REQUIRES: `rows` in id order. Reorders `rows`.
  static std::shared_ptr<const TailChunk> Build(std::vector<Row>& rows);

  size_t groups() const { return groups_.size(); }
  size_t rows() const { return entries_.size(); }
  uint64_t hash(size_t g) const { return groups_[g].hash; }
  AgentKeyView key(size_t g) const;
  std::span<const IdEntry> entries(size_t g) const {
    return {entries_.data() + groups_[g].first, groups_[g].count};
  }
  // The group of `key`, or groups() when absent.
  size_t Find(AgentKeyView key, uint64_t hash) const;

 private:
  struct Group {
    uint64_t hash;
    uint32_t key_offset;  // into keys_: organization id, then agent id
    uint16_t organization_length;
    uint16_t agent_length;
    uint32_t first;
    uint32_t count;
  };

  std::vector<Group> groups_;
  std::string keys_;
  std::vector<IdEntry> entries_;
};

class ExecutionTail {
 public:
  using Chunks = std::vector<std::shared_ptr<const TailChunk>>;

  // Writer only.
  void Publish(std::shared_ptr<const TailChunk> chunk);
  // Forgets everything: a seal moved it to blocks. Writer only.
  void Clear();
  // The writer's view (no lock). Writer only.
  const Chunks& chunks() const { return chunks_; }
  size_t rows() const { return rows_; }

  // Appends the agent's entries with from <= ts <= to to `out`.
  void Collect(AgentKeyView key, int64_t from, int64_t to, std::vector<IdEntry>& out) const;

 private:
  mutable std::mutex mu_;
  Chunks chunks_;
  size_t rows_ = 0;  // written by the writer only
};

}  // namespace vitals::store
