#include "core/slo_burn_rate.h"

#include <gtest/gtest.h>

namespace vitals::core {
namespace {

WindowStats W(int64_t total, int64_t failure) {
  WindowStats w;
  w.total = total;
  w.failure = failure;
  w.success = total - failure;
  return w;
}

TEST(SloBurnRate, BurnRateIsErrorRateOverBudget) {
  BurnRate r = EvaluateBurnRate(W(100, 5), W(1000, 20), SloPolicy{});
  EXPECT_NEAR(*r.short_window, 5.0, 1e-9);  // 5% errors / 1% budget
  EXPECT_NEAR(*r.long_window, 2.0, 1e-9);
  EXPECT_FALSE(r.firing);
}

TEST(SloBurnRate, PagesOnlyWhenBothWindowsBurnFast) {
  SloPolicy p;
  EXPECT_TRUE(EvaluateBurnRate(W(100, 20), W(1000, 150), p).firing);
  // Long window burning, short recovered: the incident is over; no page.
  EXPECT_FALSE(EvaluateBurnRate(W(100, 1), W(1000, 150), p).firing);
  // Short spike, long window fine: too brief to matter yet; no page.
  EXPECT_FALSE(EvaluateBurnRate(W(100, 50), W(10000, 60), p).firing);
}

TEST(SloBurnRate, ExactlyAtTheThresholdFires) {
  // 14.4% errors with a 99% objective is a burn rate of exactly 14.4.
  EXPECT_TRUE(EvaluateBurnRate(W(1000, 144), W(1000, 144), SloPolicy{}).firing);
  EXPECT_FALSE(EvaluateBurnRate(W(1000, 143), W(1000, 144), SloPolicy{}).firing);
}

TEST(SloBurnRate, NoDataNoPageAndMinEvents) {
  EXPECT_FALSE(EvaluateBurnRate(W(0, 0), W(0, 0), SloPolicy{}).firing);
  SloPolicy p;
  p.min_events = 10;
  BurnRate r = EvaluateBurnRate(W(5, 5), W(50, 40), p);
  EXPECT_FALSE(r.short_window.has_value());
  EXPECT_FALSE(r.firing);
}

TEST(SloBurnRate, ObjectiveChangesTheBudget) {
  SloPolicy p;
  p.objective = 0.9;  // 10% budget
  BurnRate r = EvaluateBurnRate(W(100, 50), W(100, 50), p);
  EXPECT_NEAR(*r.short_window, 5.0, 1e-9);
  EXPECT_FALSE(r.firing);
}

}  // namespace
}  // namespace vitals::core
