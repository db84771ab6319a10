#include "core/score_trend.h"

#include <gtest/gtest.h>

namespace vitals::core {
namespace {

using std::chrono::minutes;
const Timestamp kT0 = FromMicros(1'767'225'600'000'000);
const Duration kSpacing = minutes(1);

TEST(ScoreTrend, FewSamplesAreStable) {
  ScoreTrend t;
  t.Record(kT0, 50, kSpacing);
  t.Record(kT0 + minutes(1), 100, kSpacing);
  EXPECT_EQ(t.Trend(), HealthTrend::kStable);
}

TEST(ScoreTrend, RisingFallingFlat) {
  ScoreTrend up, down, flat;
  for (int i = 0; i < 10; ++i) {
    up.Record(kT0 + minutes(i), 50 + 3 * i, kSpacing);
    down.Record(kT0 + minutes(i), 100 - 3 * i, kSpacing);
    flat.Record(kT0 + minutes(i), 90 + (i % 2), kSpacing);
  }
  EXPECT_EQ(up.Trend(), HealthTrend::kImproving);
  EXPECT_EQ(down.Trend(), HealthTrend::kDeclining);
  EXPECT_EQ(flat.Trend(), HealthTrend::kStable);
}

TEST(ScoreTrend, SamplesAtMostOncePerSpacing) {
  ScoreTrend t;
  for (int i = 0; i < 100; ++i) t.Record(kT0 + std::chrono::seconds(i), i, kSpacing);
  EXPECT_EQ(t.size(), 2);  // t=0 and t=60 s; later scores replace the latest sample
}

TEST(ScoreTrend, ClockGoingBackwardsIsIgnored) {
  ScoreTrend t;
  t.Record(kT0 + minutes(5), 80, kSpacing);
  t.Record(kT0, 10, kSpacing);
  EXPECT_EQ(t.size(), 1);
  EXPECT_EQ(t.StdDev(), 0);
}

TEST(Confidence, GrowsWithEvidenceAndShrinksWithInstability) {
  EXPECT_EQ(ConfidenceScore(0, false, 0), 0);
  EXPECT_DOUBLE_EQ(ConfidenceScore(10, false, 0), 0.5);
  EXPECT_DOUBLE_EQ(ConfidenceScore(90, false, 0), 0.9);
  EXPECT_DOUBLE_EQ(ConfidenceScore(90, false, 25), 0.45);
  EXPECT_DOUBLE_EQ(ConfidenceScore(90, false, 80), 0);
  EXPECT_DOUBLE_EQ(ConfidenceScore(0, true, 0), 0.5);
}

}  // namespace
}  // namespace vitals::core
