#include "core/slo_burn_rate.h"

#include <algorithm>

namespace vitals::core {
namespace {

std::optional<double> Burn(const WindowStats& w, const SloPolicy& p) {
  if (w.total < std::max<int64_t>(p.min_events, 1)) return std::nullopt;
  const double budget = 1.0 - p.objective;
  return (static_cast<double>(w.failure) / static_cast<double>(w.total)) / budget;
}

}  // namespace

BurnRate EvaluateBurnRate(const WindowStats& short_window, const WindowStats& long_window,
                          const SloPolicy& policy) {
  BurnRate r;
  r.short_window = Burn(short_window, policy);
  r.long_window = Burn(long_window, policy);
  // 1 - 0.99 is 0.010000000000000009 in binary: allow for that at the threshold itself.
  const double threshold = policy.burn_rate_threshold * (1 - 1e-9);
  r.firing = policy.enabled && r.short_window && r.long_window && *r.short_window >= threshold &&
             *r.long_window >= threshold;
  return r;
}

}  // namespace vitals::core
