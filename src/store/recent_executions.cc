#include "store/recent_executions.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <optional>
#include <string_view>

namespace vitals::store {
namespace {

uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ULL;
  return h ^ (h >> 29);
}

uint64_t MixText(uint64_t h, std::string_view s) {
  return Mix(h, std::hash<std::string_view>{}(s));
}

// SQLite may keep a whole REAL as an integer, which reads back +0.0 for -0.0.
uint64_t MixReal(uint64_t h, double d) { return Mix(h, std::bit_cast<uint64_t>(d == 0 ? 0.0 : d)); }

}  // namespace

RecentExecutions::Fields RecentExecutions::FieldsOf(const ExecutionWrite& row) {
  const core::ExecutionEvent& e = row.event;
  return {e.organization_id,
          e.agent_id,
          e.execution_id,
          row.started_only,
          {e.action_type, e.action_name, e.input_summary, e.output_summary, e.status,
           e.error_message, e.metadata_json, e.integration_id},
          e.latency_ms,
          e.cost_usd,
          e.token_count};
}

uint64_t RecentExecutions::KeyOf(const Fields& f) {
  uint64_t h = MixText(f.started_only ? 2 : 1, f.organization_id);
  h = MixText(MixText(h, f.agent_id), f.execution_id);
  return h == 0 ? 1 : h;
}

uint64_t RecentExecutions::ContentOf(const Fields& f) {
  uint64_t h = 0;
  for (std::string_view s : f.text) h = MixText(h, s);
  h = MixReal(MixReal(h, f.latency_ms), f.cost_usd);
  return Mix(h, f.token_count ? static_cast<uint64_t>(*f.token_count) ^ (1ULL << 63) : 0ULL);
}

RecentExecutions::RecentExecutions(size_t capacity)
    : slots_(capacity == 0 ? 0 : std::bit_ceil(2 * capacity)), ring_(capacity, 0) {}

RecentExecutions::Verdict RecentExecutions::Admit(const ExecutionWrite& row) {
  if (ring_.empty() || row.event.execution_id.empty()) return Verdict::kNew;
  const Fields fields = FieldsOf(row);
  const uint64_t key = KeyOf(fields);
  const uint64_t content = ContentOf(fields);
  if (const Slot* s = Find(key)) {
    return s->content == content ? Verdict::kDuplicate : Verdict::kConflict;
  }
  Insert(key, content);
  ++admitted_;
  return Verdict::kNew;
}

void RecentExecutions::Remember(uint64_t key, uint64_t content) {
  if (Slot* s = Find(key)) {
    s->content = content;  // stored twice before this existed: the newest wins
    return;
  }
  Insert(key, content);
}

void RecentExecutions::RollBack() {
  for (; admitted_ > 0; --admitted_) {
    next_ = (next_ + ring_.size() - 1) % ring_.size();
    Erase(ring_[next_]);
    ring_[next_] = 0;
    --count_;
  }
}

void RecentExecutions::Insert(uint64_t key, uint64_t content) {
  if (count_ == ring_.size()) {
    Erase(ring_[next_]);
  } else {
    ++count_;
  }
  ring_[next_] = key;
  next_ = (next_ + 1) % ring_.size();
  const size_t mask = slots_.size() - 1;
  size_t i = key & mask;
  while (slots_[i].key != 0) i = (i + 1) & mask;
  slots_[i] = {key, content};
}

RecentExecutions::Slot* RecentExecutions::Find(uint64_t key) {
  const size_t mask = slots_.size() - 1;
  for (size_t i = key & mask; slots_[i].key != 0; i = (i + 1) & mask) {
    if (slots_[i].key == key) return &slots_[i];
  }
  return nullptr;
}

// Backward-shift deletion: the slots after the hole that may move into it do, so probes never
// meet a hole before their key.
void RecentExecutions::Erase(uint64_t key) {
  Slot* found = key == 0 ? nullptr : Find(key);
  if (found == nullptr) return;
  const size_t mask = slots_.size() - 1;
  size_t hole = static_cast<size_t>(found - slots_.data());
  for (size_t i = (hole + 1) & mask; slots_[i].key != 0; i = (i + 1) & mask) {
    const size_t home = slots_[i].key & mask;
    // The entry at i may fill the hole when its home is not in (hole, i] (cyclically).
    const bool stays = hole < i ? (home > hole && home <= i) : (home > hole || home <= i);
    if (stays) continue;
    slots_[hole] = slots_[i];
    hole = i;
  }
  slots_[hole] = {};
}

}  // namespace vitals::store
