// DeliveryPolicy and the specs: pure rules with explicit times.
#include "server/notify/delivery_policy.h"

#include <gtest/gtest.h>

#include "server/notify/alertmanager_channel.h"
#include "server/notify/channel.h"
#include "server/notify/spec_json.h"
#include "server/notify/webhook_channel.h"

namespace vitals::server {
namespace {

using core::AlertSeverity;

const core::Timestamp kT0 = core::FromMicros(1'795'392'000'000'000);  // 2026-11-23T00:00:00Z

core::Timestamp At(int seconds) { return kT0 + core::Seconds(seconds); }

core::Alert MakeAlert(std::string id = "alert_1", AlertSeverity severity = AlertSeverity::kCritical,
                      std::string source = "a1") {
  core::Alert a;
  a.id = std::move(id);
  a.organization_id = "acme";
  a.severity = severity;
  a.source_id = std::move(source);
  a.type = "heartbeat";
  a.message = "agent a1 missed heartbeats";
  a.raised_at = kT0;
  return a;
}

// An incident change of the one-alert incident of `alert`.
IncidentChange Change(IncidentChangeKind kind, core::Alert alert = MakeAlert()) {
  if (kind == IncidentChangeKind::kResolved) alert.resolved_at = At(1);
  IncidentChange c;
  c.kind = kind;
  c.incident.id = core::IncidentIdFor(alert.id);
  c.incident.organization_id = alert.organization_id;
  c.incident.source_type = alert.source_type;
  c.incident.source_id = alert.source_id;
  c.incident.alerts = {std::move(alert)};
  core::Summarize(c.incident);
  return c;
}

DeliveryRoute MakeRoute(std::string id, ChannelKind kind = ChannelKind::kWebhook) {
  DeliveryRoute r;
  r.organization_id = "acme";
  r.id = std::move(id);
  r.kind = kind;
  r.url = "http://127.0.0.1:9/hook";
  return r;
}

std::vector<std::string> Names(const std::vector<Decision>& ds) {
  std::vector<std::string> out;
  for (const Decision& d : ds) {
    out.push_back(d.route.id + ":" + d.change +
                  (d.action == DeliveryAction::kHold ? "(" + d.detail + ")" : ""));
  }
  return out;
}

using V = std::vector<std::string>;

TEST(DeliveryPolicyTest, RoutesFilterIncidentsBySeveritySourceTypeAndSourceId) {
  DeliveryPolicy p;
  DeliveryRoute critical = MakeRoute("critical");
  critical.severities = {AlertSeverity::kCritical};
  DeliveryRoute agents = MakeRoute("agents");
  agents.source_types = {core::AlertSource::kAgent};
  agents.source_ids = {"a1"};
  p.PutRoute(critical);
  p.PutRoute(agents);
  p.PutRoute(MakeRoute("all"));
  DeliveryRoute other_org = MakeRoute("zeta");
  other_org.organization_id = "zeta";
  p.PutRoute(other_org);

  EXPECT_EQ(Names(p.OnChange(
                Change(IncidentChangeKind::kOpened, MakeAlert("alert_1", AlertSeverity::kWarning)),
                {}, kT0)),
            (V{"agents:raised", "all:raised"}));
  EXPECT_EQ(Names(p.OnChange(Change(IncidentChangeKind::kOpened,
                                    MakeAlert("alert_2", AlertSeverity::kCritical, "a2")),
                             {}, kT0)),
            (V{"all:raised", "critical:raised"}));
  // Updates notify no one; the resolution of an incident no route got goes nowhere.
  EXPECT_TRUE(
      p.OnChange(Change(IncidentChangeKind::kUpdated, MakeAlert("alert_3")), {}, kT0).empty());
  EXPECT_TRUE(
      p.OnChange(Change(IncidentChangeKind::kResolved, MakeAlert("alert_3")), {}, At(5)).empty());
}

TEST(DeliveryPolicyTest, ResolutionGoesToEveryRouteThatGotTheIncidentWhateverItsSeverityNow) {
  DeliveryPolicy p;
  DeliveryRoute critical = MakeRoute("critical");
  critical.severities = {AlertSeverity::kCritical};
  p.PutRoute(critical);
  p.PutRoute(MakeRoute("all"));
  p.OnChange(Change(IncidentChangeKind::kOpened, MakeAlert("alert_1", AlertSeverity::kWarning)), {},
             kT0);
  std::vector<Decision> escalated = p.OnChange(Change(IncidentChangeKind::kEscalated), {}, At(1));
  EXPECT_EQ(Names(escalated), (V{"all:escalated", "critical:escalated"}));
  ASSERT_EQ(escalated.size(), 2u);
  EXPECT_EQ(escalated[0].incident.id, "incident_1");
  EXPECT_EQ(escalated[0].idempotency_key, "incident_1:escalated:2");  // after all's raise
  EXPECT_EQ(escalated[1].idempotency_key, "incident_1:escalated:1");
  EXPECT_EQ(Names(p.OnChange(Change(IncidentChangeKind::kResolved,
                                    MakeAlert("alert_1", AlertSeverity::kWarning)),
                             {}, At(2))),
            (V{"all:resolved", "critical:resolved"}));
  EXPECT_EQ(p.tracked(), 0u);
}

TEST(DeliveryPolicyTest, ADeliveryAfterTheLabelsChangedSaysWhichLabelsItSupersedes) {
  DeliveryPolicy p;
  p.PutRoute(MakeRoute("am", ChannelKind::kAlertmanager));
  core::Alert warning = MakeAlert("alert_1", AlertSeverity::kWarning);
  std::vector<Decision> opened = p.OnChange(Change(IncidentChangeKind::kOpened, warning), {}, kT0);
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_FALSE(opened[0].superseded.has_value());
  std::vector<Decision> up = p.OnChange(Change(IncidentChangeKind::kEscalated), {}, At(1));
  ASSERT_EQ(up.size(), 1u);
  ASSERT_TRUE(up[0].superseded.has_value());
  EXPECT_EQ(up[0].superseded->severity, AlertSeverity::kWarning);
  EXPECT_EQ(up[0].superseded->cause, "heartbeat");
  std::vector<Decision> done = p.OnChange(Change(IncidentChangeKind::kResolved), {}, At(2));
  ASSERT_EQ(done.size(), 1u);
  EXPECT_FALSE(done[0].superseded.has_value());  // resolved under the labels last sent
}

TEST(DeliveryPolicyTest, RemindersRepeatWhileOpenAndUnacknowledged) {
  DeliveryPolicy p;
  DeliveryRoute r = MakeRoute("r");
  r.reminder_interval = core::Seconds(60);
  p.PutRoute(r);
  p.PutRoute(MakeRoute("no_reminders"));
  p.OnChange(Change(IncidentChangeKind::kOpened), {}, kT0);
  EXPECT_TRUE(p.DueRepeats(At(59)).empty());
  EXPECT_EQ(Names(p.DueRepeats(At(60))), (V{"r:reminder"}));
  EXPECT_TRUE(p.DueRepeats(At(100)).empty());
  EXPECT_EQ(Names(p.DueRepeats(At(121))), (V{"r:reminder"}));
  // An escalation restarts the interval.
  p.OnChange(Change(IncidentChangeKind::kEscalated), {}, At(150));
  EXPECT_TRUE(p.DueRepeats(At(200)).empty());
  // The incident acknowledged (its open alerts all are): no more reminders, nothing sent.
  core::Alert acked = MakeAlert();
  acked.acknowledged_at = At(201);
  EXPECT_TRUE(p.OnChange(Change(IncidentChangeKind::kUpdated, acked), {}, At(201)).empty());
  EXPECT_TRUE(p.DueRepeats(At(1000)).empty());
}

TEST(DeliveryPolicyTest, AlertmanagerRoutesGetRefreshesOfDeliveredOpenIncidents) {
  DeliveryPolicy p(PolicyOptions{core::Seconds(60)});
  p.PutRoute(MakeRoute("am", ChannelKind::kAlertmanager));
  p.OnChange(Change(IncidentChangeKind::kOpened), {}, kT0);
  EXPECT_TRUE(p.DueRepeats(At(30)).empty());
  EXPECT_EQ(Names(p.DueRepeats(At(61))), (V{"am:refresh"}));
  p.OnChange(Change(IncidentChangeKind::kResolved), {}, At(70));
  EXPECT_TRUE(p.DueRepeats(At(500)).empty());
}

TEST(DeliveryPolicyTest, MaintenanceWindowHoldsTheIncidentAndItsResolutionIsNotSent) {
  DeliveryPolicy p;
  p.PutRoute(MakeRoute("r"));
  MaintenanceWindow w;
  w.organization_id = "acme";
  w.id = "upgrade";
  w.labels = {{"type", "heartbeat"}, {"agent_type", "crawler"}};
  w.starts_at = At(0);
  w.ends_at = At(600);
  p.PutWindow(w);
  const AgentInfo crawler{"crawler", {}};
  EXPECT_EQ(Names(p.OnChange(Change(IncidentChangeKind::kOpened), crawler, At(10))),
            (V{"r:raised(held: maintenance window upgrade)"}));
  // Another agent type is not covered.
  const IncidentChange other =
      Change(IncidentChangeKind::kOpened, MakeAlert("alert_2", AlertSeverity::kCritical, "a2"));
  EXPECT_EQ(Names(p.OnChange(other, AgentInfo{"writer", {}}, At(10))), (V{"r:raised"}));
  // No one was told the held incident opened: its resolution is not sent either.
  EXPECT_TRUE(p.OnChange(Change(IncidentChangeKind::kResolved), crawler, At(600)).empty());
  EXPECT_EQ(p.tracked(), 1u);
}

TEST(DeliveryPolicyTest, SeededIncidentsAreTrackedAsDeliveredToTheRoutesTheyMatch) {
  DeliveryPolicy p;
  DeliveryRoute info_only = MakeRoute("info_only");
  info_only.severities = {AlertSeverity::kInfo};
  p.PutRoute(info_only);
  p.PutRoute(MakeRoute("all"));
  p.Seed(Change(IncidentChangeKind::kOpened).incident, {}, kT0);
  EXPECT_EQ(p.tracked(), 1u);
  std::vector<Decision> resolved = p.OnChange(Change(IncidentChangeKind::kResolved), {}, At(5));
  EXPECT_EQ(Names(resolved), (V{"all:resolved"}));
  // Its keys cannot repeat one sent before the restart (those counted from 1).
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].idempotency_key,
            "incident_1:resolved:" + std::to_string(core::ToMicros(kT0) / 1000 + 1));
}

TEST(DeliveryPolicyTest, WindowsMatchAgentsIntegrationsAndDependents) {
  core::Alert a;
  a.source_type = core::AlertSource::kAgent;
  a.source_id = "a1";
  MaintenanceWindow w;
  EXPECT_TRUE(w.Covers({&a, "", {}}));  // no selector: everything
  w.agents = {"a2"};
  EXPECT_FALSE(w.Covers({&a, "", {}}));
  w.agents = {"a1"};
  EXPECT_TRUE(w.Covers({&a, "", {}}));
  w.agents.clear();
  w.integrations = {"postgres"};
  EXPECT_FALSE(w.Covers({&a, "", {"redis"}}));
  EXPECT_TRUE(w.Covers({&a, "", {"redis", "postgres"}}));
  a.source_type = core::AlertSource::kIntegration;
  a.source_id = "postgres";
  EXPECT_TRUE(w.Covers({&a, "", {}}));
}

TEST(DeliveryPolicyTest, DownDependencyHoldsTheIncidentAndItsResolution) {
  DeliveryPolicy p;
  DeliveryRoute r = MakeRoute("r");
  r.reminder_interval = core::Seconds(60);
  p.PutRoute(r);
  p.SetIntegrationDown("acme", "openai", true);
  const AgentInfo agent{"", {"openai"}};
  EXPECT_EQ(Names(p.OnChange(Change(IncidentChangeKind::kOpened), agent, kT0)),
            (V{"r:raised(held: depends on integration openai which is down)"}));
  EXPECT_EQ(Names(p.DueRepeats(At(60))),
            (V{"r:reminder(held: depends on integration openai which is down)"}));
  // Other organizations' integrations of the same name are not down.
  EXPECT_FALSE(p.IntegrationDown("zeta", "openai"));
  // Only held: its resolution is not news to anyone (10 agents behind a down integration are
  // not 10 resolutions).
  EXPECT_TRUE(p.OnChange(Change(IncidentChangeKind::kResolved), agent, At(70)).empty());
  p.SetIntegrationDown("acme", "openai", false);
  const IncidentChange later = Change(IncidentChangeKind::kOpened, MakeAlert("alert_9"));
  EXPECT_EQ(Names(p.OnChange(later, agent, At(80))), (V{"r:raised"}));
  EXPECT_EQ(
      Names(p.OnChange(Change(IncidentChangeKind::kResolved, MakeAlert("alert_9")), agent, At(90))),
      (V{"r:resolved"}));
}

TEST(SpecJsonTest, RouteSpecsAreValidatedWholeNamingTheField) {
  auto bad = [](std::string_view json) { return ParseRouteSpec(json, "acme").status().message(); };
  EXPECT_EQ(bad(R"({"id":"r","kind":"pager","url":"http://x/"})").rfind("kind:", 0), 0u);
  EXPECT_EQ(bad(R"({"id":"r","kind":"webhook","url":"ftp://x/"})").rfind("url:", 0), 0u);
  EXPECT_NE(bad(R"({"id":"r","kind":"webhook","url":"https://x/"})").find("https"),
            std::string::npos);
  EXPECT_EQ(bad(R"({"id":"r","kind":"command","command":[]})").rfind("command:", 0), 0u);
  EXPECT_EQ(bad(R"({"id":"r","kind":"slack","url":"http://x/","severities":["fatal"]})")
                .rfind("severities:", 0),
            0u);
  EXPECT_EQ(bad(R"({"kind":"slack","url":"http://x/"})").rfind("id:", 0), 0u);
  EXPECT_EQ(bad(R"({"id":"r","kind":"slack","url":"http://x:0/"})").rfind("url:", 0), 0u);

  auto ok = ParseRouteSpec(
      R"({"id":"r","kind":"webhook","url":"http://127.0.0.1:8/h","secret":"s",
          "severities":["critical"],"source_types":["agent"],"reminder_seconds":60,
          "max_attempts":3,"timeout_ms":500})",
      "acme");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  auto again = ParseRouteSpec(RouteSpecJson(*ok, true), "acme");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->secret, "s");
  EXPECT_EQ(again->reminder_interval, core::Seconds(60));
  EXPECT_EQ(again->max_attempts, 3);
  EXPECT_EQ(again->timeout, core::Millis(500));
  EXPECT_EQ(again->severities, std::vector<AlertSeverity>{AlertSeverity::kCritical});
  EXPECT_EQ(RouteSpecJson(*ok, false).find("\"s\""), std::string::npos);
}

TEST(SpecJsonTest, WindowSpecsNeedAnOrderedTimeRange) {
  auto bad = [](std::string_view json) { return ParseWindowSpec(json, "acme").status().message(); };
  EXPECT_EQ(bad(R"({"id":"w","starts_at":"2026-11-23T02:00:00Z","ends_at":"2026-11-23T01:00:00Z"})")
                .rfind("ends_at:", 0),
            0u);
  EXPECT_EQ(bad(R"({"id":"w","starts_at":"yesterday","ends_at":"2026-11-23T01:00:00Z"})")
                .rfind("starts_at:", 0),
            0u);
  EXPECT_EQ(bad(R"({"id":"w","labels":{"type":1},"starts_at":"2026-11-23T00:00:00Z",
                   "ends_at":"2026-11-23T01:00:00Z"})")
                .rfind("labels:", 0),
            0u);
  auto ok = ParseWindowSpec(R"({"id":"w","agents":["a1"],"labels":{"severity":"critical"},
      "starts_at":"2026-11-23T00:00:00Z","ends_at":"2026-11-23T01:00:00Z"})",
                            "acme");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  auto again = ParseWindowSpec(WindowSpecJson(*ok), "acme");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->agents, std::vector<std::string>{"a1"});
  EXPECT_EQ(again->labels.size(), 1u);
  EXPECT_EQ(again->ends_at - again->starts_at, core::Seconds(3600));
}

TEST(ChannelFormatTest, HmacAndAlertmanagerBody) {
  // RFC 4231 test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  core::Alert health = MakeAlert("alert_2", AlertSeverity::kCritical);
  health.type = "health";
  health.message = "agent a1 is critical";
  core::Incident incident = Change(IncidentChangeKind::kOpened).incident;
  incident.alerts.push_back(health);
  core::Summarize(incident);
  Payload p{"acme", "am", "raised", incident, At(10), "incident_1:raised:1"};
  const std::string body = AlertmanagerAlertsJson(p, AlertmanagerOptions{});
  EXPECT_EQ(body.find("\"labels\"", body.find("\"labels\"") + 1), std::string::npos)
      << "one Alertmanager alert per incident: " << body;
  EXPECT_NE(body.find(R"("alertname":"heartbeat")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("incident":"incident_1")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("summary":"agent a1: agent a1 missed heartbeats")"), std::string::npos)
      << body;
  EXPECT_NE(body.find("health (critical): agent a1 is critical"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("endsAt":"2026-11-23T00:05:10Z")"), std::string::npos) << body;

  // An escalation ends the Alertmanager alert under the labels it was last sent with.
  p.superseded = IncidentLabels{AlertSeverity::kWarning, "error_rate"};
  const std::string escalated = AlertmanagerAlertsJson(p, AlertmanagerOptions{});
  EXPECT_NE(escalated.find(R"("alertname":"heartbeat")"), std::string::npos) << escalated;
  EXPECT_NE(
      escalated.find(R"("alertname":"error_rate","incident":"incident_1","severity":"warning")"),
      std::string::npos)
      << escalated;
  EXPECT_NE(escalated.find(R"("endsAt":"2026-11-23T00:00:10Z")"), std::string::npos) << escalated;
  p.superseded.reset();

  const std::string json = PayloadJson(p);
  EXPECT_NE(
      json.find(
          R"("idempotency_key":"incident_1:raised:1","incident":{"incident_id":"incident_1")"),
      std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("alert_count":2)"), std::string::npos) << json;
  // "alert" is the worst cause, for receivers of per-alert payloads.
  EXPECT_NE(json.find(R"(,"alert":{"alert_id":"alert_1")"), std::string::npos) << json;
}

}  // namespace
}  // namespace vitals::server
