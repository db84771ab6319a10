#include "core/heartbeat_tracker.h"

#include <gtest/gtest.h>

namespace vitals::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const Timestamp kT0 = FromMicros(1'767'225'600'000'000);
const Duration kNoPause{0};

HeartbeatConfig Fixed(Duration interval, int threshold) {
  HeartbeatConfig c;
  c.interval = interval;
  c.failure_threshold = threshold;
  return c;
}

TEST(HeartbeatTracker, StatesByMultiplesOfTheInterval) {
  HeartbeatTracker hb(Fixed(seconds(5), 3), kT0, kNoPause);
  hb.Record(kT0, kT0, "", kNoPause);
  auto at = [&](Duration d) { return hb.StateAt(kT0 + d, kNoPause); };
  EXPECT_EQ(at(seconds(0)), HeartbeatState::kHealthy);
  EXPECT_EQ(at(milliseconds(4999)), HeartbeatState::kHealthy);
  EXPECT_EQ(at(seconds(5)), HeartbeatState::kDegraded);  // exactly 1x: no longer "< interval"
  EXPECT_EQ(at(milliseconds(9999)), HeartbeatState::kDegraded);
  EXPECT_EQ(at(seconds(10)), HeartbeatState::kCritical);  // exactly 2x
  EXPECT_EQ(at(seconds(15)), HeartbeatState::kCritical);  // exactly 3x: not yet "> threshold"
  EXPECT_EQ(at(seconds(15) + Duration(1)), HeartbeatState::kFailed);
}

TEST(HeartbeatTracker, RecoversOnTheNextHeartbeat) {
  HeartbeatTracker hb(Fixed(seconds(5), 3), kT0, kNoPause);
  EXPECT_EQ(hb.StateAt(kT0 + seconds(60), kNoPause), HeartbeatState::kFailed);
  hb.Record(kT0 + seconds(60), kT0 + seconds(60), R"({"cpu":45.2})", kNoPause);
  EXPECT_EQ(hb.StateAt(kT0 + seconds(61), kNoPause), HeartbeatState::kHealthy);
}

TEST(HeartbeatTracker, NeverHeardFromFailsFromMonitoringStart) {
  HeartbeatTracker hb(Fixed(seconds(1), 2), kT0, kNoPause);
  EXPECT_FALSE(hb.last_heartbeat().has_value());
  EXPECT_EQ(hb.StateAt(kT0 + seconds(3), kNoPause), HeartbeatState::kFailed);
}

TEST(HeartbeatTracker, NextChangeWalksTheBoundaries) {
  HeartbeatTracker hb(Fixed(seconds(5), 3), kT0, kNoPause);
  hb.Record(kT0, kT0, "", kNoPause);
  EXPECT_EQ(hb.NextChange(kT0, kNoPause), kT0 + seconds(5));
  EXPECT_EQ(hb.NextChange(kT0 + seconds(5), kNoPause), kT0 + seconds(10));
  EXPECT_EQ(hb.NextChange(kT0 + seconds(12), kNoPause), kT0 + seconds(15) + Duration(1));
  EXPECT_EQ(hb.NextChange(kT0 + seconds(16), kNoPause), std::nullopt);
}

TEST(HeartbeatTracker, MonitorPauseConvictsNobody) {
  HeartbeatTracker hb(Fixed(seconds(5), 3), kT0, kNoPause);
  hb.Record(kT0, kT0, "", kNoPause);
  // The monitor was suspended for 60 s right after the heartbeat: only 2 s really elapsed.
  EXPECT_EQ(hb.StateAt(kT0 + seconds(62), seconds(60)), HeartbeatState::kHealthy);
  EXPECT_EQ(hb.Elapsed(kT0 + seconds(62), seconds(60)), seconds(2));
  // Pauses before the last heartbeat do not count: it recorded the total at that time.
  hb.Record(kT0 + seconds(70), kT0 + seconds(70), "", seconds(60));
  EXPECT_EQ(hb.StateAt(kT0 + seconds(76), seconds(60)), HeartbeatState::kDegraded);
}

TEST(HeartbeatTracker, ClockGoingBackwardsIsZeroElapsed) {
  HeartbeatTracker hb(Fixed(seconds(5), 3), kT0, kNoPause);
  hb.Record(kT0, kT0, "", kNoPause);
  EXPECT_EQ(hb.Elapsed(kT0 - seconds(30), kNoPause), Duration(0));
  EXPECT_EQ(hb.StateAt(kT0 - seconds(30), kNoPause), HeartbeatState::kHealthy);
}

TEST(HeartbeatTracker, BoundedHistoryWithMetadataAndTimeRange) {
  HeartbeatConfig c = Fixed(seconds(1), 3);
  c.history_size = 100;
  HeartbeatTracker hb(c, kT0, kNoPause);
  for (int i = 0; i < 150; ++i) {
    hb.Record(kT0 + seconds(i), kT0 + seconds(i), "{\"i\":" + std::to_string(i) + "}", kNoPause);
  }
  auto all = hb.History();
  ASSERT_EQ(all.size(), 100u);
  EXPECT_EQ(all.front().timestamp, kT0 + seconds(50));
  EXPECT_EQ(all.back().metadata_json, "{\"i\":149}");
  auto range = hb.History(kT0 + seconds(120), kT0 + seconds(129));
  ASSERT_EQ(range.size(), 10u);
  EXPECT_EQ(range.front().metadata_json, "{\"i\":120}");
  EXPECT_EQ(hb.total_heartbeats(), 150u);
}

TEST(HeartbeatTracker, IntervalDistribution) {
  HeartbeatTracker hb(Fixed(seconds(1), 3), kT0, kNoPause);
  Timestamp t = kT0;
  for (int ms : {0, 1000, 1200, 800, 1000}) {
    t += milliseconds(ms);
    hb.Record(t, t, "", kNoPause);
  }
  IntervalStats s = hb.Intervals();
  EXPECT_EQ(s.count, 4);
  EXPECT_DOUBLE_EQ(s.mean_ms, 1000);
  EXPECT_DOUBLE_EQ(s.min_ms, 800);
  EXPECT_DOUBLE_EQ(s.max_ms, 1200);
  EXPECT_NEAR(s.stddev_ms, 141.42, 0.01);
}

TEST(HeartbeatTracker, AdaptiveModeLearnsTheAgentsRhythm) {
  HeartbeatConfig c = Fixed(seconds(1), 3);
  c.mode = HeartbeatMode::kAdaptive;
  HeartbeatTracker hb(c, kT0, kNoPause);
  Timestamp t = kT0;
  for (int i = 0; i < 60; ++i) {  // this agent beats every 10 s, not every 1 s as configured
    t += seconds(10);
    hb.Record(t, t, "", kNoPause);
  }
  // 12 s after a 10 s rhythm is unremarkable (fixed mode would already say FAILED)...
  EXPECT_EQ(hb.StateAt(t + seconds(12), kNoPause), HeartbeatState::kHealthy);
  // ...much longer is not.
  EXPECT_EQ(hb.StateAt(t + seconds(60), kNoPause), HeartbeatState::kFailed);
  auto next = hb.NextChange(t, kNoPause);
  ASSERT_TRUE(next.has_value());
  EXPECT_GT(*next, t + seconds(10));
  EXPECT_EQ(hb.StateAt(*next, kNoPause), HeartbeatState::kDegraded);
}

TEST(HeartbeatTracker, ReconfigureKeepsNewestHistory) {
  HeartbeatTracker hb(Fixed(seconds(1), 3), kT0, kNoPause);
  for (int i = 0; i < 120; ++i) hb.Record(kT0 + seconds(i), kT0 + seconds(i), "", kNoPause);
  HeartbeatConfig c = Fixed(seconds(2), 5);
  c.history_size = 10;
  hb.Reconfigure(c);
  auto h = hb.History();
  ASSERT_EQ(h.size(), 10u);
  EXPECT_EQ(h.back().timestamp, kT0 + seconds(119));
  EXPECT_EQ(hb.StateAt(kT0 + seconds(119) + seconds(3), kNoPause), HeartbeatState::kDegraded);
}

}  // namespace
}  // namespace vitals::core
