#include "core/incident.h"

#include <gtest/gtest.h>

namespace vitals::core {
namespace {

using std::chrono::seconds;

const Timestamp kT0 = FromMicros(1'767'225'600'000'000);

Alert MakeAlert(int n, std::string source, std::string type, AlertSeverity sev, int raised_s,
                std::optional<int> resolved_s = std::nullopt,
                AlertSource source_type = AlertSource::kAgent) {
  Alert a;
  a.id = "alert_" + std::to_string(n);
  a.organization_id = "org";
  a.source_type = source_type;
  a.source_id = std::move(source);
  a.type = type;
  a.severity = sev;
  a.message = type + " is bad";
  a.raised_at = kT0 + seconds(raised_s);
  a.updated_at = a.raised_at;
  if (resolved_s) a.resolved_at = kT0 + seconds(*resolved_s);
  return a;
}

constexpr auto kWarn = AlertSeverity::kWarning;
constexpr auto kCrit = AlertSeverity::kCritical;

TEST(IncidentTest, IdComesFromTheFirstAlert) {
  EXPECT_EQ(IncidentIdFor("alert_12"), "incident_12");
  EXPECT_EQ(IncidentIdFor("x"), "incident_x");
}

TEST(IncidentTest, OneFailingAgentIsOneIncidentNamedAfterHealth) {
  std::vector<Alert> alerts = {
      MakeAlert(5, "a", "health", kCrit, 0), MakeAlert(6, "a", "slo_burn", kCrit, 0),
      MakeAlert(7, "a", "error_rate", kWarn, 0), MakeAlert(8, "a", "failures", kCrit, 0),
      MakeAlert(9, "b", "health", kWarn, 1)};
  auto incidents = GroupIncidents(alerts);
  ASSERT_EQ(incidents.size(), 2u);
  const Incident& a = incidents[1];  // newest opened first: b opened at 1 s
  EXPECT_EQ(a.id, "incident_5");
  EXPECT_EQ(a.source_id, "a");
  EXPECT_EQ(a.alerts.size(), 4u);
  EXPECT_EQ(a.severity, kCrit);
  EXPECT_EQ(a.cause, "health");
  EXPECT_EQ(a.title, "agent a: health is bad");
  EXPECT_TRUE(a.open());
  EXPECT_EQ(incidents[0].id, "incident_9");
}

TEST(IncidentTest, ImpliedAlertsNeedAtLeastTheSeverityOfTheirCause) {
  Alert health = MakeAlert(1, "a", "health", kWarn, 0);
  Alert errors = MakeAlert(2, "a", "error_rate", kCrit, 0);
  Alert failures = MakeAlert(3, "a", "failures", kWarn, 0);
  std::vector<Alert> all = {health, errors, failures};
  EXPECT_FALSE(ImpliedBy(errors, all));  // critical error rate under warning health pages
  EXPECT_TRUE(ImpliedBy(failures, all));
  EXPECT_FALSE(ImpliedBy(health, all));
  EXPECT_EQ(WorstCause(all)->type, "error_rate");
  EXPECT_EQ(PagingSeverity(all), kCrit);
}

TEST(IncidentTest, LostHeartbeatIsNamedAfterTheHeartbeat) {
  std::vector<Alert> all = {MakeAlert(1, "a", "health", kCrit, 0),
                            MakeAlert(2, "a", "heartbeat", kCrit, 0)};
  EXPECT_TRUE(ImpliedBy(all[0], all));
  EXPECT_EQ(WorstCause(all)->type, "heartbeat");
}

TEST(IncidentTest, ResolvedCauseNoLongerImplies) {
  std::vector<Alert> all = {MakeAlert(1, "a", "health", kCrit, 0, 10),
                            MakeAlert(2, "a", "failures", kWarn, 0)};
  EXPECT_FALSE(ImpliedBy(all[1], all));
  EXPECT_EQ(PagingSeverity(all), kWarn);
}

TEST(IncidentTest, AnIncidentLastsWhileAnyAlertIsOpen) {
  // 1 holds 0..10, 2 joins at 5 and holds to 20, 3 at 15 joins; 4 at 25 opens a new incident.
  std::vector<Alert> alerts = {
      MakeAlert(4, "a", "health", kWarn, 25), MakeAlert(1, "a", "health", kWarn, 0, 10),
      MakeAlert(3, "a", "failures", kCrit, 15, 22), MakeAlert(2, "a", "error_rate", kWarn, 5, 20)};
  auto incidents = GroupIncidents(alerts);
  ASSERT_EQ(incidents.size(), 2u);
  EXPECT_EQ(incidents[0].id, "incident_4");
  EXPECT_TRUE(incidents[0].open());
  const Incident& first = incidents[1];
  EXPECT_EQ(first.id, "incident_1");
  ASSERT_EQ(first.alerts.size(), 3u);
  EXPECT_EQ(first.alerts[1].id, "alert_2");
  EXPECT_FALSE(first.open());
  EXPECT_EQ(*first.resolved_at, kT0 + seconds(22));
  EXPECT_EQ(first.severity, kCrit);  // resolved: the highest of all
}

TEST(IncidentTest, OpenSeverityIsTheHighestOpenAlert) {
  Incident i;
  i.id = "incident_1";
  i.source_type = AlertSource::kIntegration;
  i.source_id = "crm";
  i.alerts = {MakeAlert(1, "crm", "integration_down", kCrit, 0, 5, AlertSource::kIntegration),
              MakeAlert(2, "crm", "integration_latency", kWarn, 1, std::nullopt,
                        AlertSource::kIntegration)};
  i.alerts[1].acknowledged_at = kT0 + seconds(2);
  Summarize(i);
  EXPECT_EQ(i.severity, kWarn);
  EXPECT_EQ(i.cause, "integration_latency");
  EXPECT_TRUE(i.acknowledged);
  EXPECT_TRUE(i.open());
}

TEST(IncidentTest, SourcesAndOrganizationsNeverMix) {
  Alert other_org = MakeAlert(2, "a", "failures", kWarn, 1);
  other_org.organization_id = "other";
  std::vector<Alert> alerts = {
      MakeAlert(1, "a", "health", kCrit, 0), other_org,
      MakeAlert(3, "a", "cpu", kWarn, 1, std::nullopt, AlertSource::kSystem)};
  EXPECT_EQ(GroupIncidents(alerts).size(), 3u);
  EXPECT_FALSE(ImpliedBy(other_org, alerts));
}

}  // namespace
}  // namespace vitals::core
