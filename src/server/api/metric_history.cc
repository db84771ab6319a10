#include "server/api/metric_history.h"

#include <algorithm>
#include <map>

namespace vitals::server {
namespace {

// 1, 0.5 or 0 for a row's status; nullopt for a status that says nothing ("", "unknown").
std::optional<double> LevelScore(std::string_view status) {
  if (status == "healthy") return 1.0;
  if (status == "warning" || status == "degraded") return 0.5;
  if (status == "critical" || status == "error" || status == "down") return 0.0;
  return std::nullopt;
}

core::HealthStatus StatusOf(double score) {
  if (score >= 1.0) return core::HealthStatus::kHealthy;
  if (score > 0.0) return core::HealthStatus::kDegraded;
  return core::HealthStatus::kCritical;
}

struct Sample {
  std::optional<double> worst;  // lowest LevelScore of the sample's rows
};

struct Bucket {
  std::map<int64_t, Sample> samples;                        // by timestamp
  std::map<std::string_view, std::pair<double, int>> sums;  // metric → (sum, count)
};

}  // namespace

const MetricHistorySpec* MetricHistorySpecFor(std::string_view history_type) {
  // The system collector's rows (src/collect/system_sample.cc) and IntegrationMetricRows', under
  // the names those writers give them. "queue_depth" (the organization's total) is served once
  // a writer records it under resource system/system; none does yet.
  static const MetricHistorySpec kSystem{
      "system", {"cpu_usage", "memory_usage", "swap_usage", "load_1m", "queue_depth"}};
  static const MetricHistorySpec kIntegration{
      "integration", {"error_rate", "latency_ms", "latency_p95_ms", "total_calls"}};
  if (history_type == "system") return &kSystem;
  if (history_type == "integration") return &kIntegration;
  return nullptr;
}

std::vector<store::MetricRecord> IntegrationMetricRows(const core::IntegrationView& v,
                                                       core::Timestamp at) {
  std::vector<store::MetricRecord> rows;
  const std::string status(core::IntegrationStatusName(v.status));
  auto add = [&](const char* name, std::optional<double> value, const char* unit) {
    if (!value) return;
    rows.push_back(
        {v.organization_id, "integration", v.integration_id, name, *value, 0, 0, at, unit, status});
  };
  add("error_rate", v.error_rate, "");
  add("latency_ms", v.latency_ms, "ms");
  add("latency_p95_ms", v.latency_p95_ms, "ms");
  add("total_calls", static_cast<double>(v.total_calls), "calls");
  return rows;
}

std::vector<MetricHistoryPoint> FoldMetricHistory(const MetricHistorySpec& spec,
                                                  std::span<const store::MetricRecord> rows,
                                                  core::Duration bucket) {
  const int64_t width = bucket.count();
  std::map<int64_t, Bucket> buckets;
  for (const store::MetricRecord& r : rows) {
    const int64_t at = core::ToMicros(r.timestamp);
    const int64_t start = at - ((at % width) + width) % width;
    Bucket& b = buckets[start];
    Sample& sample = b.samples[at];
    if (auto level = LevelScore(r.status)) {
      sample.worst = sample.worst ? std::min(*sample.worst, *level) : *level;
    }
    auto& [sum, count] = b.sums[r.metric_name];
    sum += r.value;
    ++count;
  }
  std::vector<MetricHistoryPoint> out;
  for (const auto& [start, b] : buckets) {
    MetricHistoryPoint p;
    p.timestamp = core::FromMicros(start);
    double total = 0;
    int scored = 0;
    for (const auto& [at, sample] : b.samples) {
      if (!sample.worst) continue;
      total += *sample.worst;
      ++scored;
      p.status = StatusOf(*sample.worst);  // samples ascend: the last one wins
    }
    if (scored > 0) p.health_score = total / scored;
    for (std::string_view name : spec.metrics) {
      auto it = b.sums.find(name);
      if (it != b.sums.end()) {
        p.metrics.emplace_back(std::string(name), it->second.first / it->second.second);
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace vitals::server
