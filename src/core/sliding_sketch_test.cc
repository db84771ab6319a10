#include "core/sliding_sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace vitals::core {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const Timestamp kT0 = FromMicros(1'767'225'600'000'000);

TEST(SlidingSketch, EmptyHasNoQuantile) {
  SlidingSketch s(minutes(5), 5);
  EXPECT_FALSE(s.Quantile(0.95).has_value());
  EXPECT_EQ(s.WeightedCount(), 0);
}

TEST(SlidingSketch, QuantilesWithinOnePercentInsideOneSlot) {
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> dist(std::log(300.0), 0.6);
  SlidingSketch s(minutes(5), 5);
  std::vector<double> v;
  for (int i = 0; i < 20000; ++i) {
    v.push_back(dist(rng));
    s.Add(kT0 + std::chrono::milliseconds(i), v.back());
  }
  std::sort(v.begin(), v.end());
  for (double q : {0.5, 0.95, 0.99}) {
    const double exact = v[static_cast<size_t>(q * (v.size() - 1))];
    EXPECT_NEAR(*s.Quantile(q), exact, 0.01 * exact) << q;
  }
}

TEST(SlidingSketch, OldSlowValuesSlideOut) {
  SlidingSketch s(minutes(5), 5);
  for (int i = 0; i < 100; ++i) s.Add(kT0 + seconds(i % 50), 2000);  // slow, first minute
  for (int i = 0; i < 100; ++i) s.Add(kT0 + minutes(4) + seconds(i % 50), 50);
  EXPECT_NEAR(*s.Quantile(0.95), 2000, 20);
  s.AdvanceTo(kT0 + minutes(6) + seconds(50));  // the early minute has left the window
  EXPECT_NEAR(*s.Quantile(0.95), 50, 0.5);
}

TEST(SlidingSketch, RangeRecentresAfterHighValuesExpire) {
  SlidingSketch s(minutes(5), 5, 64);  // a narrow cap: ~3.5x at full accuracy
  for (int i = 0; i < 100; ++i) s.Add(kT0 + seconds(i % 50), 10000);
  s.AdvanceTo(kT0 + minutes(7));  // the high values have left; the range still sits up there
  for (int i = 0; i < 100; ++i) s.Add(kT0 + minutes(7) + seconds(i % 50), 10);
  EXPECT_NEAR(*s.Quantile(0.5), 10, 0.1);  // 1000x below the old range, yet accurate
}

TEST(SlidingSketch, OldestSlotIsWeightedByItsOverlap) {
  SlidingSketch s(minutes(5), 5);
  for (int i = 0; i < 100; ++i) s.Add(kT0 + seconds(30), 100);
  s.AdvanceTo(kT0 + minutes(5));  // slot [0,1min) is now the oldest, fully inside
  EXPECT_NEAR(s.WeightedCount(), 100, 1e-9);
  s.AdvanceTo(kT0 + minutes(5) + seconds(45));  // three quarters of it has left
  EXPECT_NEAR(s.WeightedCount(), 25, 1e-9);
  s.AdvanceTo(kT0 + minutes(6));
  EXPECT_EQ(s.WeightedCount(), 0);
}

TEST(SlidingSketch, AddBinsEqualsAddingOneByOne) {
  std::mt19937_64 rng(21);
  std::lognormal_distribution<double> dist(std::log(50.0), 2.0);
  SlidingSketch one(minutes(5), 5, 64), many(minutes(5), 5, 64);  // small cap: collapses too
  std::vector<int32_t> bins;
  for (int i = 0; i < 5000; ++i) {
    const double v = i % 97 == 0 ? 0.0 : dist(rng);
    const Timestamp t = kT0 + seconds(i / 100);
    one.Add(t, v);
    bins.push_back(SlidingSketch::BinOf(v, SketchMapping::Default()));
    if (bins.size() == 50) {
      many.AddBins(t, bins);
      bins.clear();
    }
  }
  EXPECT_DOUBLE_EQ(one.WeightedCount(), many.WeightedCount());
  for (double q : {0.01, 0.25, 0.5, 0.9, 0.99})
    EXPECT_DOUBLE_EQ(*one.Quantile(q), *many.Quantile(q));
}

TEST(SlidingSketch, MergedRowGivesTheSameAnswers) {
  std::mt19937_64 rng(8);
  std::lognormal_distribution<double> dist(std::log(120.0), 1.2);
  SlidingSketch plain(minutes(5), 5, 64), merged(minutes(5), 5, 64, SketchMapping::Default(), true);
  Timestamp t = kT0;
  for (int i = 0; i < 30000; ++i) {
    t += std::chrono::milliseconds(23);  // 11.5 minutes: slots expire, the range collapses
    const double v = i % 101 == 0 ? 0.0 : dist(rng);
    plain.Add(t, v);
    merged.Add(t, v);
    if (i % 997 == 0) {
      for (double q : {0.5, 0.9, 0.95, 0.99}) {
        EXPECT_DOUBLE_EQ(*plain.Quantile(q), *merged.Quantile(q)) << i << " " << q;
      }
    }
  }
  merged.AdvanceTo(t + seconds(150));
  plain.AdvanceTo(t + seconds(150));
  EXPECT_DOUBLE_EQ(*plain.Quantile(0.95), *merged.Quantile(0.95));
}

TEST(SlidingSketch, MemoryBoundedWhateverTheRateAndSpread) {
  SlidingSketch s(minutes(5), 5, 256);  // an explicit cap: memory is bounded by it
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> exp10(-3, 8);  // 1 us .. 1e8 ms
  for (int i = 0; i < 500000; ++i) {
    s.Add(kT0 + std::chrono::milliseconds(i), std::pow(10, exp10(rng)));
  }
  EXPECT_LE(s.MemoryUsage(), sizeof(SlidingSketch) + 6 * 12 + 6 * 256 * 4);
}

TEST(SlidingSketch, ReleasesStorageWhenIdle) {
  SlidingSketch s(minutes(5), 5);
  const size_t empty = s.MemoryUsage();
  s.Add(kT0, 10);
  EXPECT_GT(s.MemoryUsage(), empty);
  s.AdvanceTo(kT0 + minutes(20));
  EXPECT_EQ(s.MemoryUsage(), empty);
  EXPECT_FALSE(s.Quantile(0.5).has_value());
}

TEST(SlidingSketch, ClockGoingBackwardsKeepsData) {
  SlidingSketch s(minutes(5), 5);
  s.Add(kT0 + minutes(2), 10);
  s.AdvanceTo(kT0 - minutes(10));
  EXPECT_TRUE(s.Quantile(0.5).has_value());
}

}  // namespace
}  // namespace vitals::core
