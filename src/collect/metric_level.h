// MetricLevel: where a collected value stands against its warning/critical thresholds, and the
// name it carries into seed 003's health_metrics rows.
#pragma once

#include <string_view>

namespace vitals::collect {

enum class MetricLevel { kHealthy, kWarning, kCritical };

// "healthy", "warning", "critical".
std::string_view MetricLevelName(MetricLevel level);

// kCritical when value >= critical, kWarning when value >= warning, else kHealthy (seed 003:
// "Warning at 80%, Critical at 95%" — reaching the threshold counts).
MetricLevel Classify(double value, double warning, double critical);

// The more severe of the two.
MetricLevel Worse(MetricLevel a, MetricLevel b);

}  // namespace vitals::collect
