// The Notifier end to end on loopback: a real webhook receiver (HttpServer), real command hooks,
// and a real SQLite delivery log.
#include "server/notify/notifier.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "server/notify/notify_test_util.h"
#include "server/notify/webhook_channel.h"

namespace vitals::server {
namespace {

using namespace notify_testing;  // NOLINT(google-build-using-namespace)

TEST_F(NotifierTest, WebhookIsSignedRetriedWithBackoffAndKeepsRaiseBeforeResolve) {
  Receiver receiver(/*failures=*/2);
  Notifier& n = Make();
  DeliveryRoute r = Webhook("hook", receiver.url());
  r.secret = "s3cret";
  r.max_attempts = 4;
  n.PutRoute(r);
  n.Start();
  Send(AlertChangeKind::kRaised);
  Send(AlertChangeKind::kResolved);
  ASSERT_TRUE(n.WaitIdle(kWait));

  const std::vector<HttpRequest> got = receiver.requests();
  ASSERT_EQ(got.size(), 4u);
  std::vector<std::string> changes;
  for (size_t i = 0; i < got.size(); ++i) {
    const HttpRequest& req = got[i];
    changes.push_back(ChangeOf(req));
    // A retried delivery keeps its idempotency key.
    const std::string key = i < 3 ? "incident_1:raised:1" : "incident_1:resolved:2";
    EXPECT_NE(req.body.find(R"("idempotency_key":")" + key + "\""), std::string::npos) << req.body;
    EXPECT_EQ(req.headers.Get("X-Vitals-Signature"), "sha256=" + HmacSha256Hex("s3cret", req.body));
    EXPECT_EQ(req.headers.Get("X-Vitals-Timestamp"), "1795392000");
    EXPECT_EQ(req.path, "/hook");
  }
  EXPECT_EQ(changes, (V{"raised", "raised", "raised", "resolved"}));
  EXPECT_EQ(Log(), (V{"hook:raised:1:retrying", "hook:raised:2:retrying", "hook:raised:3:delivered",
                      "hook:resolved:1:delivered"}));
  EXPECT_EQ(n.stats().retries, 2u);
  EXPECT_EQ(n.stats().delivered, 2u);
}

TEST_F(NotifierTest, AFailingRouteGivesUpAfterMaxAttemptsWithoutHoldingBackOthers) {
  Receiver receiver;
  uint16_t closed_port = 0;
  {
    testing::TestServer gone;
    closed_port = gone.server.port();
  }
  NotifierOptions o = Fast();
  o.initial_backoff = std::chrono::milliseconds(300);
  Notifier& n = Make(o);
  DeliveryRoute down = Webhook("a_down", "http://127.0.0.1:" + std::to_string(closed_port) + "/");
  down.max_attempts = 3;
  n.PutRoute(down);
  n.PutRoute(Webhook("b_up", receiver.url()));
  n.Start();
  Send(AlertChangeKind::kRaised);
  // The healthy route is served while the failing one is still backing off.
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (receiver.requests().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(receiver.requests().size(), 1u);
  // The healthy delivery is counted done a moment after the receiver has it; the failing one
  // stays pending through its backoff (300 + 600 ms).
  while (n.stats().pending > 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_EQ(n.stats().pending, 1u);
  ASSERT_TRUE(n.WaitIdle(kWait));
  auto rows = store_->QueryDeliveries("acme", "incident_1", 100);
  ASSERT_TRUE(rows.ok());
  std::vector<std::string> down_log;
  for (auto it = rows->rbegin(); it != rows->rend(); ++it) {
    if (it->route_id == "a_down") down_log.push_back(it->outcome);
  }
  EXPECT_EQ(down_log, (V{"retrying", "retrying", "failed"}));
  EXPECT_EQ(n.stats().failed, 1u);
}

TEST_F(NotifierTest, CommandHookGetsTheChangeOnStdinAndIsKilledAtItsTimeout) {
  const std::string script = (dir_ / "hook.sh").string();
  const std::string out = (dir_ / "received.json").string();
  std::ofstream(script) << "#!/bin/sh\ncat >> \"$1\"\necho restarted \"$2\" >&2\n";
  ASSERT_EQ(chmod(script.c_str(), 0755), 0);
  Notifier& n = Make();
  DeliveryRoute hook;
  hook.organization_id = "acme";
  hook.id = "restart";
  hook.kind = ChannelKind::kCommand;
  hook.command = {script, out, "a1"};
  n.PutRoute(hook);
  DeliveryRoute slow = hook;
  slow.id = "slow";
  slow.command = {"/bin/sleep", "30"};
  slow.timeout = core::Millis(200);
  slow.max_attempts = 1;
  n.PutRoute(slow);
  n.Start();
  const auto started = std::chrono::steady_clock::now();
  Send(AlertChangeKind::kRaised);
  ASSERT_TRUE(n.WaitIdle(kWait));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));

  std::stringstream received;
  received << std::ifstream(out).rdbuf();
  EXPECT_NE(received.str().find(R"("change":"raised")"), std::string::npos) << received.str();
  EXPECT_NE(received.str().find(R"("alert_id":"alert_1")"), std::string::npos);
  auto rows = store_->QueryDeliveries("acme", "incident_1", 10);
  ASSERT_TRUE(rows.ok());
  std::map<std::string, std::string> detail, outcome;
  for (const store::DeliveryRecord& d : *rows) {
    detail[d.route_id] = d.detail;
    outcome[d.route_id] = d.outcome;
  }
  EXPECT_EQ(outcome["restart"], "delivered");
  EXPECT_EQ(detail["restart"], "exit 0: restarted a1");
  EXPECT_EQ(outcome["slow"], "failed");
  EXPECT_EQ(detail["slow"].rfind("timeout after 200 ms, killed", 0), 0u) << detail["slow"];
}

TEST_F(NotifierTest, WithoutTheOperatorsGrantsOnlyTheOperatorsOwnRoutesRunCommands) {
  Receiver receiver;
  const std::string marker = (dir_ / "ran").string();
  NotifierOptions o = Fast();
  o.allow_command_routes = false;
  o.allow_private_targets = false;
  Notifier& n = Make(o);
  DeliveryRoute hook;
  hook.organization_id = "acme";
  hook.id = "cmd";
  hook.kind = ChannelKind::kCommand;
  hook.command = {"/usr/bin/touch", marker};
  n.PutRoute(hook);
  DeliveryRoute own = hook;  // the operator's, from the config file: runs
  own.id = "own";
  own.command = {"/usr/bin/touch", marker + "-own"};
  own.operator_defined = true;
  n.PutRoute(own);
  // "localhost" is resolved when delivering, and refused for what it resolves to.
  std::string url = receiver.url();
  url.replace(url.find("127.0.0.1"), 9, "localhost");
  DeliveryRoute web = Webhook("web", url);
  web.max_attempts = 5;
  n.PutRoute(web);
  n.Start();
  Send(AlertChangeKind::kRaised);
  ASSERT_TRUE(n.WaitIdle(kWait));
  EXPECT_TRUE(receiver.requests().empty());
  EXPECT_FALSE(std::filesystem::exists(marker));
  EXPECT_TRUE(std::filesystem::exists(marker + "-own"));
  std::map<std::string, std::string> detail;
  auto rows = store_->QueryDeliveries("acme", "incident_1", 10);
  ASSERT_TRUE(rows.ok());
  for (const store::DeliveryRecord& d : *rows) {
    detail[d.route_id] = d.detail;
    if (d.route_id == "own") continue;
    EXPECT_EQ(d.outcome, "failed") << d.route_id;  // refused at once, not retried
    EXPECT_EQ(d.attempt, 1) << d.route_id;
  }
  EXPECT_NE(detail["cmd"].find("--allow-command-routes"), std::string::npos) << detail["cmd"];
  EXPECT_NE(detail["web"].find("is a loopback address"), std::string::npos) << detail["web"];
  EXPECT_NE(detail["web"].find("--allow-private-targets"), std::string::npos) << detail["web"];
}

TEST_F(NotifierTest, MaintenanceWindowHoldsTheIncidentAndItsResolutionIsNotSent) {
  Receiver receiver;
  Notifier& n = Make();
  n.PutRoute(Webhook("hook", receiver.url()));
  MaintenanceWindow w;
  w.organization_id = "acme";
  w.id = "deploy";
  w.agents = {"a1"};
  w.starts_at = clock_.Now() - core::Seconds(60);
  w.ends_at = clock_.Now() + core::Seconds(600);
  n.PutWindow(w);
  n.Start();
  Send(AlertChangeKind::kRaised);
  Send(AlertChangeKind::kRaised, "alert_2", "a2");  // not covered
  ASSERT_TRUE(n.WaitIdle(kWait));
  EXPECT_EQ(Log(), (V{"hook:raised:1:held"}));
  EXPECT_EQ(LastDetail(), "held: maintenance window deploy");
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_NE(receiver.requests()[0].body.find("incident_2"), std::string::npos);

  // No one was told it opened: its resolution after the window is not news either.
  clock_.Advance(core::Seconds(601));
  Send(AlertChangeKind::kResolved);
  ASSERT_TRUE(n.WaitIdle(kWait));
  EXPECT_EQ(Log(), (V{"hook:raised:1:held"}));
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST_F(NotifierTest, DownDependencyHoldsTheAgentsIncidentAndItsResolution) {
  Receiver receiver;
  Notifier& n = Make();
  n.SetAgentLookup([](const std::string& org, const std::string& agent) {
    return agent == "a1" ? AgentInfo{"crawler", {"openai"}} : AgentInfo{};
  });
  n.PutRoute(Webhook("hook", receiver.url()));
  n.SetIntegrationDown("acme", "openai", true);
  n.Start();
  Send(AlertChangeKind::kRaised);
  ASSERT_TRUE(n.WaitIdle(kWait));
  EXPECT_EQ(Log(), (V{"hook:raised:1:held"}));
  EXPECT_EQ(LastDetail(), "held: depends on integration openai which is down");
  Send(AlertChangeKind::kResolved);
  ASSERT_TRUE(n.WaitIdle(kWait));
  EXPECT_TRUE(receiver.requests().empty());
  EXPECT_EQ(Log(), (V{"hook:raised:1:held"}));
}

TEST_F(NotifierTest, OneFailingAgentIsOneNotificationWhenItOpensAndOneWhenItResolves) {
  Receiver receiver;
  Notifier& n = Make();
  n.PutRoute(Webhook("hook", receiver.url()));
  n.Start();
  // One tick: the agent's health goes critical, and with it what health implies.
  Deliver({Change(AlertChangeKind::kRaised, "alert_1", "a1", "health"),
           Change(AlertChangeKind::kRaised, "alert_2", "a1", "slo_burn"),
           Change(AlertChangeKind::kRaised, "alert_3", "a1", "error_rate"),
           Change(AlertChangeKind::kRaised, "alert_4", "a1", "failures")});
  ASSERT_TRUE(n.WaitIdle(kWait));
  clock_.Advance(core::Seconds(5));
  Send(AlertChangeKind::kRaised, "alert_5", "a1", "low_confidence");  // joins, no notification
  ASSERT_TRUE(n.WaitIdle(kWait));
  ASSERT_EQ(receiver.requests().size(), 1u);
  const std::string body = receiver.requests()[0].body;  // requests() returns a copy
  EXPECT_NE(body.find(R"("incident":{"incident_id":"incident_1")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("alert_count":4)"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("cause":"health")"), std::string::npos) << body;

  clock_.Advance(core::Seconds(60));
  Deliver(
      {Change(AlertChangeKind::kResolved, "alert_1"), Change(AlertChangeKind::kResolved, "alert_2"),
       Change(AlertChangeKind::kResolved, "alert_3"), Change(AlertChangeKind::kResolved, "alert_4"),
       Change(AlertChangeKind::kResolved, "alert_5")});
  ASSERT_TRUE(n.WaitIdle(kWait));
  ASSERT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(ChangeOf(receiver.requests()[1]), "resolved");
  EXPECT_NE(receiver.requests()[1].body.find(R"("alert_count":5)"), std::string::npos);
  EXPECT_EQ(Log(), (V{"hook:raised:1:delivered", "hook:resolved:1:delivered"}));
}

TEST_F(NotifierTest, AnIntegrationDownWithTenDependentAgentsIsTwoNotifications) {
  Receiver receiver;
  Notifier& n = Make();
  n.SetAgentLookup([](const std::string&, const std::string& agent) {
    return agent == "openai" ? AgentInfo{} : AgentInfo{"crawler", {"openai"}};
  });
  n.PutRoute(Webhook("hook", receiver.url()));
  n.Start();
  core::AlertChange down =
      Change(AlertChangeKind::kRaised, "alert_1", "openai", "integration_down");
  down.alert.source_type = core::AlertSource::kIntegration;
  alerts_["alert_1"].source_type = core::AlertSource::kIntegration;
  n.SetIntegrationDown("acme", "openai", true);  // as the DownTracker does on that raise
  std::vector<core::AlertChange> tick = {down};
  for (int i = 0; i < 10; ++i) {
    tick.push_back(Change(AlertChangeKind::kRaised, "alert_" + std::to_string(i + 2),
                          "agent" + std::to_string(i), "integration_errors"));
  }
  Deliver(tick);
  ASSERT_TRUE(n.WaitIdle(kWait));
  EXPECT_EQ(n.stats().held, 10u);
  clock_.Advance(core::Seconds(120));
  n.SetIntegrationDown("acme", "openai", false);
  std::vector<core::AlertChange> recovery;
  for (int i = 1; i <= 11; ++i) {
    recovery.push_back(Change(AlertChangeKind::kResolved, "alert_" + std::to_string(i)));
  }
  Deliver(recovery);
  ASSERT_TRUE(n.WaitIdle(kWait));
  const std::vector<HttpRequest> got = receiver.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(ChangeOf(got[0]), "raised");
  EXPECT_EQ(ChangeOf(got[1]), "resolved");
  EXPECT_NE(got[1].body.find(R"("source_type":"integration","source_id":"openai")"),
            std::string::npos)
      << got[1].body;
}

TEST_F(NotifierTest, TheDispatcherSendsTheOpeningWhenTheGroupingWindowEnds) {
  Receiver receiver;
  NotifierOptions o = Fast();
  o.incident_window = core::Seconds(1);
  Notifier& n = Make(o);
  n.PutRoute(Webhook("hook", receiver.url()));
  n.Start();
  Send(AlertChangeKind::kRaised, "alert_1", "a1", "heartbeat");
  clock_.Advance(core::Millis(400));
  Send(AlertChangeKind::kRaised, "alert_2", "a1", "health");
  // The fake clock stands still inside the window: the opening waits, so never idle.
  EXPECT_FALSE(n.WaitIdle(std::chrono::milliseconds(200)));
  EXPECT_TRUE(receiver.requests().empty());
  clock_.Advance(core::Millis(600));
  ASSERT_TRUE(n.WaitIdle(kWait));
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_NE(receiver.requests()[0].body.find(R"("alert_count":2)"), std::string::npos);
}

TEST_F(NotifierTest, StopSendsTheOpeningsStillInTheirWindow) {
  Receiver receiver;
  NotifierOptions o = Fast();
  o.incident_window = core::Seconds(3600);
  Notifier& n = Make(o);
  n.PutRoute(Webhook("hook", receiver.url()));
  n.Start();
  Send(AlertChangeKind::kRaised);
  EXPECT_FALSE(n.WaitIdle(std::chrono::milliseconds(100)));
  n.Stop();
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(ChangeOf(receiver.requests()[0]), "raised");
  EXPECT_EQ(n.stats().abandoned, 0u);
}

TEST_F(NotifierTest, SeededIncidentsAreResolvedAfterARestartNotAnnouncedAgain) {
  Receiver receiver;
  Notifier& n = Make();
  n.PutRoute(Webhook("hook", receiver.url()));
  // Restored open: a1's heartbeat was notified before the restart; a2's raise was in cooldown.
  core::Alert notified = Change(AlertChangeKind::kRaised, "alert_7", "a1").alert;
  core::Alert silent = Change(AlertChangeKind::kRaised, "alert_8", "a2", "heartbeat", false).alert;
  EXPECT_EQ(n.RouteOrganizations(), (V{"acme"}));
  n.Seed({notified, silent});
  n.Start();
  clock_.Advance(core::Seconds(30));
  Send(AlertChangeKind::kResolved, "alert_7");
  Send(AlertChangeKind::kResolved, "alert_8");
  ASSERT_TRUE(n.WaitIdle(kWait));
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(ChangeOf(receiver.requests()[0]), "resolved");
  EXPECT_EQ(Log("incident_7"), (V{"hook:resolved:1:delivered"}));
  EXPECT_TRUE(Log("incident_8").empty());
}

TEST_F(NotifierTest, RemindersRepeatWhileTheIncidentStaysOpen) {
  Receiver receiver;
  Notifier& n = Make();
  DeliveryRoute r = Webhook("hook", receiver.url());
  r.reminder_interval = core::Seconds(60);
  n.PutRoute(r);
  n.Start();
  Send(AlertChangeKind::kRaised);
  ASSERT_TRUE(n.WaitIdle(kWait));
  clock_.Advance(core::Seconds(61));
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (receiver.requests().size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(ChangeOf(receiver.requests()[1]), "reminder");
}

TEST_F(NotifierTest, SlackRouteGetsTextAndColouredAttachment) {
  Receiver receiver;
  Notifier& n = Make();
  DeliveryRoute r = Webhook("slack", receiver.url());
  r.kind = ChannelKind::kSlack;
  n.PutRoute(r);
  n.Start();
  Send(AlertChangeKind::kRaised);
  Send(AlertChangeKind::kResolved);
  ASSERT_TRUE(n.WaitIdle(kWait));
  const std::vector<HttpRequest> got = receiver.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_NE(got[0].body.find(R"("text":"[critical] raised: agent a1: missed heartbeats")"),
            std::string::npos)
      << got[0].body;
  EXPECT_NE(got[0].body.find(R"({"title":"Incident","value":"incident_1","short":true})"),
            std::string::npos);
  EXPECT_NE(got[0].body.find("heartbeat (critical): missed heartbeats"), std::string::npos);
  EXPECT_NE(got[0].body.find(R"("attachments":[{"color":"#d00000")"), std::string::npos);
  EXPECT_NE(got[0].body.find(R"({"title":"Source","value":"agent a1","short":true})"),
            std::string::npos);
  EXPECT_NE(got[1].body.find(R"("text":"[resolved] agent a1: missed heartbeats")"),
            std::string::npos);
  EXPECT_NE(got[1].body.find(R"("color":"#2eb886")"), std::string::npos);
}

TEST_F(NotifierTest, StopAbandonsWhatItCannotDeliverWithinItsWait) {
  uint16_t closed_port = 0;
  {
    testing::TestServer gone;
    closed_port = gone.server.port();
  }
  NotifierOptions o = Fast();
  o.initial_backoff = std::chrono::milliseconds(5000);
  o.stop_wait = std::chrono::milliseconds(200);
  Notifier& n = Make(o);
  DeliveryRoute down = Webhook("down", "http://127.0.0.1:" + std::to_string(closed_port) + "/");
  down.max_attempts = 10;
  n.PutRoute(down);
  n.Start();
  Send(AlertChangeKind::kRaised);
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (n.stats().retries == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const auto stopping = std::chrono::steady_clock::now();
  n.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(2));
  EXPECT_EQ(n.stats().abandoned, 1u);
  EXPECT_EQ(n.stats().pending, 0u);
}

TEST_F(NotifierTest, TheQueueIsBoundedAndDropsAreCounted) {
  NotifierOptions o = Fast();
  o.max_queue = 2;
  Notifier& n = Make(o);  // not started: nothing drains
  for (int i = 0; i < 5; ++i) Send(AlertChangeKind::kRaised, "alert_" + std::to_string(i));
  EXPECT_EQ(n.stats().changes_dropped, 3u);
}

}  // namespace
}  // namespace vitals::server
