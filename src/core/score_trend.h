// ScoreTrend: the direction of an agent's health score, and how far its verdict can be trusted.
//
// Scores are sampled at most once per `spacing` (a newer score within it replaces the latest
// sample) into a ring of kSamples. The trend is the least-squares line through them: if
// it rises or falls by at least kTrendPoints over the samples' span the agent is improving or
// declining, otherwise stable. Fewer than 3 samples: stable.
//
// Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/binary_codec.h"
#include "core/time.h"

namespace vitals::core {

enum class HealthTrend { kImproving, kStable, kDeclining };
std::string_view HealthTrendName(HealthTrend trend);  // "improving", "stable", "declining"

class ScoreTrend {
 public:
  static constexpr int kSamples = 10;
  static constexpr double kTrendPoints = 5.0;

  // Samples `score` (0..100) at `now`, at most once per `spacing`; times earlier than the latest
  // sample are ignored.
  void Record(Timestamp now, double score, Duration spacing);
  HealthTrend Trend() const;
  // Standard deviation of the sampled scores (0 with fewer than 2).
  double StdDev() const;
  int size() const { return size_; }

  void Encode(BinaryWriter& w) const;
  bool Decode(BinaryReader& r);

 private:
  struct Sample {
    int64_t t_us;
    float score;
  };
  const Sample& At(int i) const { return samples_[(start_ + i) % kSamples]; }

  std::array<Sample, kSamples> samples_{};
  int start_ = 0;
  int size_ = 0;
};

// Confidence (0..1) that an agent's health verdict reflects reality, as the product of
//   evidence  = n / (n + 10), n = executions in the last hour (10 runs: 0.5, 90 runs: 0.9), and
//   stability = 1 - min(1, stddev of recent scores / 50) (a score swinging by 50 points: 0).
// An agent with heartbeats but no executions gets evidence 0.5 from the heartbeats alone.
double ConfidenceScore(int64_t executions_1h, bool has_heartbeats, double score_stddev);

}  // namespace vitals::core
