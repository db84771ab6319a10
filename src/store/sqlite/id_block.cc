#include "store/sqlite/id_block.h"

#include <algorithm>

namespace vitals::store {
namespace {

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view& in, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

}  // namespace

IdBlock EncodeIdBlock(const std::vector<IdEntry>& entries) {
  IdBlock block;
  block.first_id = entries.front().id;
  block.last_id = entries.back().id;
  block.count = static_cast<int64_t>(entries.size());
  block.min_ts = entries.front().ts;
  block.max_ts = entries.front().ts;
  for (const IdEntry& e : entries) {
    block.min_ts = std::min(block.min_ts, e.ts);
    block.max_ts = std::max(block.max_ts, e.ts);
  }
  block.ids.reserve(entries.size() * 5);
  int64_t prev_id = block.first_id;
  int64_t prev_ts = block.min_ts;
  for (const IdEntry& e : entries) {
    PutVarint(block.ids, static_cast<uint64_t>(e.id - prev_id) << 2 | (e.flags & 3));
    PutVarint(block.ids, ZigZag(e.ts - prev_ts));
    prev_id = e.id;
    prev_ts = e.ts;
  }
  return block;
}

std::optional<size_t> DecodeIdBlock(std::string_view ids, int64_t first_id, int64_t min_ts,
                                    int64_t count, std::vector<IdEntry>& out) {
  const size_t start = out.size();
  int64_t id = first_id;
  int64_t ts = min_ts;
  for (int64_t i = 0; i < count; ++i) {
    uint64_t id_part = 0;
    uint64_t ts_part = 0;
    if (!GetVarint(ids, id_part) || !GetVarint(ids, ts_part)) {
      out.resize(start);
      return std::nullopt;
    }
    id += static_cast<int64_t>(id_part >> 2);
    ts += UnZigZag(ts_part);
    out.push_back({id, ts, static_cast<uint8_t>(id_part & 3)});
  }
  if (!ids.empty()) {
    out.resize(start);
    return std::nullopt;
  }
  return static_cast<size_t>(count);
}

}  // namespace vitals::store
