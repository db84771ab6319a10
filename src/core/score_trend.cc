#include "core/score_trend.h"

#include <algorithm>
#include <cmath>

namespace vitals::core {

std::string_view HealthTrendName(HealthTrend trend) {
  switch (trend) {
    case HealthTrend::kImproving:
      return "improving";
    case HealthTrend::kStable:
      return "stable";
    case HealthTrend::kDeclining:
      return "declining";
  }
  return "stable";
}

void ScoreTrend::Record(Timestamp now, double score, Duration spacing) {
  const int64_t t = ToMicros(now);
  if (size_ > 0) {
    Sample& last = samples_[(start_ + size_ - 1) % kSamples];
    if (t < last.t_us) return;
    if (t - last.t_us < spacing.count()) {
      last.score = static_cast<float>(score);
      return;
    }
  }
  if (size_ < kSamples) {
    samples_[(start_ + size_) % kSamples] = {t, static_cast<float>(score)};
    ++size_;
  } else {
    samples_[start_] = {t, static_cast<float>(score)};
    start_ = (start_ + 1) % kSamples;
  }
}

HealthTrend ScoreTrend::Trend() const {
  if (size_ < 3) return HealthTrend::kStable;
  const double t0 = static_cast<double>(At(0).t_us);
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int i = 0; i < size_; ++i) {
    const double x = (static_cast<double>(At(i).t_us) - t0) / 1e6;
    const double y = At(i).score;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const double n = size_;
  const double denom = n * sxx - sx * sx;
  if (denom <= 0) return HealthTrend::kStable;
  const double slope = (n * sxy - sx * sy) / denom;  // points per second
  const double span = (static_cast<double>(At(size_ - 1).t_us) - t0) / 1e6;
  const double change = slope * span;
  if (change >= kTrendPoints) return HealthTrend::kImproving;
  if (change <= -kTrendPoints) return HealthTrend::kDeclining;
  return HealthTrend::kStable;
}

double ScoreTrend::StdDev() const {
  if (size_ < 2) return 0;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < size_; ++i) {
    sum += At(i).score;
    sum_sq += static_cast<double>(At(i).score) * At(i).score;
  }
  const double mean = sum / size_;
  return std::sqrt(std::max(0.0, sum_sq / size_ - mean * mean));
}

void ScoreTrend::Encode(BinaryWriter& w) const {
  w.U64(static_cast<uint64_t>(size_));
  for (int i = 0; i < size_; ++i) {
    w.I64(At(i).t_us);
    w.F64(At(i).score);
  }
}

bool ScoreTrend::Decode(BinaryReader& r) {
  *this = ScoreTrend();
  const uint64_t n = r.Count(2);
  if (n > kSamples) return false;
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    samples_[i].t_us = r.I64();
    samples_[i].score = static_cast<float>(r.F64());
  }
  if (!r.ok()) return false;
  size_ = static_cast<int>(n);
  return true;
}

double ConfidenceScore(int64_t executions_1h, bool has_heartbeats, double score_stddev) {
  double evidence = static_cast<double>(executions_1h) / static_cast<double>(executions_1h + 10);
  if (executions_1h == 0 && has_heartbeats) evidence = 0.5;
  const double stability = 1.0 - std::min(1.0, score_stddev / 50.0);
  return evidence * stability;
}

}  // namespace vitals::core
