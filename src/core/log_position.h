// LogPosition: which store log ids an agent's state has counted, exactly.
//
// The store numbers executions in commit order, but an owner does not receive them in that order
// in a cluster: an execution committed by another node reaches it through a stream, after ones
// it committed itself with larger ids, or is lost with the stream. A single "largest id counted"
// would let a restore skip what was still on its way. A LogPosition is a floor (every id at or
// below it is counted, or presumed never to arrive) and the exact set of counted ids above it,
// so a restore replays precisely the ids it lacks and a redelivery counts nothing twice.
//
// The caller raises the floor: to each batch's largest id on a single node (ids arrive in
// order), to "the largest id known a reorder window ago" in a cluster.
//
// Not thread-safe (the agent's shard lock guards it).
#pragma once

#include <cstdint>
#include <vector>

#include "core/binary_codec.h"

namespace vitals::core {

class LogPosition {
 public:
  LogPosition() = default;
  explicit LogPosition(int64_t floor) : floor_(floor) {}

  // Whether `id` is counted (ids <= 0, "not stored", never are).
  bool Contains(int64_t id) const;
  // Records `id` (> 0) as counted.
  void Add(int64_t id);
  // Every id at or below `floor` is counted from now on; ids above it stay exact.
  void RaiseFloor(int64_t floor);

  int64_t floor() const { return floor_; }
  // The largest id counted (the floor when none is above it).
  int64_t last() const { return above_.empty() ? floor_ : above_.back(); }
  size_t above_count() const { return above_.size(); }
  size_t MemoryUsage() const { return above_.capacity() * sizeof(int64_t); }

  // The set above the floor as deltas (a checkpoint's tail); the floor is stored by the caller.
  void EncodeAbove(BinaryWriter& w) const;
  // False when the encoding is corrupt (this position then unchanged).
  bool DecodeAbove(BinaryReader& r);

 private:
  int64_t floor_ = 0;
  std::vector<int64_t> above_;  // sorted, distinct, all > floor_
};

}  // namespace vitals::core
