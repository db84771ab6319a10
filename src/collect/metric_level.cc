#include "collect/metric_level.h"

#include <algorithm>

namespace vitals::collect {

std::string_view MetricLevelName(MetricLevel level) {
  switch (level) {
    case MetricLevel::kHealthy:
      return "healthy";
    case MetricLevel::kWarning:
      return "warning";
    case MetricLevel::kCritical:
      return "critical";
  }
  return "healthy";
}

MetricLevel Classify(double value, double warning, double critical) {
  if (value >= critical) return MetricLevel::kCritical;
  if (value >= warning) return MetricLevel::kWarning;
  return MetricLevel::kHealthy;
}

MetricLevel Worse(MetricLevel a, MetricLevel b) { return std::max(a, b); }

}  // namespace vitals::collect
