// AlertsForIncidents / SelectIncidents / FindIncident: which alerts are grouped and which
// incidents a query gets.
#include "server/api/incident_listing.h"

#include <gtest/gtest.h>

namespace vitals::server {
namespace {

using core::AlertSeverity;
using core::AlertSource;
using std::chrono::seconds;

core::Alert MakeAlert(int n, std::string source, int raised, std::optional<int> resolved,
                      AlertSeverity sev = AlertSeverity::kWarning) {
  core::Alert a;
  a.id = "alert_" + std::to_string(n);
  a.organization_id = "acme";
  a.source_type = AlertSource::kSystem;
  a.source_id = std::move(source);
  a.type = "cpu";
  a.severity = sev;
  a.raised_at = core::FromMicros(0) + seconds(raised);
  if (resolved) a.resolved_at = core::FromMicros(0) + seconds(*resolved);
  return a;
}

TEST(IncidentListingTest, TheEngineDecidesWhatIsOpen) {
  core::Alert open_now = MakeAlert(1, "h", 0, std::nullopt);
  core::Alert stale = MakeAlert(2, "h", 1, std::nullopt);  // stored open, engine let it go
  core::Alert old = MakeAlert(3, "h", 2, 5);
  open_now.message = "engine";
  core::Alert stored_copy = open_now;
  stored_copy.message = "store";
  auto merged = AlertsForIncidents({open_now}, {stored_copy, stale, old});
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].message, "engine");
  EXPECT_EQ(merged[1].id, "alert_3");
}

TEST(IncidentListingTest, FilterAppliesToIncidentsNotToTheirAlerts) {
  // h: alert_1 (resolved at 10) and alert_2 (open, raised at 5) are one open incident,
  // named after alert_1, even though alert_1 itself is resolved.
  std::vector<core::Alert> alerts = {MakeAlert(1, "h", 0, 10),
                                     MakeAlert(2, "h", 5, std::nullopt, AlertSeverity::kCritical),
                                     MakeAlert(3, "g", 20, 30), MakeAlert(4, "g", 40, 50)};
  AlertFilter open;
  auto got = SelectIncidents(alerts, open);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, "incident_1");
  EXPECT_EQ(got[0].alerts.size(), 2u);
  EXPECT_EQ(got[0].severity, AlertSeverity::kCritical);

  AlertFilter resolved;
  resolved.state = "resolved";
  got = SelectIncidents(alerts, resolved);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].id, "incident_4");  // newest opened first
  EXPECT_EQ(got[1].id, "incident_3");

  AlertFilter all;
  all.state = "all";
  all.limit = 2;
  EXPECT_EQ(SelectIncidents(alerts, all).size(), 2u);
  all.limit = 100;
  all.severity = AlertSeverity::kCritical;
  got = SelectIncidents(alerts, all);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, "incident_1");
  all.severity.reset();
  all.since = core::FromMicros(0) + seconds(30);
  got = SelectIncidents(alerts, all);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, "incident_4");
}

TEST(IncidentListingTest, FindsAnIncidentByItsIdAndItsFirstAlert) {
  std::vector<core::Alert> alerts = {MakeAlert(7, "h", 0, std::nullopt),
                                     MakeAlert(9, "h", 1, std::nullopt)};
  auto found = FindIncident(alerts, "incident_7");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->alerts.size(), 2u);
  EXPECT_FALSE(FindIncident(alerts, "incident_9").has_value());  // alert_9 joined incident_7
  EXPECT_EQ(FirstAlertIdCandidates("incident_7"), (std::vector<std::string>{"alert_7", "7"}));
  EXPECT_TRUE(FirstAlertIdCandidates("alert_7").empty());
  EXPECT_TRUE(FirstAlertIdCandidates("incident_").empty());
}

}  // namespace
}  // namespace vitals::server
