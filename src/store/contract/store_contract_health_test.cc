// Round trips of health snapshots, the hourly history, transitions and metrics, with every
// optional field both set and unset, and organization isolation of every query.
#include "store/contract/store_contract_fixture.h"

namespace vitals::store::testing {
namespace {

class StoreContractHealthTest : public StoreContractTest {};

HealthRecord Health(const std::string& org, const std::string& agent, core::HealthStatus status,
                    double score, core::Timestamp at, int64_t executions, int64_t errors) {
  HealthRecord r{org, agent, {}};
  r.snapshot.status = status;
  r.snapshot.score = score;
  r.snapshot.calculated_at = at;
  r.snapshot.executions_1hr = executions;
  r.snapshot.error_count_1hr = errors;
  return r;
}

TEST_P(StoreContractHealthTest, HealthRoundTripsWithOptionalsAndKeepsTheLatest) {
  HealthRecord full = Health("o", "a", core::HealthStatus::kDegraded, 65.5, At(10), 120, 7);
  core::HealthSnapshot& s = full.snapshot;
  s.success_rate_5min = 0.9;
  s.success_rate_1hr = 0.95;
  s.latency_p95_5min = 3100.5;
  s.error_count_5min = 3;
  s.executions_5min = 30;
  s.consecutive_failures = 2;
  s.last_success_at = At(5);
  s.issues = {"Low success rate: 90.0%", "quote \""};
  store_->RecordHealth({Health("o", "a", core::HealthStatus::kHealthy, 99, At(1), 1, 0)});
  store_->RecordHealth({full, Health("x", "a", core::HealthStatus::kUnknown, 0, At(2), 0, 0)});
  store_->Flush();
  auto loaded = store_->LoadHealth();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 2u);
  for (const HealthRecord& r : *loaded) {
    if (r.organization_id == "x") {
      EXPECT_EQ(r.snapshot.status, core::HealthStatus::kUnknown);
      EXPECT_FALSE(r.snapshot.success_rate_5min || r.snapshot.success_rate_1hr ||
                   r.snapshot.latency_p95_5min || r.snapshot.last_success_at);
      EXPECT_TRUE(r.snapshot.issues.empty());
      continue;
    }
    const core::HealthSnapshot& g = r.snapshot;
    EXPECT_EQ(g.status, s.status);
    EXPECT_EQ(g.score, s.score);
    EXPECT_EQ(g.success_rate_5min, s.success_rate_5min);
    EXPECT_EQ(g.success_rate_1hr, s.success_rate_1hr);
    EXPECT_EQ(g.latency_p95_5min, s.latency_p95_5min);
    EXPECT_EQ(g.error_count_5min, 3);
    EXPECT_EQ(g.error_count_1hr, 7);
    EXPECT_EQ(g.executions_5min, 30);
    EXPECT_EQ(g.executions_1hr, 120);
    EXPECT_EQ(g.consecutive_failures, 2);
    EXPECT_EQ(g.last_success_at, s.last_success_at);
    EXPECT_EQ(g.calculated_at, At(10));
    EXPECT_EQ(g.issues, s.issues);
  }
}

TEST_P(StoreContractHealthTest, HistoryAggregatesHoursIntoBuckets) {
  using core::HealthStatus;
  store_->RecordHealth({
      Health("o", "a", HealthStatus::kHealthy, 90, At(int64_t{10} * 60'000'000), 100, 10),
      Health("o", "a", HealthStatus::kDegraded, 60, At(int64_t{50} * 60'000'000), 200,
             20),                                                          // hour 0's last
      Health("o", "a", HealthStatus::kUnknown, 0, At(kHourUs + 1), 0, 0),  // hour 1: no score
      Health("o", "a", HealthStatus::kCritical, 30, At(3 * kHourUs + 5), 40, 30),  // hour 3
      Health("x", "a", HealthStatus::kHealthy, 100, At(5), 1000, 0),               // other org
  });
  store_->Flush();
  auto hourly = store_->QueryAgentHistory("o", "a", At(int64_t{30} * 60'000'000), At(4 * kHourUs),
                                          std::chrono::hours(1));
  ASSERT_TRUE(hourly.ok());
  ASSERT_EQ(hourly->size(), 3u);  // hours 0, 1, 3; hour 2 is empty
  const HistoryPoint& h0 = (*hourly)[0];
  EXPECT_EQ(h0.timestamp, At(0));
  ASSERT_TRUE(h0.health_score);
  EXPECT_DOUBLE_EQ(*h0.health_score, 0.75);
  EXPECT_EQ(h0.status, HealthStatus::kDegraded);
  EXPECT_EQ(h0.total_executions, 200);
  EXPECT_EQ(h0.completed, 180);
  EXPECT_EQ(h0.failed, 20);
  EXPECT_FALSE((*hourly)[1].health_score);
  EXPECT_EQ((*hourly)[1].status, HealthStatus::kUnknown);
  EXPECT_EQ((*hourly)[2].timestamp, At(3 * kHourUs));
  auto daily = store_->QueryAgentHistory("o", "a", At(0), At(kDayUs - 1), std::chrono::hours(24));
  ASSERT_TRUE(daily.ok());
  ASSERT_EQ(daily->size(), 1u);
  EXPECT_EQ((*daily)[0].timestamp, At(0));
  EXPECT_DOUBLE_EQ(*(*daily)[0].health_score, 0.6);  // (0.9 + 0.6 + 0.3) / 3
  EXPECT_EQ((*daily)[0].status, HealthStatus::kCritical);
  EXPECT_EQ((*daily)[0].total_executions, 240);
  EXPECT_EQ(
      store_->QueryAgentHistory("o", "a", At(0), At(1), std::chrono::minutes(90)).status().code(),
      core::StatusCode::kInvalidArgument);
}

TEST_P(StoreContractHealthTest, TransitionsNewestFirst) {
  store_->RecordTransitions({
      {"o",
       "a",
       core::TransitionKind::kDegrading,
       core::HealthStatus::kHealthy,
       core::HealthStatus::kDegraded,
       70,
       {"slow"},
       At(10)},
      {"o",
       "a",
       core::TransitionKind::kRecovered,
       core::HealthStatus::kDegraded,
       core::HealthStatus::kHealthy,
       95,
       {},
       At(20)},
      {"x",
       "a",
       core::TransitionKind::kChanged,
       core::HealthStatus::kUnknown,
       core::HealthStatus::kHealthy,
       100,
       {},
       At(30)},
  });
  store_->Flush();
  auto rows = store_->QueryTransitions("o", "a", std::nullopt, 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].transition, core::TransitionKind::kRecovered);
  EXPECT_EQ((*rows)[0].score, 95);
  const TransitionRecord& t = (*rows)[1];
  EXPECT_EQ(t.transition, core::TransitionKind::kDegrading);
  EXPECT_EQ(t.previous_status, core::HealthStatus::kHealthy);
  EXPECT_EQ(t.new_status, core::HealthStatus::kDegraded);
  EXPECT_EQ(t.issues, std::vector<std::string>{"slow"});
  EXPECT_EQ(t.at, At(10));
  EXPECT_EQ(store_->QueryTransitions("o", "a", At(15), 10)->size(), 1u);
  EXPECT_EQ(store_->QueryTransitions("o", "a", std::nullopt, 1)->size(), 1u);
}

TEST_P(StoreContractHealthTest, MetricsOldestFirstInRange) {
  store_->RecordMetrics(
      {{"o", "agent", "a", "latency_p95", 120.5, 3000, 10000, At(30), "ms", "healthy"},
       {"o", "agent", "a", "latency_p95", 130.5, 3000, 10000, At(10), "ms", "healthy"},
       {"o", "agent", "a", "latency_p95", 9999, 3000, 10000, At(50), "ms", "degraded"},
       {"o", "agent", "a", "error_rate", 1, 5, 20, At(20), "%", "healthy"},
       {"x", "agent", "a", "latency_p95", 1, 3000, 10000, At(20), "ms", "healthy"}});
  store_->Flush();
  auto rows = store_->QueryMetrics("o", "agent", "a", "latency_p95", At(0), At(40), 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  const MetricRecord& m = (*rows)[0];
  EXPECT_EQ(m.timestamp, At(10));
  EXPECT_EQ(m.value, 130.5);
  EXPECT_EQ(m.threshold_warning, 3000);
  EXPECT_EQ(m.threshold_critical, 10000);
  EXPECT_EQ(m.unit, "ms");
  EXPECT_EQ(m.status, "healthy");
  EXPECT_EQ(m.organization_id, "o");
  EXPECT_EQ(m.resource_type, "agent");
  EXPECT_EQ(m.resource_id, "a");
  EXPECT_EQ(m.metric_name, "latency_p95");
  EXPECT_EQ((*rows)[1].timestamp, At(30));
  EXPECT_EQ(store_->QueryMetrics("o", "agent", "a", "latency_p95", At(0), At(100), 1)->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractHealthTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres), BackendName);

}  // namespace
}  // namespace vitals::store::testing
