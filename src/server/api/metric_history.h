// History of the system and of an integration from health_metrics rows: which rows make it and
// how they fold into the points of GET /api/health/history/{system|integration}. Pure: values
// only, not thread-safe.
//
// A point's health_score (0..1, seed 001's scale) is the mean over the bucket's samples (rows of
// one timestamp) of the sample's worst level: 1 when every row is healthy, 0.5 at warning or
// degraded, 0 at critical, error or down. Its status is that of the bucket's last sample.
// Its metrics are the bucket's mean of each metric of the spec.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/health_status.h"
#include "core/integration_state.h"
#include "core/time.h"
#include "store/store_types.h"

namespace vitals::server {

struct MetricHistorySpec {
  std::string_view resource_type;         // health_metrics.resource_type
  std::vector<std::string_view> metrics;  // health_metrics.metric_name, in output order
};

// The spec of history type "system" or "integration"; nullptr for any other type.
const MetricHistorySpec* MetricHistorySpecFor(std::string_view history_type);

struct MetricHistoryPoint {
  core::Timestamp timestamp;  // the bucket's start (buckets are aligned to the epoch)
  std::optional<double> health_score;
  core::HealthStatus status = core::HealthStatus::kUnknown;
  std::vector<std::pair<std::string, double>> metrics;  // spec order; absent metrics omitted
};

// An integration's state as health_metrics rows at `at`, under the integration spec's names
// (absent readings omitted), with the integration's status on each row. The history serves the
// live state as the newest sample; a recorder may store these rows as they are.
std::vector<store::MetricRecord> IntegrationMetricRows(const core::IntegrationView& v,
                                                       core::Timestamp at);

// Folds `rows` (any order) into buckets of `bucket` (> 0), oldest first; empty buckets omitted.
std::vector<MetricHistoryPoint> FoldMetricHistory(const MetricHistorySpec& spec,
                                                  std::span<const store::MetricRecord> rows,
                                                  core::Duration bucket);

}  // namespace vitals::server
