#include "core/log_position.h"

#include <algorithm>

namespace vitals::core {

bool LogPosition::Contains(int64_t id) const {
  if (id <= 0) return false;
  return id <= floor_ || std::binary_search(above_.begin(), above_.end(), id);
}

void LogPosition::Add(int64_t id) {
  if (id <= floor_) return;
  if (above_.empty() || id > above_.back()) {  // the usual case: ids arrive in order
    above_.push_back(id);
    return;
  }
  auto it = std::lower_bound(above_.begin(), above_.end(), id);
  if (*it != id) above_.insert(it, id);
}

void LogPosition::RaiseFloor(int64_t floor) {
  if (floor <= floor_) return;
  floor_ = floor;
  above_.erase(above_.begin(), std::upper_bound(above_.begin(), above_.end(), floor_));
  if (above_.empty() && above_.capacity() > 64) above_.shrink_to_fit();  // a burst is over
}

void LogPosition::EncodeAbove(BinaryWriter& w) const {
  w.U64(above_.size());
  int64_t prev = floor_;
  for (int64_t id : above_) {
    w.U64(static_cast<uint64_t>(id - prev));
    prev = id;
  }
}

bool LogPosition::DecodeAbove(BinaryReader& r) {
  const uint64_t n = r.Count(1);
  if (!r.ok() || floor_ < 0) return false;
  std::vector<int64_t> above;
  above.reserve(n);
  int64_t prev = floor_;
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t delta = r.U64();
    if (!r.ok() || delta == 0 || delta > static_cast<uint64_t>(INT64_MAX - prev)) return false;
    prev += static_cast<int64_t>(delta);
    above.push_back(prev);
  }
  above_ = std::move(above);
  return true;
}

}  // namespace vitals::core
