// FoldMetricHistory: buckets, scores and means from health_metrics rows.
#include "server/api/metric_history.h"

#include <gtest/gtest.h>

namespace vitals::server {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

store::MetricRecord Row(std::string metric, double value, core::Duration at, std::string status) {
  store::MetricRecord r;
  r.organization_id = "default";
  r.resource_type = "system";
  r.resource_id = "system";
  r.metric_name = std::move(metric);
  r.value = value;
  r.timestamp = core::FromMicros(0) + hours(24 * 20000) + at;  // a day boundary
  r.status = std::move(status);
  return r;
}

TEST(MetricHistoryTest, SpecsNameTheWritersMetrics) {
  ASSERT_NE(MetricHistorySpecFor("system"), nullptr);
  EXPECT_EQ(MetricHistorySpecFor("system")->resource_type, "system");
  EXPECT_EQ(MetricHistorySpecFor("system")->metrics[0], "cpu_usage");
  ASSERT_NE(MetricHistorySpecFor("integration"), nullptr);
  EXPECT_EQ(MetricHistorySpecFor("integration")->resource_type, "integration");
  EXPECT_EQ(MetricHistorySpecFor("agent"), nullptr);
  EXPECT_EQ(MetricHistorySpecFor("weather"), nullptr);
}

TEST(MetricHistoryTest, BucketsHoldMeansAndTheScoreOfTheirSamples) {
  const MetricHistorySpec& spec = *MetricHistorySpecFor("system");
  // Hour 0: two samples, one all healthy (1), one with memory at warning (0.5).
  // Hour 2: one sample with cpu critical (0). Hour 1 has none.
  std::vector<store::MetricRecord> rows = {Row("memory_usage", 50, minutes(10), "healthy"),
                                           Row("cpu_usage", 20, minutes(10), "healthy"),
                                           Row("cpu_usage", 40, minutes(40), "healthy"),
                                           Row("memory_usage", 85, minutes(40), "warning"),
                                           Row("cpu_usage", 97, hours(2), "critical"),
                                           Row("unrelated", 1, hours(2), "")};
  auto points = FoldMetricHistory(spec, rows, hours(1));
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].timestamp, rows[0].timestamp - minutes(10));
  ASSERT_TRUE(points[0].health_score.has_value());
  EXPECT_DOUBLE_EQ(*points[0].health_score, 0.75);
  EXPECT_EQ(points[0].status, core::HealthStatus::kDegraded);  // the last sample's
  ASSERT_EQ(points[0].metrics.size(), 2u);
  EXPECT_EQ(points[0].metrics[0].first, "cpu_usage");  // the spec's order
  EXPECT_DOUBLE_EQ(points[0].metrics[0].second, 30);
  EXPECT_DOUBLE_EQ(points[0].metrics[1].second, 67.5);
  EXPECT_DOUBLE_EQ(*points[1].health_score, 0);
  EXPECT_EQ(points[1].status, core::HealthStatus::kCritical);
  ASSERT_EQ(points[1].metrics.size(), 1u);  // "unrelated" is not the spec's

  auto daily = FoldMetricHistory(spec, rows, hours(24));
  ASSERT_EQ(daily.size(), 1u);
  EXPECT_DOUBLE_EQ(*daily[0].health_score, 0.5);  // (1 + 0.5 + 0) / 3 samples
}

TEST(MetricHistoryTest, RowsWithoutALevelGiveNoScore) {
  std::vector<store::MetricRecord> rows = {Row("load_1m", 2, minutes(1), "")};
  auto points = FoldMetricHistory(*MetricHistorySpecFor("system"), rows, hours(1));
  ASSERT_EQ(points.size(), 1u);
  EXPECT_FALSE(points[0].health_score.has_value());
  EXPECT_EQ(points[0].status, core::HealthStatus::kUnknown);
}

}  // namespace
}  // namespace vitals::server
