// CounterDeltas: the real-time counters of seed 000 (per agent and minute, per agent and hour),
// accumulated between two publications and turned into one Redis pipeline, so Redis sees one
// batch per tick rather than commands per event.
//
// Keys (ids escaped so that ':', '{', '}' and '%' cannot make two agents share a key; the braces
// are a Redis Cluster hash tag, so one agent's keys live in one slot):
//   vitals:minute:{ORG:AGENT}:YYYYMMDDHHMM  hash, TTL 600 s
//   vitals:hour:{ORG:AGENT}:YYYYMMDDHH      hash, TTL 7200 s
//     total, success, failure (integers), latency_sum (ms), cost_sum (USD), tokens (integer)
//   vitals:latency:{ORG:AGENT}:YYYYMMDDHHMM hash, TTL 600 s
//     field: a latency bin of SketchMapping::Default() (DDSketch, 1% relative accuracy; value of
//     bin i = exp(i / ln(gamma)) * 2 / (1 + gamma), "z" for latencies below 1 us); value: count
//
// Not thread-safe (RealtimeCounters serialises access). Pure: no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/execution_event.h"
#include "core/time.h"

namespace vitals::cluster {

inline constexpr int kMinuteTtlSeconds = 600;
inline constexpr int kHourTtlSeconds = 7200;
inline constexpr int32_t kZeroBin = INT32_MIN;  // the field "z"

struct CounterTotals {
  int64_t total = 0;
  int64_t success = 0;
  int64_t failure = 0;
  double latency_sum = 0;
  double cost_sum = 0;
  int64_t tokens = 0;
  std::map<int32_t, int64_t> latency_bins;  // only for minutes; kZeroBin below 1 us
};

class CounterDeltas {
 public:
  // Counts one finished execution into its minute and hour, unless those keys would already
  // have expired at `now` (an event accepted late, up to a day behind).
  void Add(const core::ExecutionEvent& e, core::Timestamp now);
  // Adds everything of `other` (deltas a failed publication gives back).
  void Merge(CounterDeltas&& other);
  bool empty() const { return minutes_.empty() && hours_.empty(); }
  size_t keys() const { return minutes_.size() + hours_.size(); }
  // Appends the commands that apply these deltas to `out`: HINCRBY/HINCRBYFLOAT per field and
  // an EXPIRE per key.
  void AppendCommands(std::vector<std::vector<std::string>>& out) const;
  // The same commands, leaving this empty.
  std::vector<std::vector<std::string>> TakeCommands();

  // "vitals:minute:{org:agent}:202612061305" and friends; exposed for tests and readers.
  static std::string AgentTag(std::string_view organization_id, std::string_view agent_id);
  static std::string MinuteBucket(core::Timestamp t);  // YYYYMMDDHHMM, UTC
  static std::string HourBucket(core::Timestamp t);    // YYYYMMDDHH, UTC

 private:
  // (agent tag, bucket) -> totals
  using Table = std::map<std::pair<std::string, std::string>, CounterTotals>;
  static void Emit(const Table& table, std::string_view kind, int ttl,
                   std::vector<std::vector<std::string>>& out);
  static void MergeTable(Table& into, Table& from);

  Table minutes_;
  Table hours_;
};

}  // namespace vitals::cluster
