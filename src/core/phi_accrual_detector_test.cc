#include "core/phi_accrual_detector.h"

#include <gtest/gtest.h>

#include <random>

namespace vitals::core {
namespace {

using std::chrono::milliseconds;

TEST(PhiAccrual, PhiGrowsWithSilence) {
  PhiAccrualDetector d({}, milliseconds(1000));
  for (int i = 0; i < 50; ++i) d.AddInterval(milliseconds(1000));
  double last = -1;
  for (int ms = 0; ms <= 5000; ms += 250) {
    const double phi = d.Phi(milliseconds(ms));
    EXPECT_GE(phi, last);
    last = phi;
  }
  EXPECT_LT(d.Phi(milliseconds(1000)), 1.0);  // on time: ~50% chance it is merely late
  EXPECT_GT(d.Phi(milliseconds(5000)), 8.0);
}

TEST(PhiAccrual, MinStdDeviationKeepsAMetronomeFromFailingOnJitter) {
  PhiAccrualOptions o;
  o.min_std_deviation = milliseconds(100);
  PhiAccrualDetector d(o, milliseconds(1000));
  for (int i = 0; i < 200; ++i) d.AddInterval(milliseconds(1000));  // zero observed deviation
  EXPECT_LT(d.Phi(milliseconds(1150)), 3.0);
}

TEST(PhiAccrual, JitteryAgentIsNotConvictedForNormalJitter) {
  std::mt19937_64 rng(9);
  std::normal_distribution<double> jitter(1000, 200);
  PhiAccrualDetector d({}, milliseconds(1000));
  for (int i = 0; i < 100; ++i) d.AddInterval(milliseconds(static_cast<int64_t>(jitter(rng))));
  // Two standard deviations late is suspicious but far below the threshold of 8.
  EXPECT_LT(d.Phi(milliseconds(1400)), 3.0);
  EXPECT_GE(d.Phi(milliseconds(3000)), 8.0);
}

TEST(PhiAccrual, AcceptablePauseShiftsTheCurve) {
  PhiAccrualOptions o;
  o.acceptable_pause = milliseconds(3000);
  PhiAccrualDetector d(o, milliseconds(1000));
  for (int i = 0; i < 50; ++i) d.AddInterval(milliseconds(1000));
  EXPECT_LT(d.Phi(milliseconds(3500)), 1.0);
}

TEST(PhiAccrual, ElapsedForPhiInvertsPhi) {
  PhiAccrualDetector d({}, milliseconds(1000));
  for (int i = 0; i < 50; ++i) d.AddInterval(milliseconds(1000 + (i % 5) * 50));
  for (double phi : {1.0, 3.0, 8.0}) {
    const Duration t = d.ElapsedForPhi(phi);
    EXPECT_GE(d.Phi(t), phi);
    EXPECT_LT(d.Phi(t - milliseconds(2)), phi);
  }
}

TEST(PhiAccrual, KeepsOnlyTheLastSamples) {
  PhiAccrualOptions o;
  o.max_samples = 10;
  PhiAccrualDetector d(o, milliseconds(100));
  for (int i = 0; i < 100; ++i) d.AddInterval(milliseconds(5000));
  EXPECT_EQ(d.samples(), 10);
  EXPECT_NEAR(d.MeanMillis(), 5000, 1e-6);
}

}  // namespace
}  // namespace vitals::core
