#include "core/latency_sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace vitals::core {
namespace {

// The exact q-quantile with the sketch's definition: rank floor(q * (n - 1)) of the sorted values.
double Exact(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
}

void ExpectWithinOnePercent(const LatencySketch& s, const std::vector<double>& v) {
  for (double q : {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0}) {
    const double exact = Exact(v, q);
    const double got = *s.Quantile(q);
    EXPECT_LE(std::abs(got - exact), 0.01 * exact) << "q=" << q << " exact=" << exact;
  }
}

TEST(LatencySketch, EmptyHasNoQuantile) {
  LatencySketch s;
  EXPECT_FALSE(s.Quantile(0.5).has_value());
}

TEST(LatencySketch, SingleValue) {
  LatencySketch s;
  s.Add(250);
  EXPECT_NEAR(*s.Quantile(0.5), 250, 2.5);
  EXPECT_NEAR(*s.Quantile(0.99), 250, 2.5);
}

TEST(LatencySketch, ZeroLatencyIsReportedAsZero) {
  LatencySketch s;
  s.Add(0);
  s.Add(0);
  s.Add(100);
  EXPECT_EQ(*s.Quantile(0.5), 0.0);
  EXPECT_NEAR(*s.Quantile(1.0), 100, 1);
}

TEST(LatencySketch, LogNormalWithinOnePercent) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(std::log(200.0), 1.0);
  std::vector<double> v(200000);
  LatencySketch s;
  for (double& x : v) s.Add(x = dist(rng));
  ExpectWithinOnePercent(s, v);
}

TEST(LatencySketch, BimodalWithinOnePercent) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> fast(40, 5), slow(4000, 400);
  std::bernoulli_distribution pick_slow(0.3);
  std::vector<double> v(200000);
  LatencySketch s;
  for (double& x : v) s.Add(x = std::max(0.01, pick_slow(rng) ? slow(rng) : fast(rng)));
  ExpectWithinOnePercent(s, v);
}

TEST(LatencySketch, MergeEqualsAddingEverything) {
  std::mt19937_64 rng(3);
  std::lognormal_distribution<double> dist(5, 1.5);
  LatencySketch a, b, all;
  std::vector<double> v;
  for (int i = 0; i < 50000; ++i) {
    const double x = dist(rng);
    v.push_back(x);
    (i % 2 ? a : b).Add(x);
    all.Add(x);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  for (double q : {0.5, 0.95, 0.99}) EXPECT_DOUBLE_EQ(*a.Quantile(q), *all.Quantile(q));
  ExpectWithinOnePercent(a, v);
}

TEST(LatencySketch, MemoryIndependentOfCount) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> dist(10, 1000);
  LatencySketch s;
  for (int i = 0; i < 1000; ++i) s.Add(dist(rng));
  const size_t after_1k = s.MemoryUsage();
  for (int i = 0; i < 1000000; ++i) s.Add(dist(rng));
  EXPECT_EQ(s.MemoryUsage(), after_1k);
}

TEST(LatencySketch, CollapsesLowestBinsAtTheCapKeepingHighQuantiles) {
  LatencySketch s(64);  // tiny cap: spans only ~3.5x at 1%
  std::vector<double> v;
  for (int i = 1; i <= 10000; ++i) {
    const double x = i;  // 1..10000 ms: a 10,000x spread
    v.push_back(x);
    s.Add(x);
  }
  EXPECT_LE(s.MemoryUsage(), sizeof(LatencySketch) + 64 * sizeof(uint64_t));
  for (double q : {0.9, 0.99}) EXPECT_NEAR(*s.Quantile(q), Exact(v, q), 0.01 * Exact(v, q));
}

}  // namespace
}  // namespace vitals::core
