#include "engine/agent_index.h"

namespace vitals::engine {

AgentIndex::~AgentIndex() {
  for (Slot& s : slots_) delete s.entry;
}

AgentEntry* AgentIndex::Find(AgentKeyView key, uint64_t hash) const {
  for (size_t i = hash & mask();; i = (i + 1) & mask()) {
    const Slot& s = slots_[i];
    if (!s.entry) return nullptr;
    if (s.hash == hash && Matches(*s.entry, key)) return s.entry;
  }
}

AgentEntry* AgentIndex::Candidate(uint64_t hash) const {
  for (size_t i = hash & mask();; i = (i + 1) & mask()) {
    const Slot& s = slots_[i];
    if (!s.entry || s.hash == hash) return s.entry;
  }
}

AgentEntry* AgentIndex::Insert(uint64_t hash, std::unique_ptr<AgentEntry> entry) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  size_t i = hash & mask();
  while (slots_[i].entry) i = (i + 1) & mask();
  slots_[i] = {hash, entry.release()};
  ++size_;
  return slots_[i].entry;
}

std::unique_ptr<AgentEntry> AgentIndex::Erase(AgentKeyView key, uint64_t hash) {
  size_t i = hash & mask();
  for (;; i = (i + 1) & mask()) {
    if (!slots_[i].entry) return nullptr;
    if (slots_[i].hash == hash && Matches(*slots_[i].entry, key)) break;
  }
  std::unique_ptr<AgentEntry> out(slots_[i].entry);
  slots_[i] = Slot{};
  --size_;
  // Backward-shift: pull later members of the probe run into the hole so no tombstones remain.
  for (size_t j = (i + 1) & mask(); slots_[j].entry; j = (j + 1) & mask()) {
    const size_t home = slots_[j].hash & mask();
    const bool movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
    if (movable) {
      slots_[i] = slots_[j];
      slots_[j] = Slot{};
      i = j;
    }
  }
  return out;
}

void AgentIndex::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  for (const Slot& s : old) {
    if (!s.entry) continue;
    size_t i = s.hash & mask();
    while (slots_[i].entry) i = (i + 1) & mask();
    slots_[i] = s;
  }
}

}  // namespace vitals::engine
