#include "core/phi_accrual_detector.h"

#include <algorithm>
#include <cmath>

namespace vitals::core {

PhiAccrualDetector::PhiAccrualDetector(PhiAccrualOptions options, Duration first_interval)
    : options_(options) {
  options_.max_samples = std::max(options_.max_samples, 2);
  // Akka's bootstrap: two samples at mean +/- deviation give that mean and deviation.
  const double mean = std::max(1.0, ToMillisF(first_interval));
  const double dev = mean / 4;
  AddInterval(Millis(mean - dev));
  AddInterval(Millis(mean + dev));
}

void PhiAccrualDetector::AddInterval(Duration interval) {
  const auto ms = static_cast<float>(std::max(0.0, ToMillisF(interval)));
  if (intervals_ms_.size() < static_cast<size_t>(options_.max_samples)) {
    intervals_ms_.push_back(ms);
  } else {
    const float old = intervals_ms_[next_];
    sum_ -= old;
    sum_sq_ -= static_cast<double>(old) * old;
    intervals_ms_[next_] = ms;
    next_ = (next_ + 1) % intervals_ms_.size();
  }
  sum_ += ms;
  sum_sq_ += static_cast<double>(ms) * ms;
}

void PhiAccrualDetector::Encode(BinaryWriter& w) const {
  w.U64(intervals_ms_.size());
  w.U64(next_);
  for (float v : intervals_ms_) w.F64(v);
}

bool PhiAccrualDetector::Decode(BinaryReader& r) {
  const uint64_t n = r.Count(8);
  const uint64_t next = r.U64();
  if (!r.ok() || n < 2 || n > static_cast<uint64_t>(options_.max_samples) || next >= n) {
    return false;
  }
  std::vector<float> v(n);
  double sum = 0, sum_sq = 0;
  for (float& x : v) {
    x = static_cast<float>(r.F64());
    sum += x;
    sum_sq += static_cast<double>(x) * x;
  }
  if (!r.ok()) return false;
  intervals_ms_ = std::move(v);
  next_ = next;
  sum_ = sum;
  sum_sq_ = sum_sq;
  return true;
}

double PhiAccrualDetector::MeanMillis() const { return sum_ / intervals_ms_.size(); }

double PhiAccrualDetector::StdDevMillis() const {
  const double n = static_cast<double>(intervals_ms_.size());
  const double mean = sum_ / n;
  return std::sqrt(std::max(0.0, sum_sq_ / n - mean * mean));
}

double PhiAccrualDetector::Phi(Duration elapsed) const {
  const double t = ToMillisF(elapsed);
  if (t <= 0) return 0;
  const double mean = MeanMillis() + ToMillisF(options_.acceptable_pause);
  const double dev = std::max(StdDevMillis(), ToMillisF(options_.min_std_deviation));
  // Logistic approximation of the normal CDF (Akka's), accurate to ~1e-4 and cheap.
  const double y = (t - mean) / dev;
  const double e = std::exp(-y * (1.5976 + 0.070566 * y * y));
  if (t > mean) return -std::log10(e / (1.0 + e));
  return -std::log10(1.0 - 1.0 / (1.0 + e));
}

Duration PhiAccrualDetector::ElapsedForPhi(double phi) const {
  int64_t lo = 0;
  int64_t hi = std::max<int64_t>(1000, static_cast<int64_t>(MeanMillis() * 1000));
  while (Phi(Duration(hi)) < phi) {
    if (hi > int64_t{1} << 50) return Duration(hi);  // unreachable phi (e.g. +inf)
    hi *= 2;
  }
  while (hi - lo > 1000) {  // to the millisecond
    const int64_t mid = lo + (hi - lo) / 2;
    (Phi(Duration(mid)) >= phi ? hi : lo) = mid;
  }
  return Duration(hi);
}

}  // namespace vitals::core
