#include "core/flap_detector.h"

#include <gtest/gtest.h>

namespace vitals::core {
namespace {

TEST(FlapDetector, SteadyConditionNeverFlaps) {
  FlapDetector f;
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(f.Record(true, {}));
  EXPECT_EQ(f.percent_change(), 0);
}

TEST(FlapDetector, OneChangeIsNotFlapping) {
  FlapDetector f;
  for (int i = 0; i < 20; ++i) f.Record(false, {});
  EXPECT_FALSE(f.Record(true, {}));
  EXPECT_NEAR(f.percent_change(), 1.25 * 100 / 20, 1e-9);  // newest change weighs 1.25
}

TEST(FlapDetector, FlappingStartsAtHighAndEndsAtLow) {
  FlapDetector f;
  FlapThresholds t;  // 5 / 20, Nagios's defaults
  for (int i = 0; i < 21; ++i) f.Record(false, t);
  // Toggle: each newest change adds ~6.25%; the fourth toggle crosses 20%.
  EXPECT_FALSE(f.Record(true, t));
  EXPECT_FALSE(f.Record(false, t));
  EXPECT_FALSE(f.Record(true, t));
  EXPECT_TRUE(f.Record(false, t));
  EXPECT_GE(f.percent_change(), 20);
  // Settle: the changes age and lose weight, then leave the 21-evaluation history.
  int settled_after = 0;
  while (f.Record(false, t)) ++settled_after;
  EXPECT_LE(f.percent_change(), 5);
  EXPECT_GT(settled_after, 5);   // hysteresis: it does not stop at once...
  EXPECT_LT(settled_after, 21);  // ...but does once the changes have aged out
}

TEST(FlapDetector, BetweenThresholdsTheVerdictStands) {
  FlapDetector f;
  FlapThresholds t{5, 20};
  for (int i = 0; i < 21; ++i) f.Record(true, t);
  f.Record(false, t);
  f.Record(true, t);  // two recent changes: ~12%, between low and high
  EXPECT_GT(f.percent_change(), 5);
  EXPECT_LT(f.percent_change(), 20);
  EXPECT_FALSE(f.flapping());
}

TEST(FlapDetector, WeightsOldestChangesLess) {
  FlapDetector oldest, newest;
  oldest.Record(true, {});
  oldest.Record(false, {});  // the change that will become the oldest
  for (int i = 0; i < 19; ++i) oldest.Record(false, {});
  for (int i = 0; i < 20; ++i) newest.Record(true, {});
  newest.Record(false, {});
  EXPECT_NEAR(oldest.percent_change(), 0.75 * 100 / 20, 1e-9);
  EXPECT_NEAR(newest.percent_change(), 1.25 * 100 / 20, 1e-9);
}

}  // namespace
}  // namespace vitals::core
