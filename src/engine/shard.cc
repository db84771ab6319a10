#include "engine/shard.h"

#include <algorithm>
#include <functional>

namespace vitals::engine {

bool Shard::Erase(AgentKeyView key) {
  AgentEntry* e = Find(key);
  if (!e) return false;
  std::erase(dirty_, e);
  if (std::erase_if(heap_, [e](const Deadline& d) { return d.entry == e; }) > 0) {
    std::make_heap(heap_.begin(), heap_.end(), std::greater<>());
  }
  index_.Erase(key, AgentKeyHash{}(key));
  return true;
}

void Shard::MarkDirty(AgentEntry* e) {
  e->checkpoint_dirty = true;
  if (e->dirty) return;
  e->dirty = true;
  dirty_.push_back(e);
}

std::vector<AgentEntry*> Shard::TakeDirty() {
  std::vector<AgentEntry*> out;
  out.swap(dirty_);
  for (AgentEntry* e : out) e->dirty = false;
  return out;
}

void Shard::Schedule(AgentEntry* e, core::Timestamp due) {
  if (e->scheduled && *e->scheduled <= due) return;
  e->scheduled = due;
  heap_.push_back({due, e});
  std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
}

void Shard::PopDue(core::Timestamp now, std::vector<AgentEntry*>& out) {
  while (!heap_.empty() && heap_.front().due <= now) {
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
    const Deadline d = heap_.back();
    heap_.pop_back();
    if (d.entry->scheduled != d.due) continue;  // superseded by an earlier deadline
    d.entry->scheduled.reset();
    out.push_back(d.entry);
  }
}

}  // namespace vitals::engine
