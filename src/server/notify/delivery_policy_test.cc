// DeliveryPolicy and the specs: pure rules with explicit times.
#include "server/notify/delivery_policy.h"

#include <gtest/gtest.h>

#include "server/notify/alertmanager_channel.h"
#include "server/notify/spec_json.h"
#include "server/notify/webhook_channel.h"

namespace vitals::server {
namespace {

using core::AlertChangeKind;
using core::AlertSeverity;

const core::Timestamp kT0 = core::FromMicros(1'795'392'000'000'000);  // 2026-11-23T00:00:00Z

core::Timestamp At(int seconds) { return kT0 + core::Seconds(seconds); }

core::AlertChange Change(AlertChangeKind kind, std::string id = "alert_1",
                         AlertSeverity severity = AlertSeverity::kCritical, bool notify = true,
                         std::string source = "a1") {
  core::AlertChange c{};
  c.kind = kind;
  c.notify = notify;
  c.suppressed_reason = notify ? "" : "cooldown";
  c.alert.id = std::move(id);
  c.alert.organization_id = "acme";
  c.alert.severity = severity;
  c.alert.source_id = std::move(source);
  c.alert.type = "heartbeat";
  c.alert.message = "agent a1 missed heartbeats";
  c.alert.raised_at = kT0;
  if (kind == AlertChangeKind::kResolved) c.alert.resolved_at = At(1);
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

TEST(DeliveryPolicyTest, RoutesFilterBySeveritySourceTypeAndSourceId) {
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

  EXPECT_EQ(Names(p.OnChange(Change(AlertChangeKind::kRaised, "alert_1", AlertSeverity::kWarning),
                             {}, kT0)),
            (V{"agents:raised", "all:raised"}));
  EXPECT_EQ(Names(p.OnChange(
                Change(AlertChangeKind::kRaised, "alert_2", AlertSeverity::kCritical, true, "a2"),
                {}, kT0)),
            (V{"all:raised", "critical:raised"}));
  // Suppressed by the core (cooldown): nothing goes, and nothing is tracked.
  EXPECT_TRUE(
      p.OnChange(Change(AlertChangeKind::kRaised, "alert_3", AlertSeverity::kCritical, false), {},
                 kT0)
          .empty());
  EXPECT_TRUE(p.OnChange(Change(AlertChangeKind::kResolved, "alert_3"), {}, At(5)).empty());
}

TEST(DeliveryPolicyTest, ResolutionGoesToEveryRouteThatGotTheAlertWhateverItsSeverityNow) {
  DeliveryPolicy p;
  DeliveryRoute critical = MakeRoute("critical");
  critical.severities = {AlertSeverity::kCritical};
  p.PutRoute(critical);
  p.PutRoute(MakeRoute("all"));
  p.OnChange(Change(AlertChangeKind::kRaised, "alert_1", AlertSeverity::kWarning), {}, kT0);
  EXPECT_EQ(Names(p.OnChange(Change(AlertChangeKind::kEscalated), {}, At(1))),
            (V{"all:escalated", "critical:escalated"}));
  core::AlertChange resolved =
      Change(AlertChangeKind::kResolved, "alert_1", AlertSeverity::kWarning, /*notify=*/false);
  EXPECT_EQ(Names(p.OnChange(resolved, {}, At(2))), (V{"all:resolved", "critical:resolved"}));
  EXPECT_EQ(p.tracked(), 0u);
}

TEST(DeliveryPolicyTest, RemindersRepeatWhileOpenAndUnacknowledged) {
  DeliveryPolicy p;
  DeliveryRoute r = MakeRoute("r");
  r.reminder_interval = core::Seconds(60);
  p.PutRoute(r);
  p.PutRoute(MakeRoute("no_reminders"));
  p.OnChange(Change(AlertChangeKind::kRaised), {}, kT0);
  EXPECT_TRUE(p.DueRepeats(At(59)).empty());
  EXPECT_EQ(Names(p.DueRepeats(At(60))), (V{"r:reminder"}));
  EXPECT_TRUE(p.DueRepeats(At(100)).empty());
  EXPECT_EQ(Names(p.DueRepeats(At(121))), (V{"r:reminder"}));
  // An escalation restarts the interval.
  p.OnChange(Change(AlertChangeKind::kEscalated), {}, At(150));
  EXPECT_TRUE(p.DueRepeats(At(200)).empty());
  // Acknowledged: no more reminders.
  core::AlertChange ack =
      Change(AlertChangeKind::kAcknowledged, "alert_1", AlertSeverity::kCritical, /*notify=*/false);
  ack.alert.acknowledged_at = At(201);
  p.OnChange(ack, {}, At(201));
  EXPECT_TRUE(p.DueRepeats(At(1000)).empty());
}

TEST(DeliveryPolicyTest, AlertmanagerRoutesGetRefreshesOfDeliveredOpenAlerts) {
  DeliveryPolicy p(PolicyOptions{core::Seconds(60)});
  p.PutRoute(MakeRoute("am", ChannelKind::kAlertmanager));
  p.OnChange(Change(AlertChangeKind::kRaised), {}, kT0);
  EXPECT_TRUE(p.DueRepeats(At(30)).empty());
  EXPECT_EQ(Names(p.DueRepeats(At(61))), (V{"am:refresh"}));
  p.OnChange(Change(AlertChangeKind::kResolved), {}, At(70));
  EXPECT_TRUE(p.DueRepeats(At(500)).empty());
}

TEST(DeliveryPolicyTest, MaintenanceWindowHoldsEverythingItCoversUntilItEnds) {
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
  EXPECT_EQ(Names(p.OnChange(Change(AlertChangeKind::kRaised), crawler, At(10))),
            (V{"r:raised(held: maintenance window upgrade)"}));
  // Another agent type is not covered.
  EXPECT_EQ(Names(p.OnChange(
                Change(AlertChangeKind::kRaised, "alert_2", AlertSeverity::kCritical, true, "a2"),
                AgentInfo{"writer", {}}, At(10))),
            (V{"r:raised"}));
  // After the window, the resolution of the held raise goes out.
  EXPECT_EQ(Names(p.OnChange(Change(AlertChangeKind::kResolved), crawler, At(600))),
            (V{"r:resolved"}));
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

TEST(DeliveryPolicyTest, DownDependencyHoldsNotificationsButNotResolutions) {
  DeliveryPolicy p;
  DeliveryRoute r = MakeRoute("r");
  r.reminder_interval = core::Seconds(60);
  p.PutRoute(r);
  p.SetIntegrationDown("acme", "openai", true);
  const AgentInfo agent{"", {"openai"}};
  EXPECT_EQ(Names(p.OnChange(Change(AlertChangeKind::kRaised), agent, kT0)),
            (V{"r:raised(held: depends on integration openai which is down)"}));
  EXPECT_EQ(Names(p.DueRepeats(At(60))),
            (V{"r:reminder(held: depends on integration openai which is down)"}));
  // Other organizations' integrations of the same name are not down.
  EXPECT_FALSE(p.IntegrationDown("zeta", "openai"));
  EXPECT_EQ(Names(p.OnChange(Change(AlertChangeKind::kResolved), agent, At(70))),
            (V{"r:resolved"}));
  p.SetIntegrationDown("acme", "openai", false);
  EXPECT_EQ(Names(p.OnChange(Change(AlertChangeKind::kRaised, "alert_9"), agent, At(80))),
            (V{"r:raised"}));
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
  Payload p{"acme", "am", "raised", Change(AlertChangeKind::kRaised).alert, At(10)};
  const std::string body = AlertmanagerAlertsJson(p, AlertmanagerOptions{});
  EXPECT_NE(body.find(R"("alertname":"heartbeat")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("vitals_alert_id":"alert_1")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("endsAt":"2026-11-23T00:05:10Z")"), std::string::npos) << body;
}

}  // namespace
}  // namespace vitals::server
