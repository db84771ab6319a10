// The SQLite file's views, which show the stored microseconds as ISO text for people reading
// the file with the sqlite3 shell.
#include "store/sqlite/sqlite_test_util.h"

namespace vitals::store::testing {
namespace {

class RecordsTest : public StoreTest {};

TEST_F(RecordsTest, TimestampViewsShowIsoText) {
  auto store = Open();
  store->SaveCheckpoints({{"o", "a", "", 0, At(0)}});
  store->Flush();
  EXPECT_EQ(QueryInt(Options().path,
                     "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 1796245255767438 / 1e6, 'unixepoch') "
                     "= '2026-12-02T21:00:55.767Z'"),
            1);
  for (const char* view :
       {"agent_health_realtime_view", "health_alerts_view", "health_metrics_view", "alerts_view"}) {
    EXPECT_EQ(QueryInt(Options().path, std::string("SELECT COUNT(*) FROM ") + view), 0) << view;
  }
}

}  // namespace
}  // namespace vitals::store::testing
