// IdBlock: the compact list of one agent's execution ids and timestamps that the block index
// stores per seal (execution_blocks.ids), so a query finds an agent's rows without a per-row index.
//
// Encoding: for each entry in id order, varint((id - previous id) << 2 | flags) then
// zigzag-varint(timestamp - previous timestamp); "previous" starts at (first_id, min_ts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::store {

// What a query can filter on without reading the row.
enum IdFlags : uint8_t {
  kStartedOnly = 1,  // a start record (two-part reporting)
  kSucceeded = 2,    // status == "success"
};

struct IdEntry {
  int64_t id = 0;
  int64_t ts = 0;  // event timestamp, micros
  uint8_t flags = 0;
};

struct IdBlock {
  int64_t first_id = 0;
  int64_t last_id = 0;
  int64_t min_ts = 0;
  int64_t max_ts = 0;
  int64_t count = 0;
  std::string ids;  // the encoded entries
};

// REQUIRES: `entries` non-empty, ids strictly increasing.
IdBlock EncodeIdBlock(const std::vector<IdEntry>& entries);

// Appends the decoded entries to `out`. nullopt (nothing appended) when `ids` is malformed.
std::optional<size_t> DecodeIdBlock(std::string_view ids, int64_t first_id, int64_t min_ts,
                                    int64_t count, std::vector<IdEntry>& out);

}  // namespace vitals::store
