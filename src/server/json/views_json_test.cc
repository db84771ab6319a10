#include "server/json/views_json.h"

#include <gtest/gtest.h>

namespace vitals::server {
namespace {

core::Alert MakeAlert(std::string id, std::string type, core::AlertSeverity severity) {
  core::Alert a;
  a.id = std::move(id);
  a.organization_id = "org";
  a.source_id = "agent-1";
  a.type = type;
  a.severity = severity;
  a.message = type + " bad";
  a.raised_at = core::FromMicros(1'767'225'600'000'000);
  a.updated_at = a.raised_at;
  return a;
}

TEST(ViewsJson, IncidentListsItsAlertsAndWhichAreImplied) {
  auto incidents =
      core::GroupIncidents({MakeAlert("alert_3", "health", core::AlertSeverity::kCritical),
                            MakeAlert("alert_4", "failures", core::AlertSeverity::kWarning)});
  ASSERT_EQ(incidents.size(), 1u);
  JsonWriter w;
  WriteIncident(w, incidents[0]);
  const std::string& s = w.str();
  EXPECT_NE(s.find(R"("incident_id":"incident_3")"), std::string::npos) << s;
  EXPECT_NE(s.find(R"("severity":"critical","cause":"health","title":"agent agent-1: health bad")"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find(R"("resolved":false,"resolved_at":null)"), std::string::npos) << s;
  EXPECT_NE(
      s.find(R"("alert_count":2,"implied_alert_ids":["alert_4"],"alerts":[{"alert_id":"alert_3")"),
      std::string::npos)
      << s;
}

}  // namespace
}  // namespace vitals::server
