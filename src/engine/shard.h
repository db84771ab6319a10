// Shard: a slice of the monitor's agents behind one mutex, with the agents whose data changed
// (dirty list) and the agents whose verdict will change with time alone (deadline heap).
//
// Thread-safety: every member is guarded by `mu`; callers lock it.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "engine/agent_entry.h"
#include "engine/agent_index.h"
#include "engine/agent_key.h"

namespace vitals::engine {

class Shard {
 public:
  std::mutex mu;

  // nullptr when absent. REQUIRES: mu held.
  AgentEntry* Find(AgentKeyView key) { return index_.Find(key, AgentKeyHash{}(key)); }
  AgentEntry* Find(AgentKeyView key, uint64_t hash) { return index_.Find(key, hash); }
  // REQUIRES: mu held; key absent; the entry's state carries the key.
  AgentEntry* Insert(uint64_t hash, std::unique_ptr<AgentEntry> entry) {
    return index_.Insert(hash, std::move(entry));
  }
  // Removes the agent and every reference to it. REQUIRES: mu held.
  bool Erase(AgentKeyView key);
  // The prefetch pipeline's view of the index. REQUIRES: mu held.
  const AgentIndex& index() const { return index_; }

  // REQUIRES: mu held.
  void MarkDirty(AgentEntry* e);
  std::vector<AgentEntry*> TakeDirty();
  // Keeps one live heap entry per agent: only an earlier deadline is pushed; a later one is
  // picked up when the earlier fires and the agent is re-evaluated. REQUIRES: mu held.
  void Schedule(AgentEntry* e, core::Timestamp due);
  // Pops every live entry due at or before `now`. REQUIRES: mu held.
  void PopDue(core::Timestamp now, std::vector<AgentEntry*>& out);

  template <typename F>
  void ForEach(F&& f) {
    index_.ForEach(f);
  }
  size_t size() const { return index_.size(); }
  size_t heap_size() const { return heap_.size(); }

 private:
  struct Deadline {
    core::Timestamp due;
    AgentEntry* entry;
    bool operator>(const Deadline& o) const { return due > o.due; }
  };

  AgentIndex index_;
  std::vector<AgentEntry*> dirty_;
  std::vector<Deadline> heap_;  // min-heap on due
};

}  // namespace vitals::engine
