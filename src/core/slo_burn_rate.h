// SLO burn rate (Google SRE workbook, "multiwindow, multi-burn-rate alerts"): how fast an agent
// spends the error budget of its success-rate objective. Burn rate 1 spends the budget exactly
// over the SLO period; 14.4 spends 2% of a 30-day budget in one hour. The page fires when both
// the long (1 h) and the short (5 min) window burn at >= 14.4: the long window proves it is
// significant, the short one that it is still happening.
#pragma once

#include <cstdint>
#include <optional>

#include "core/window_stats.h"

namespace vitals::core {

struct SloPolicy {
  bool enabled = true;
  double objective = 0.99;  // success-rate objective
  double burn_rate_threshold = 14.4;
  int64_t min_events = 1;  // per window, below which its burn rate is not judged
  bool operator==(const SloPolicy&) const = default;
};

struct BurnRate {
  std::optional<double> short_window;  // nullopt: too few events to judge
  std::optional<double> long_window;
  bool firing = false;
};

// Pure. REQUIRES: 0 < objective < 1.
BurnRate EvaluateBurnRate(const WindowStats& short_window, const WindowStats& long_window,
                          const SloPolicy& policy);

}  // namespace vitals::core
