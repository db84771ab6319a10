// Alerts: upsert by id, every query filter, alert numbering, and seed 003's health_alerts mirror.
#include <sqlite3.h>

#include "store/sqlite/sqlite_test_util.h"

namespace vitals::store::testing {
namespace {

class AlertsTest : public StoreTest {};

core::Alert MakeAlert(const std::string& org, const std::string& id, core::AlertSeverity severity,
                      core::Timestamp raised) {
  core::Alert a;
  a.id = id;
  a.organization_id = org;
  a.severity = severity;
  a.source_id = "bot";
  a.type = "health";
  a.message = "degraded";
  a.raised_at = raised;
  a.updated_at = raised;
  return a;
}

TEST_F(AlertsTest, AlertsUpsertByIdFilterAndMirrorIntoHealthAlerts) {
  auto store = Open();
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
  store->RecordAlerts({open, full, MakeAlert("x", "alert_99", core::AlertSeverity::kInfo, At(5))});
  open.message = "now worse";
  open.severity = core::AlertSeverity::kCritical;
  store->RecordAlerts({open});
  store->Flush();
  auto got = store->GetAlert("o", "alert_12");
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
  EXPECT_FALSE(store->GetAlert("x", "alert_12")->has_value());
  auto updated = store->GetAlert("o", "alert_3");
  EXPECT_EQ((**updated).message, "now worse");
  EXPECT_FALSE((**updated).resolved_at.has_value());
  AlertQuery q;
  q.organization_id = "o";
  EXPECT_EQ(store->QueryAlerts(q)->size(), 2u);
  EXPECT_EQ(store->QueryAlerts(q)->front().id, "alert_12");  // newest first
  q.open = true;
  ASSERT_EQ(store->QueryAlerts(q)->size(), 1u);
  EXPECT_EQ(store->QueryAlerts(q)->front().id, "alert_3");
  q.open = std::nullopt;
  q.acknowledged = true;
  EXPECT_EQ(store->QueryAlerts(q)->front().id, "alert_12");
  q.acknowledged = std::nullopt;
  q.source_type = core::AlertSource::kAgent;
  EXPECT_EQ(store->QueryAlerts(q)->front().id, "alert_3");
  q.source_type = std::nullopt;
  q.source_id = "openai";
  EXPECT_EQ(store->QueryAlerts(q)->size(), 1u);
  q.source_id = std::nullopt;
  q.since = At(20);
  EXPECT_EQ(store->QueryAlerts(q)->size(), 1u);
  q.since = std::nullopt;
  q.severity = core::AlertSeverity::kWarning;
  EXPECT_TRUE(store->QueryAlerts(q)->empty());
  q.severity = std::nullopt;
  q.limit = 1;
  EXPECT_EQ(store->QueryAlerts(q)->size(), 1u);
  // Other organizations stay out unless the restore asks for all of them.
  q.limit = 100;
  q.organization_id = "x";
  const size_t in_x = store->QueryAlerts(q)->size();
  q.all_organizations = true;
  EXPECT_EQ(store->QueryAlerts(q)->size(), in_x + 2);
  EXPECT_EQ(*store->MaxAlertNumber(), 99u);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(Options().path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT resource_type, resource_id, alert_type, severity, "
                               "resolved, resolved_at FROM health_alerts WHERE organization_id "
                               "= 'o' AND id = 'alert_12'",
                               -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "integration");
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)), "openai");
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 2)), "health");
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 3)), "critical");
  EXPECT_EQ(sqlite3_column_int(st, 4), 1);
  EXPECT_EQ(sqlite3_column_int64(st, 5), core::ToMicros(At(40)));
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(AlertsTest, ViewsShowTheTimestampsAsIsoText) {
  auto store = Open();
  core::Alert a = MakeAlert("o", "alert_3", core::AlertSeverity::kWarning, At(0));
  a.resolved_at = At(1'500'000);
  store->RecordAlerts({a});
  store->Flush();
  const std::string iso_of = "strftime('%Y-%m-%dT%H:%M:%fZ', ";
  EXPECT_EQ(QueryInt(Options().path,
                     "SELECT timestamp_iso = " + iso_of + std::to_string(core::ToMicros(At(0))) +
                         " / 1e6, 'unixepoch') AND resolved_at_iso = " + iso_of +
                         std::to_string(core::ToMicros(At(1'500'000))) +
                         " / 1e6, 'unixepoch') AND timestamp_iso LIKE '____-__-__T__:__:__.___Z' "
                         "FROM health_alerts_view WHERE id = 'alert_3'"),
            1);
  EXPECT_EQ(QueryInt(Options().path,
                     "SELECT raised_at_iso IS NOT NULL AND acknowledged_at_iso IS NULL FROM "
                     "alerts_view WHERE id = 'alert_3'"),
            1);
}

TEST_F(AlertsTest, MaxAlertNumberIgnoresOtherIds) {
  auto store = Open();
  EXPECT_EQ(*store->MaxAlertNumber(), 0u);
  store->RecordAlerts({MakeAlert("o", "alert_7", core::AlertSeverity::kInfo, At(1)),
                       MakeAlert("o", "alert_x9", core::AlertSeverity::kInfo, At(1)),
                       MakeAlert("o", "custom_500", core::AlertSeverity::kInfo, At(1))});
  store->Flush();
  EXPECT_EQ(*store->MaxAlertNumber(), 7u);
}

}  // namespace
}  // namespace vitals::store::testing
