#include "store/sqlite/recent_executions.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <optional>
#include <string_view>

#include "store/sqlite/day_partition.h"
#include "store/sqlite/execution_columns.h"

namespace vitals::store {
namespace {

// A reopen reads back this many of the latest rows at most (about 1.5 us each): the retries that
// follow a crash are of what was being committed when it happened; a larger window would make
// every start slower for them.
constexpr size_t kRestoredRows = 1 << 16;

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

// What a row is recognized by, whether it comes from a client or from the log.
struct Fields {
  std::string_view organization_id, agent_id, execution_id;
  bool started_only = false;
  // The content, in hashing order.
  std::string_view
      text[8];  // action type and name, summaries, status, error, metadata, integration
  double latency_ms = 0, cost_usd = 0;
  std::optional<int64_t> token_count;
};

Fields FieldsOf(const ExecutionWrite& row) {
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

// The current row of a SELECT of kExecutionColumns, read in place (no copies: a reopen reads up
// to the whole window).
Fields FieldsOfRow(const Statement& s) {
  return {s.TextView(1),
          s.TextView(2),
          s.TextView(3),
          s.Bool(16),
          {s.TextView(4), s.TextView(5), s.TextView(6), s.TextView(7), s.TextView(8), s.TextView(9),
           s.TextView(13), s.TextView(14)},
          s.Double(10),
          s.Double(12),
          s.OptInt(11)};
}

uint64_t KeyOf(const Fields& f) {
  uint64_t h = MixText(f.started_only ? 2 : 1, f.organization_id);
  h = MixText(MixText(h, f.agent_id), f.execution_id);
  return h == 0 ? 1 : h;
}

uint64_t ContentOf(const Fields& f) {
  uint64_t h = 0;
  for (std::string_view s : f.text) h = MixText(h, s);
  h = MixReal(MixReal(h, f.latency_ms), f.cost_usd);
  return Mix(h, f.token_count ? static_cast<uint64_t>(*f.token_count) ^ (1ULL << 63) : 0ULL);
}

}  // namespace

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

core::Status RecentExecutions::Load(Connection& db, int64_t next_id) {
  if (ring_.empty()) return core::Status::Ok();
  const int64_t from = next_id - static_cast<int64_t>(std::min(ring_.size(), kRestoredRows));
  auto days = db.Prepare(
      "SELECT day FROM execution_partitions WHERE day >= (SELECT COALESCE(MAX(day), 0) "
      "FROM execution_partitions WHERE first_id <= ?1) ORDER BY day",
      false);
  if (!days.ok()) return days.status();
  days->Bind(1, from);
  std::vector<int32_t> tables;
  while (days->Step()) tables.push_back(static_cast<int32_t>(days->Int(0)));
  if (core::Status s = days->status("read execution_partitions"); !s.ok()) return s;
  for (int32_t day : tables) {
    const std::string table = ExecutionTableName(day);
    auto rows = db.Prepare(std::string("SELECT ") + kExecutionColumns + " FROM " + table +
                               " WHERE id >= ?1 ORDER BY id",
                           false);
    if (!rows.ok()) return rows.status();
    rows->Bind(1, from);
    while (rows->Step()) {
      const Fields row = FieldsOfRow(*rows);
      if (!row.execution_id.empty()) Remember(KeyOf(row), ContentOf(row));
    }
    if (core::Status s = rows->status("read the recent executions of " + table); !s.ok()) return s;
  }
  return core::Status::Ok();
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
