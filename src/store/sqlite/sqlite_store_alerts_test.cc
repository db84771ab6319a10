// Seed 003's health_alerts mirror of the alerts, and the views over both, read from the file.
#include <sqlite3.h>

#include "store/sqlite/sqlite_test_util.h"

namespace vitals::store::testing {
namespace {

class AlertsTest : public StoreTest {};

TEST_F(AlertsTest, AlertsAreMirroredIntoHealthAlerts) {
  auto store = Open();
  core::Alert a = MakeAlert("o", "alert_12", core::AlertSeverity::kCritical, At(30));
  a.source_type = core::AlertSource::kIntegration;
  a.source_id = "openai";
  a.resolved_at = At(40);
  store->RecordAlerts({a});
  store->Flush();
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

}  // namespace
}  // namespace vitals::store::testing
