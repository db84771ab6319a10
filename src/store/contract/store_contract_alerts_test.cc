// Alerts: upsert by id, every query filter, alert numbering.
#include "store/contract/store_contract_fixture.h"

namespace vitals::store::testing {
namespace {

class StoreContractAlertsTest : public StoreContractTest {};

TEST_P(StoreContractAlertsTest, AlertsUpsertByIdAndFilter) {
  core::Alert full = MakeAlert("o", "alert_12", core::AlertSeverity::kCritical, At(30));
  full.source_type = core::AlertSource::kIntegration;
  full.source_id = "openai";
  full.resolved_at = At(40);
  full.acknowledged_at = At(35);
  full.acknowledged_by = "dana";
  full.last_notified_at = At(31);
  full.flapping = true;
  full.metadata_json = R"({"x":1})";
  core::Alert open = MakeAlert("o", "alert_3", core::AlertSeverity::kWarning, At(10));
  store_->RecordAlerts({open, full, MakeAlert("x", "alert_99", core::AlertSeverity::kInfo, At(5))});
  open.message = "now worse";
  open.severity = core::AlertSeverity::kCritical;
  store_->RecordAlerts({open});
  store_->Flush();
  auto got = store_->GetAlert("o", "alert_12");
  ASSERT_TRUE(got.ok() && got->has_value());
  const core::Alert& g = **got;
  EXPECT_EQ(g.severity, full.severity);
  EXPECT_EQ(g.source_type, full.source_type);
  EXPECT_EQ(g.source_id, "openai");
  EXPECT_EQ(g.type, "health");
  EXPECT_EQ(g.message, "degraded");
  EXPECT_EQ(g.raised_at, At(30));
  EXPECT_EQ(g.updated_at, At(30));
  EXPECT_EQ(g.resolved_at, full.resolved_at);
  EXPECT_EQ(g.acknowledged_at, full.acknowledged_at);
  EXPECT_EQ(g.acknowledged_by, "dana");
  EXPECT_EQ(g.last_notified_at, full.last_notified_at);
  EXPECT_TRUE(g.flapping);
  EXPECT_EQ(g.metadata_json, full.metadata_json);
  EXPECT_FALSE(store_->GetAlert("x", "alert_12")->has_value());
  auto updated = store_->GetAlert("o", "alert_3");
  EXPECT_EQ((**updated).message, "now worse");
  EXPECT_FALSE((**updated).resolved_at.has_value());
  AlertQuery q;
  q.organization_id = "o";
  EXPECT_EQ(store_->QueryAlerts(q)->size(), 2u);
  EXPECT_EQ(store_->QueryAlerts(q)->front().id, "alert_12");  // newest first
  q.open = true;
  ASSERT_EQ(store_->QueryAlerts(q)->size(), 1u);
  EXPECT_EQ(store_->QueryAlerts(q)->front().id, "alert_3");
  q.open = std::nullopt;
  q.acknowledged = true;
  EXPECT_EQ(store_->QueryAlerts(q)->front().id, "alert_12");
  q.acknowledged = std::nullopt;
  q.source_type = core::AlertSource::kAgent;
  EXPECT_EQ(store_->QueryAlerts(q)->front().id, "alert_3");
  q.source_type = std::nullopt;
  q.source_id = "openai";
  EXPECT_EQ(store_->QueryAlerts(q)->size(), 1u);
  q.source_id = std::nullopt;
  q.since = At(20);
  EXPECT_EQ(store_->QueryAlerts(q)->size(), 1u);
  q.since = std::nullopt;
  q.severity = core::AlertSeverity::kWarning;
  EXPECT_TRUE(store_->QueryAlerts(q)->empty());
  q.severity = std::nullopt;
  q.limit = 1;
  EXPECT_EQ(store_->QueryAlerts(q)->size(), 1u);
  // Other organizations stay out unless the restore asks for all of them.
  q.limit = 100;
  q.organization_id = "x";
  const size_t in_x = store_->QueryAlerts(q)->size();
  q.all_organizations = true;
  EXPECT_EQ(store_->QueryAlerts(q)->size(), in_x + 2);
  EXPECT_EQ(*store_->MaxAlertNumber(), 99u);
}

TEST_P(StoreContractAlertsTest, MaxAlertNumberIgnoresOtherIds) {
  EXPECT_EQ(*store_->MaxAlertNumber(), 0u);
  store_->RecordAlerts({MakeAlert("o", "alert_7", core::AlertSeverity::kInfo, At(1)),
                        MakeAlert("o", "alert_x9", core::AlertSeverity::kInfo, At(1)),
                        MakeAlert("o", "custom_500", core::AlertSeverity::kInfo, At(1))});
  store_->Flush();
  EXPECT_EQ(*store_->MaxAlertNumber(), 7u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractAlertsTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres), BackendName);

}  // namespace
}  // namespace vitals::store::testing
