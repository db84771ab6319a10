#include "cluster/counter_deltas.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/sketch_mapping.h"

namespace vitals::cluster {
namespace {

using Commands = std::vector<std::vector<std::string>>;

core::Timestamp At(const char* iso) { return core::ParseTimestamp(iso).value(); }

core::ExecutionEvent Event(const std::string& agent, core::Timestamp t, bool ok, double latency,
                           double cost = 0, std::optional<int64_t> tokens = std::nullopt) {
  core::ExecutionEvent e;
  e.organization_id = "org";
  e.agent_id = agent;
  e.timestamp = t;
  e.status = ok ? "success" : "error";
  e.latency_ms = latency;
  e.cost_usd = cost;
  e.token_count = tokens;
  return e;
}

// key -> field -> value, from HINCRBY/HINCRBYFLOAT; key -> ttl from EXPIRE.
struct Applied {
  std::map<std::string, std::map<std::string, double>> hashes;
  std::map<std::string, int> ttls;
};
Applied Apply(const Commands& commands) {
  Applied a;
  for (const auto& c : commands) {
    if (c[0] == "HINCRBY" || c[0] == "HINCRBYFLOAT") {
      a.hashes[c[1]][c[2]] += std::stod(c[3]);
    } else if (c[0] == "EXPIRE") {
      a.ttls[c[1]] = std::stoi(c[2]);
    } else {
      ADD_FAILURE() << "unexpected command " << c[0];
    }
  }
  return a;
}

TEST(CounterDeltasTest, BucketsAreUtcMinutesAndHours) {
  EXPECT_EQ(CounterDeltas::MinuteBucket(At("2026-12-06T13:05:59.999Z")), "202612061305");
  EXPECT_EQ(CounterDeltas::HourBucket(At("2026-12-06T13:05:59.999Z")), "2026120613");
  EXPECT_EQ(CounterDeltas::MinuteBucket(At("2027-01-01T00:00:00Z")), "202701010000");
  EXPECT_EQ(CounterDeltas::MinuteBucket(At("2026-12-31T23:59:30Z")), "202612312359");
}

TEST(CounterDeltasTest, IdsAreEscapedSoTwoAgentsNeverShareAKey) {
  EXPECT_EQ(CounterDeltas::AgentTag("org", "agent-1"), "{org:agent-1}");
  EXPECT_NE(CounterDeltas::AgentTag("a:b", "c"), CounterDeltas::AgentTag("a", "b:c"));
  EXPECT_EQ(CounterDeltas::AgentTag("a", "b:c"), "{a:b%3Ac}");
  EXPECT_EQ(CounterDeltas::AgentTag("%", "{x}"), "{%25:%7Bx%7D}");
}

TEST(CounterDeltasTest, OneMinuteOfExecutionsBecomesOneHashPerKeyWithTtls) {
  const core::Timestamp now = At("2026-12-06T13:05:30Z");
  CounterDeltas d;
  d.Add(Event("a", At("2026-12-06T13:05:01Z"), true, 100, 0.25, 40), now);
  d.Add(Event("a", At("2026-12-06T13:05:02Z"), false, 300, 0.5, 2), now);
  d.Add(Event("a", At("2026-12-06T13:05:03Z"), true, 100), now);
  d.Add(Event("a", At("2026-12-06T13:04:59Z"), true, 50), now);
  EXPECT_EQ(d.keys(), 3u);  // two minutes, one hour
  const Applied a = Apply(d.TakeCommands());
  EXPECT_TRUE(d.empty());
  const auto& m = a.hashes.at("vitals:minute:{org:a}:202612061305");
  EXPECT_EQ(m.at("total"), 3);
  EXPECT_EQ(m.at("success"), 2);
  EXPECT_EQ(m.at("failure"), 1);
  EXPECT_DOUBLE_EQ(m.at("latency_sum"), 500);
  EXPECT_DOUBLE_EQ(m.at("cost_sum"), 0.75);
  EXPECT_EQ(m.at("tokens"), 42);
  EXPECT_EQ(a.ttls.at("vitals:minute:{org:a}:202612061305"), 600);
  const auto& h = a.hashes.at("vitals:hour:{org:a}:2026120613");
  EXPECT_EQ(h.at("total"), 4);
  EXPECT_DOUBLE_EQ(h.at("latency_sum"), 550);
  EXPECT_EQ(a.ttls.at("vitals:hour:{org:a}:2026120613"), 7200);
  // The latency bins: two at 100 ms, one at 300 ms, in the engine's sketch mapping.
  const auto& bins = a.hashes.at("vitals:latency:{org:a}:202612061305");
  const core::SketchMapping& map = core::SketchMapping::Default();
  EXPECT_EQ(bins.at(std::to_string(map.Index(100))), 2);
  EXPECT_EQ(bins.at(std::to_string(map.Index(300))), 1);
  EXPECT_EQ(bins.size(), 2u);
  EXPECT_EQ(a.ttls.at("vitals:latency:{org:a}:202612061305"), 600);
}

TEST(CounterDeltasTest, LateEventsSkipKeysThatWouldAlreadyHaveExpired) {
  const core::Timestamp now = At("2026-12-06T13:30:00Z");
  CounterDeltas d;
  d.Add(Event("late", At("2026-12-06T13:15:00Z"), true, 10), now);  // minute gone, hour kept
  d.Add(Event("old", At("2026-12-06T10:00:00Z"), true, 10), now);   // both gone
  const Applied a = Apply(d.TakeCommands());
  EXPECT_EQ(a.hashes.count("vitals:minute:{org:late}:202612061315"), 0u);
  EXPECT_EQ(a.hashes.at("vitals:hour:{org:late}:2026120613").at("total"), 1);
  for (const auto& [key, fields] : a.hashes) EXPECT_EQ(key.find("old"), std::string::npos) << key;
}

TEST(CounterDeltasTest, MergeAddsDeltasOfTheSameKeys) {
  const core::Timestamp now = At("2026-12-06T13:05:30Z");
  CounterDeltas a, b;
  a.Add(Event("x", now, true, 10), now);
  b.Add(Event("x", now, false, 20), now);
  b.Add(Event("y", now, true, 0), now);  // below the sketch's floor: the zero bin
  a.Merge(std::move(b));
  EXPECT_TRUE(b.empty());
  const Applied applied = Apply(a.TakeCommands());
  EXPECT_EQ(applied.hashes.at("vitals:minute:{org:x}:202612061305").at("total"), 2);
  EXPECT_EQ(applied.hashes.at("vitals:minute:{org:x}:202612061305").at("failure"), 1);
  EXPECT_EQ(applied.hashes.at("vitals:latency:{org:y}:202612061305").at("z"), 1);
}

}  // namespace
}  // namespace vitals::cluster
