// AgentIndex: a shard's agents by key, in a flat open-addressing table (linear probing, backward-
// shift deletion). A slot is a hash and a pointer, four to a cache line, so a lookup usually costs
// one miss for the slot and one for the entry it points to, and both can be prefetched.
//
// Owns its entries. Not thread-safe: the shard's mutex guards it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/agent_entry.h"
#include "engine/agent_key.h"

namespace vitals::engine {

class AgentIndex {
 public:
  AgentIndex() : slots_(16) {}
  ~AgentIndex();
  AgentIndex(const AgentIndex&) = delete;
  AgentIndex& operator=(const AgentIndex&) = delete;

  // `hash` is AgentKeyHash{}(key). nullptr when absent.
  AgentEntry* Find(AgentKeyView key, uint64_t hash) const;
  // The entry whose slot carries `hash`, without comparing keys (the caller verifies); for a
  // prefetch pipeline that must not touch the entry yet.
  AgentEntry* Candidate(uint64_t hash) const;
  void PrefetchSlot(uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask()]); }
  // REQUIRES: no entry with this key.
  AgentEntry* Insert(uint64_t hash, std::unique_ptr<AgentEntry> entry);
  // Removes and returns the entry; nullptr when absent.
  std::unique_ptr<AgentEntry> Erase(AgentKeyView key, uint64_t hash);

  template <typename F>
  void ForEach(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.entry) f(*s.entry);
    }
  }
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    AgentEntry* entry = nullptr;  // nullptr: empty
  };

  size_t mask() const { return slots_.size() - 1; }
  static bool Matches(const AgentEntry& e, AgentKeyView key) {
    return KeyMatches({e.state.organization_id(), e.state.agent_id()}, key);
  }
  void Grow();

  std::vector<Slot> slots_;  // power-of-two size, at most half full
  size_t size_ = 0;
};

}  // namespace vitals::engine
