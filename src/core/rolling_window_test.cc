#include "core/rolling_window.h"

#include <gtest/gtest.h>

namespace vitals::core {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const Timestamp kT0 = FromMicros(1'767'225'600'000'000);  // aligned to every bucket width

TEST(RollingWindow, EmptyWindowIsNoData) {
  RollingWindow w(minutes(5), 30);
  WindowStats s = w.Stats();
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.success_rate().has_value());
  EXPECT_FALSE(s.avg_latency_ms().has_value());
}

TEST(RollingWindow, OneEvent) {
  RollingWindow w(minutes(5), 30);
  EXPECT_TRUE(w.Add(kT0, false, 120.5, 0.25, 40));
  WindowStats s = w.Stats();
  EXPECT_EQ(s.total, 1);
  EXPECT_EQ(s.failure, 1);
  EXPECT_EQ(s.success, 0);
  EXPECT_DOUBLE_EQ(*s.success_rate(), 0.0);
  EXPECT_DOUBLE_EQ(*s.avg_latency_ms(), 120.5);
  EXPECT_DOUBLE_EQ(s.cost_usd, 0.25);
  EXPECT_EQ(s.tokens, 40);
}

TEST(RollingWindow, SumsAndRates) {
  RollingWindow w(minutes(5), 30);
  for (int i = 0; i < 10; ++i) w.Add(kT0 + seconds(i), i % 5 != 0, 100.0 * (i + 1), 0.1, 1);
  WindowStats s = w.Stats();
  EXPECT_EQ(s.total, 10);
  EXPECT_EQ(s.failure, 2);
  EXPECT_DOUBLE_EQ(*s.success_rate(), 0.8);
  EXPECT_DOUBLE_EQ(*s.avg_latency_ms(), 550.0);
  EXPECT_NEAR(s.cost_usd, 1.0, 1e-12);
  EXPECT_EQ(s.tokens, 10);
}

TEST(RollingWindow, SlidesContinuouslyNotByCalendarMinute) {
  // An event 4.5 minutes old is inside a 5-minute window (seed 000's minute keys can drop it).
  RollingWindow w(minutes(5), 30);
  w.Add(kT0 + seconds(50), true, 10, 0, 0);
  w.AdvanceTo(kT0 + seconds(50) + seconds(270));
  EXPECT_EQ(w.Stats().total, 1);
  // Just past 5 minutes plus one 10 s bucket, it is gone.
  w.AdvanceTo(kT0 + seconds(50) + seconds(311));
  EXPECT_EQ(w.Stats().total, 0);
}

TEST(RollingWindow, CoversAtLeastTheLengthAndAtMostOneBucketMore) {
  RollingWindow w(minutes(5), 30);
  w.Add(kT0, true, 10, 0, 0);
  w.AdvanceTo(kT0 + seconds(300));  // exactly 5 minutes later
  EXPECT_EQ(w.Stats().total, 1);
  w.AdvanceTo(kT0 + seconds(309));
  EXPECT_EQ(w.Stats().total, 1);
  w.AdvanceTo(kT0 + seconds(310));
  EXPECT_EQ(w.Stats().total, 0);
}

TEST(RollingWindow, RollOverExpiresOnlyOldBuckets) {
  RollingWindow w(minutes(5), 30);
  w.Add(kT0, false, 10, 0, 0);
  w.Add(kT0 + seconds(200), true, 20, 0, 0);
  w.AdvanceTo(kT0 + seconds(400));
  WindowStats s = w.Stats();
  EXPECT_EQ(s.total, 1);
  EXPECT_EQ(s.failure, 0);
  EXPECT_DOUBLE_EQ(*s.avg_latency_ms(), 20.0);
}

TEST(RollingWindow, ClockGoingBackwardsKeepsData) {
  RollingWindow w(minutes(5), 30);
  w.Add(kT0 + seconds(100), true, 10, 0, 0);
  w.AdvanceTo(kT0 + seconds(120));
  w.AdvanceTo(kT0 - minutes(30));  // a clock that jumped back
  EXPECT_EQ(w.Stats().total, 1);
}

TEST(RollingWindow, OutOfOrderInsideWindowCountsOutsideDoesNot) {
  RollingWindow w(minutes(5), 30);
  w.AdvanceTo(kT0 + minutes(10));
  EXPECT_TRUE(w.Add(kT0 + minutes(7), false, 10, 0, 0));
  EXPECT_FALSE(w.Add(kT0 + minutes(2), false, 10, 0, 0));
  EXPECT_EQ(w.Stats().total, 1);
}

TEST(RollingWindow, IdleWindowReleasesItsStorage) {
  RollingWindow w(std::chrono::hours(1), 60);
  const size_t empty = w.MemoryUsage();
  w.Add(kT0, true, 10, 0, 0);
  EXPECT_GT(w.MemoryUsage(), empty);
  w.AdvanceTo(kT0 + std::chrono::hours(2));
  EXPECT_EQ(w.MemoryUsage(), empty);
  EXPECT_TRUE(w.Stats().empty());
}

TEST(RollingWindow, MemoryDoesNotGrowWithEvents) {
  RollingWindow w(minutes(5), 30);
  w.Add(kT0, true, 10, 0, 0);
  const size_t one = w.MemoryUsage();
  for (int i = 0; i < 100000; ++i) w.Add(kT0 + std::chrono::milliseconds(i), true, 10, 0, 0);
  EXPECT_EQ(w.MemoryUsage(), one);
  EXPECT_EQ(w.Stats().total, 100001);
}

}  // namespace
}  // namespace vitals::core
