// The delivery endpoints (routes, maintenance windows, delivery log) driven through a Router, on a
// real SQLite store and a real Notifier.
#include <gtest/gtest.h>

#include <future>

#include "server/api/api_server.h"
#include "server/notify/notify_test_util.h"
#include "server/notify/spec_json.h"

namespace vitals::server {

namespace {

using namespace notify_testing;  // NOLINT(google-build-using-namespace)

class DeliveryHandlersTest : public NotifierTest {
 protected:
  void SetUp() override {
    NotifierTest::SetUp();
    monitor_ = std::make_unique<engine::Monitor>(engine::MonitorOptions{}, &clock_);
    auth_ = std::make_unique<Authenticator>(*store_, &clock_);
    services_ = std::unique_ptr<Services>(
        new Services{*monitor_, *store_, *auth_, &clock_, nullptr, ApiLimits{}, {}});
    services_->notifier = &Make();
    services_->grants.allow_private_targets = true;  // the receivers here are on loopback
    services_->grants.allow_command_routes = true;
    RegisterDeliveryRoutes(router_, *services_);
  }
  void TearDown() override {
    services_.reset();
    NotifierTest::TearDown();
  }
  HttpResponse Do(Method m, std::string target, std::string body = "") {
    HttpRequest r;
    r.method = m;
    r.target = target;
    EXPECT_TRUE(ParseTarget(target, &r.path, &r.query));
    r.body = std::move(body);
    Router::Match match = router_.Find(m, r.path);
    if (!match.route) return HttpResponse::Error(match.status, "no route");
    RequestContext ctx{"acme", store::KeyScope::kAdmin, "", match.params};
    std::promise<HttpResponse> p;
    match.route->handler(r, ctx, [&p](HttpResponse resp) { p.set_value(std::move(resp)); });
    return p.get_future().get();
  }
  std::unique_ptr<engine::Monitor> monitor_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<Services> services_;
  Router router_;
};

TEST_F(DeliveryHandlersTest, BadSpecsAre400NamingTheFieldAndNothingIsWritten) {
  struct Case {
    const char* body;
    const char* field;
  } cases[] = {
      {R"({"id":"r","kind":"webhook","url":"htp://x"})", "url:"},
      {R"({"id":"r","kind":"sms","url":"http://x/"})", "kind:"},
      {R"({"id":"r","kind":"command","command":[]})", "command:"},
      {R"({"id":"r","kind":"slack","url":"http://x/","severities":["bad"]})", "severities:"},
      {R"({"id":"r","kind":"webhook","url":"http://x/","max_attempts":0})", "max_attempts:"},
      {"not json", "body:"},
  };
  for (const Case& c : cases) {
    HttpResponse r = Do(Method::kPost, "/api/v1/routes", c.body);
    EXPECT_EQ(r.status, 400) << c.body;
    EXPECT_NE(r.body.find(std::string("\"error\":\"") + c.field), std::string::npos) << r.body;
  }
  HttpResponse w = Do(Method::kPost, "/api/v1/maintenance-windows",
                      R"({"id":"w","starts_at":"2026-11-23T02:00:00Z",
                          "ends_at":"2026-11-23T01:00:00Z"})");
  EXPECT_EQ(w.status, 400);
  EXPECT_NE(w.body.find("ends_at:"), std::string::npos) << w.body;
  EXPECT_TRUE(store_->ListResources(kRouteKind)->empty());
  EXPECT_TRUE(store_->ListResources(kWindowKind)->empty());
  EXPECT_TRUE(notifier_->ListRoutes("acme").empty());
}

TEST_F(DeliveryHandlersTest, ATenantNeedsTheOperatorsGrantsForCommandsAndPrivateTargets) {
  services_->grants = OperatorGrants{};
  const std::string command = R"({"id":"c","kind":"command","command":["/bin/true"]})";
  const std::string hook = R"({"id":"h","kind":"webhook","url":"http://localhost:9/h"})";
  HttpResponse r = Do(Method::kPost, "/api/v1/routes", command);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("--allow-command-routes"), std::string::npos) << r.body;
  r = Do(Method::kPost, "/api/v1/routes", hook);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("url: localhost ("), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("--allow-private-targets"), std::string::npos) << r.body;
  EXPECT_TRUE(store_->ListResources(kRouteKind)->empty());
  EXPECT_TRUE(notifier_->ListRoutes("acme").empty());

  services_->grants.allow_command_routes = true;
  services_->grants.allow_private_targets = true;
  EXPECT_EQ(Do(Method::kPost, "/api/v1/routes", command).status, 201);
  EXPECT_EQ(Do(Method::kPost, "/api/v1/routes", hook).status, 201);
  EXPECT_EQ(notifier_->ListRoutes("acme").size(), 2u);
}

TEST_F(DeliveryHandlersTest, RoutesAndWindowsArePersistedAppliedListedAndRestored) {
  HttpResponse r = Do(Method::kPost, "/api/v1/routes",
                      R"({"id":"ops","kind":"webhook","url":"http://127.0.0.1:9/h",
                          "secret":"k","severities":["critical"],"reminder_seconds":300})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.body.find("\"k\""), std::string::npos);  // the secret is not echoed
  ASSERT_EQ(Do(Method::kPost, "/api/v1/maintenance-windows",
               R"({"id":"w1","agents":["a1"],"starts_at":"2026-11-23T00:00:00Z",
                   "ends_at":"2026-11-23T01:00:00Z"})")
                .status,
            201);
  HttpResponse list = Do(Method::kGet, "/api/v1/routes");
  EXPECT_EQ(list.status, 200);
  EXPECT_NE(list.body.find(R"("id":"ops")"), std::string::npos) << list.body;
  EXPECT_NE(list.body.find(R"("secret_set":true)"), std::string::npos) << list.body;
  EXPECT_EQ(list.body.rfind(R"({"routes":[{)", 0), 0u) << list.body;  // the list is named
  const std::string windows = Do(Method::kGet, "/api/v1/maintenance-windows").body;
  EXPECT_NE(windows.find(R"("id":"w1")"), std::string::npos);
  EXPECT_EQ(windows.rfind(R"({"windows":[{)", 0), 0u) << windows;

  // A new notifier restores both from the store, secret included.
  Notifier restored(*store_, &clock_, Fast());
  ASSERT_TRUE(restored.LoadFrom(*store_).ok());
  ASSERT_EQ(restored.ListRoutes("acme").size(), 1u);
  EXPECT_EQ(restored.ListRoutes("acme")[0].secret, "k");
  EXPECT_EQ(restored.ListWindows("acme").size(), 1u);

  EXPECT_EQ(Do(Method::kDelete, "/api/v1/routes/ops").status, 200);
  EXPECT_EQ(Do(Method::kDelete, "/api/v1/routes/ops").status, 404);
  EXPECT_EQ(Do(Method::kDelete, "/api/v1/maintenance-windows/w1").status, 200);
  EXPECT_TRUE(notifier_->ListRoutes("acme").empty());
  EXPECT_TRUE(notifier_->ListWindows("acme").empty());
  EXPECT_TRUE(store_->ListResources(kRouteKind)->empty());
}

TEST_F(DeliveryHandlersTest, DeliveryLogIsServedPerIncident) {
  Receiver receiver;
  notifier_->PutRoute(Webhook("hook", receiver.url()));
  notifier_->Start();
  Send(AlertChangeKind::kRaised, "alert_1", "a1");
  Send(AlertChangeKind::kRaised, "alert_2", "a2");
  ASSERT_TRUE(notifier_->WaitIdle(kWait));
  // The log's alert_id names the incident the delivery was about.
  HttpResponse r = Do(Method::kGet, "/api/v1/deliveries?incident_id=incident_2&limit=10");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("incident_id":"incident_2","alert_id":"incident_2","route_id":"hook",)"
                        R"("change":"raised")"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(r.body.find("incident_1"), std::string::npos);
  // The older parameter name still selects.
  EXPECT_EQ(Do(Method::kGet, "/api/v1/deliveries?alert_id=incident_1").body.find("incident_2"),
            std::string::npos);
  EXPECT_NE(r.body.find(R"("outcome":"delivered","detail":"HTTP 200")"), std::string::npos);
  EXPECT_EQ(Do(Method::kGet, "/api/v1/deliveries?limit=0").status, 400);
}

TEST_F(DeliveryHandlersTest, WithoutANotifierWritesAre503) {
  services_->notifier = nullptr;
  EXPECT_EQ(Do(Method::kPost, "/api/v1/routes", R"({"id":"r","kind":"webhook","url":"http://x/"})")
                .status,
            503);
}

}  // namespace
}  // namespace vitals::server
