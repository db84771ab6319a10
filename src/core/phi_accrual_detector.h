// PhiAccrualDetector: the phi accrual failure detector (Hayashibara et al., SRDS 2004), as Akka
// and Cassandra use it.
//
// It keeps the last `max_samples` heartbeat inter-arrival times and models the next arrival as a
// normal distribution with their mean (plus an acceptable pause) and standard deviation (at least
// `min_std_deviation`). phi(t) = -log10(P(a heartbeat arrives later than t)): phi 1 means a 10%
// chance the agent is merely late, phi 8 a 1-in-10^8 chance. Until real samples arrive, the
// distribution is seeded with `first_interval` (mean) and first_interval/4 (deviation), as Akka
// does.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "core/binary_codec.h"
#include "core/time.h"

namespace vitals::core {

struct PhiAccrualOptions {
  double threshold = 8.0;  // phi at which the agent has failed
  Duration min_std_deviation = std::chrono::milliseconds(100);
  Duration acceptable_pause = std::chrono::seconds(0);  // added to the mean
  int max_samples = 100;
  bool operator==(const PhiAccrualOptions&) const = default;
};

class PhiAccrualDetector {
 public:
  PhiAccrualDetector(PhiAccrualOptions options, Duration first_interval);

  void AddInterval(Duration interval);
  // phi after `elapsed` since the last heartbeat; 0 for elapsed <= 0.
  double Phi(Duration elapsed) const;
  // The smallest elapsed time at which Phi() reaches `phi` (binary search; Phi is monotonic).
  Duration ElapsedForPhi(double phi) const;

  double MeanMillis() const;
  double StdDevMillis() const;  // before the min_std_deviation floor
  int samples() const { return static_cast<int>(intervals_ms_.size()); }
  const PhiAccrualOptions& options() const { return options_; }

  void Encode(BinaryWriter& w) const;
  bool Decode(BinaryReader& r);

 private:
  PhiAccrualOptions options_;
  std::vector<float> intervals_ms_;  // ring of the last max_samples intervals
  size_t next_ = 0;
  double sum_ = 0;
  double sum_sq_ = 0;
};

}  // namespace vitals::core
