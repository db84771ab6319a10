#include "store/sqlite/execution_tail.h"

#include <algorithm>

namespace vitals::store {

uint64_t HashAgentKey(AgentKeyView key) {
  const uint64_t h = std::hash<std::string_view>{}(key.organization_id);
  return h ^ (std::hash<std::string_view>{}(key.agent_id) + 0x9e3779b97f4a7c15ULL + (h << 6) +
              (h >> 2));
}

std::shared_ptr<const TailChunk> TailChunk::Build(std::vector<Row>& rows) {
  // Sorting by (hash, id) compares no strings; agents whose hashes collide are separated after.
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.entry.id < b.entry.id;
  });
  SeparateCollisions(
      rows, [](const Row& r) { return r.hash; }, [](const Row& r) { return r.key; });
  auto chunk = std::make_shared<TailChunk>();
  chunk->entries_.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    if (i == 0 || r.hash != rows[i - 1].hash || r.key != rows[i - 1].key) {
      chunk->groups_.push_back({r.hash, static_cast<uint32_t>(chunk->keys_.size()),
                                static_cast<uint16_t>(r.key.organization_id.size()),
                                static_cast<uint16_t>(r.key.agent_id.size()),
                                static_cast<uint32_t>(i), 0});
      chunk->keys_.append(r.key.organization_id);
      chunk->keys_.append(r.key.agent_id);
    }
    ++chunk->groups_.back().count;
    chunk->entries_.push_back(r.entry);
  }
  return chunk;
}

AgentKeyView TailChunk::key(size_t g) const {
  const Group& group = groups_[g];
  const std::string_view all(keys_);
  return {all.substr(group.key_offset, group.organization_length),
          all.substr(group.key_offset + group.organization_length, group.agent_length)};
}

size_t TailChunk::Find(AgentKeyView key, uint64_t hash) const {
  auto it = std::lower_bound(groups_.begin(), groups_.end(), hash,
                             [](const Group& g, uint64_t h) { return g.hash < h; });
  for (; it != groups_.end() && it->hash == hash; ++it) {
    const size_t g = static_cast<size_t>(it - groups_.begin());
    if (this->key(g) == key) return g;
  }
  return groups_.size();
}

void ExecutionTail::Publish(std::shared_ptr<const TailChunk> chunk) {
  if (chunk == nullptr || chunk->rows() == 0) return;
  const size_t rows = chunk->rows();
  std::lock_guard lock(mu_);
  chunks_.push_back(std::move(chunk));
  rows_ += rows;
}

void ExecutionTail::Clear() {
  Chunks old;
  {
    std::lock_guard lock(mu_);
    old.swap(chunks_);
    rows_ = 0;
  }
}

void ExecutionTail::Collect(AgentKeyView key, int64_t from, int64_t to,
                            std::vector<IdEntry>& out) const {
  const uint64_t hash = HashAgentKey(key);
  std::lock_guard lock(mu_);
  for (const auto& chunk : chunks_) {
    const size_t g = chunk->Find(key, hash);
    if (g == chunk->groups()) continue;
    for (const IdEntry& e : chunk->entries(g)) {
      if (e.ts >= from && e.ts <= to) out.push_back(e);
    }
  }
}

}  // namespace vitals::store
