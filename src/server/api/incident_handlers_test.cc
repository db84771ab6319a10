// The incident endpoints (and the acknowledge body they share with alerts), driven through
// ApiServer without a network, on a real store and a monitor whose alert changes are stored as
// the server's recorder stores them.
#include <simdjson.h>

#include <future>
#include <list>

#include "server/api/api_server.h"
#include "server/api/handler_test_fixture.h"

namespace vitals::server {
namespace {

using core::AlertSeverity;
using core::AlertSource;

// Stores every alert change, as HealthRecorder does in the server.
class AlertsToStore final : public engine::MonitorListener {
 public:
  explicit AlertsToStore(store::Store& store) : store_(store) {}
  void OnEvents(std::span<const engine::EngineEvent> events) override {
    std::vector<core::Alert> rows;
    for (const engine::EngineEvent& e : events) {
      if (e.kind == engine::EngineEventKind::kAlert) rows.push_back(e.alert->alert);
    }
    if (!rows.empty()) store_.RecordAlerts(std::move(rows));
  }

 private:
  store::Store& store_;
};

class IncidentApiTest : public testing::HandlerTest {
 protected:
  void SetUp() override {
    HandlerTest::SetUp();
    services_->ready = true;
    api_ = std::make_unique<ApiServer>(*services_);
    to_store_ = std::make_unique<AlertsToStore>(*store_);
    monitor_->AddListener(to_store_.get());
  }
  void TearDown() override {
    monitor_->RemoveListener(to_store_.get());
    api_.reset();
    HandlerTest::TearDown();
  }

  HttpResponse Do(Method m, std::string target, std::string body = "") {
    HttpRequest r;
    r.method = m;
    r.target = target;
    EXPECT_TRUE(ParseTarget(target, &r.path, &r.query));
    r.body = std::move(body);
    r.headers.Add("Content-Type", "application/json");
    std::promise<HttpResponse> p;
    api_->Handle(std::move(r), [&p](HttpResponse resp) { p.set_value(std::move(resp)); });
    return p.get_future().get();
  }
  simdjson::dom::element Json(const HttpResponse& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    bodies_.push_back(r.body);
    return parser_.parse(bodies_.back()).value();
  }
  // Sets a condition (nullopt clears it) on the next tick, then lets the store catch up.
  void Condition(const std::string& org, AlertSource type, const std::string& id,
                 const std::string& cause, std::optional<AlertSeverity> sev) {
    ASSERT_TRUE(
        monitor_->SetCondition(org, type, id, cause, sev, sev ? cause + " holds" : "", "{}").ok());
    clock_.Advance(std::chrono::milliseconds(100));
    monitor_->Tick();
    store_->Flush();
  }

  const std::string org_ = std::string(kDefaultOrganization);  // open mode's organization
  std::unique_ptr<ApiServer> api_;
  std::unique_ptr<AlertsToStore> to_store_;
  simdjson::dom::parser parser_;
  std::list<std::string> bodies_;
};

TEST_F(IncidentApiTest, AlertsOfOneSourceAreOneIncidentAndFiltersAreTheAlertsOnes) {
  Condition(org_, AlertSource::kIntegration, "crm", "integration_down", AlertSeverity::kCritical);
  Condition(org_, AlertSource::kIntegration, "crm", "integration_latency", AlertSeverity::kWarning);
  Condition(org_, AlertSource::kSystem, "host-1", "disk", AlertSeverity::kWarning);
  Condition("other", AlertSource::kSystem, "host-9", "disk", AlertSeverity::kCritical);

  auto list = Json(Do(Method::kGet, "/api/health/incidents"));
  EXPECT_EQ(int64_t(list["count"]), 2);  // not the other organization's
  auto crm = Json(Do(Method::kGet, "/api/health/incidents?source_type=integration"));
  ASSERT_EQ(int64_t(crm["count"]), 1);
  auto i = crm["incidents"].at(0);
  EXPECT_EQ(std::string_view(i["source_id"]), "crm");
  EXPECT_EQ(std::string_view(i["severity"]), "critical");
  EXPECT_EQ(std::string_view(i["cause"]), "integration_down");
  EXPECT_EQ(int64_t(i["alert_count"]), 2);
  EXPECT_EQ(i["implied_alert_ids"].get_array().size(), 1u);
  EXPECT_TRUE(bool(i["action_required"]));
  auto warn = Json(Do(Method::kGet, "/api/health/incidents?severity=warning"));
  ASSERT_EQ(int64_t(warn["count"]), 1);
  EXPECT_EQ(std::string_view(warn["incidents"].at(0)["source_id"]), "host-1");
  EXPECT_EQ(int64_t(Json(Do(Method::kGet, "/api/health/incidents?limit=1"))["count"]), 1);

  auto bad = Do(Method::kGet, "/api/health/incidents?state=maybe");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("state"), std::string::npos) << bad.body;
  bad = Do(Method::kGet, "/api/health/incidents?severity=loud");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("severity"), std::string::npos) << bad.body;

  // Resolved: out of the open list, in the resolved one with every alert.
  Condition(org_, AlertSource::kIntegration, "crm", "integration_latency", std::nullopt);
  Condition(org_, AlertSource::kIntegration, "crm", "integration_down", std::nullopt);
  EXPECT_EQ(int64_t(Json(Do(Method::kGet, "/api/health/incidents"))["count"]), 1);
  auto resolved = Json(Do(Method::kGet, "/api/health/incidents?state=resolved"));
  ASSERT_EQ(int64_t(resolved["count"]), 1);
  EXPECT_TRUE(bool(resolved["incidents"].at(0)["resolved"]));
  EXPECT_EQ(int64_t(resolved["incidents"].at(0)["alert_count"]), 2);
  EXPECT_EQ(int64_t(Json(Do(Method::kGet, "/api/health/incidents?state=all"))["count"]), 2);
}

TEST_F(IncidentApiTest, OneIncidentByIdAnd404NamingTheId) {
  Condition(org_, AlertSource::kSystem, "host-1", "disk", AlertSeverity::kWarning);
  Condition(org_, AlertSource::kSystem, "host-1", "cpu", AlertSeverity::kCritical);
  auto list = Json(Do(Method::kGet, "/api/health/incidents"));
  const std::string id(std::string_view(list["incidents"].at(0)["incident_id"]));
  auto one = Json(Do(Method::kGet, "/api/health/incidents/" + id));
  EXPECT_EQ(std::string_view(one["incident_id"]), id);
  EXPECT_EQ(int64_t(one["alert_count"]), 2);
  EXPECT_EQ(std::string_view(one["severity"]), "critical");

  auto missing = Do(Method::kGet, "/api/health/incidents/incident_999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("incident_999"), std::string::npos) << missing.body;
  // Another organization's incident is not found either.
  Condition("other", AlertSource::kSystem, "host-9", "disk", AlertSeverity::kCritical);
  auto theirs = monitor_->OpenAlerts("other");
  ASSERT_EQ(theirs.size(), 1u);
  const std::string their_id = "incident_" + theirs[0].id.substr(6);
  EXPECT_EQ(Do(Method::kGet, "/api/health/incidents/" + their_id).status, 404);
  EXPECT_EQ(Do(Method::kPost, "/api/health/incidents/" + their_id + "/acknowledge").status, 404);
}

// Stored alerts only (as after a restart): an alert that joined an earlier incident names none.
TEST_F(IncidentApiTest, AnAlertThatJoinedAnIncidentNamesNone) {
  auto stored = [&](int n, int raised, int resolved) {
    core::Alert a;
    a.id = "alert_" + std::to_string(n);
    a.organization_id = org_;
    a.source_type = AlertSource::kSystem;
    a.source_id = "host-1";
    a.type = "disk" + std::to_string(n);
    a.raised_at = clock_.Now() + std::chrono::seconds(raised);
    a.updated_at = a.raised_at;
    a.resolved_at = clock_.Now() + std::chrono::seconds(resolved);
    return a;
  };
  store_->RecordAlerts({stored(1, 0, 10), stored(2, 5, 20), stored(3, 30, 40)});
  store_->Flush();
  EXPECT_EQ(Do(Method::kGet, "/api/health/incidents/incident_2").status, 404);
  EXPECT_EQ(int64_t(Json(Do(Method::kGet, "/api/health/incidents/incident_1"))["alert_count"]), 2);
  EXPECT_EQ(int64_t(Json(Do(Method::kGet, "/api/health/incidents/incident_3"))["alert_count"]), 1);
  auto all = Json(Do(Method::kGet, "/api/health/incidents?state=resolved"));
  EXPECT_EQ(int64_t(all["count"]), 2);
}

TEST_F(IncidentApiTest, AcknowledgingAnIncidentAcknowledgesEachOpenAlert) {
  Condition(org_, AlertSource::kSystem, "host-1", "disk", AlertSeverity::kWarning);
  Condition(org_, AlertSource::kSystem, "host-1", "cpu", AlertSeverity::kCritical);
  auto list = Json(Do(Method::kGet, "/api/health/incidents"));
  const std::string id(std::string_view(list["incidents"].at(0)["incident_id"]));
  const std::string ack = "/api/health/incidents/" + id + "/acknowledge";

  for (const char* body : {R"({"by": 5})", R"({"acknowledged_by": ""})", "[1]", "{nope"}) {
    auto bad = Do(Method::kPost, ack, body);
    EXPECT_EQ(bad.status, 400) << body;
    EXPECT_TRUE(bad.body.find("by") != std::string::npos ||
                bad.body.find("body") != std::string::npos)
        << bad.body;
  }
  auto r = Json(Do(Method::kPost, ack, R"({"acknowledged_by": "alice"})"));
  EXPECT_TRUE(bool(r["acknowledged"]));
  EXPECT_FALSE(bool(r["action_required"]));
  for (auto a : r["alerts"].get_array()) {
    EXPECT_EQ(std::string_view(a["acknowledged_by"]), "alice");
  }
  for (const core::Alert& a : monitor_->OpenAlerts(org_)) {
    EXPECT_EQ(a.acknowledged_by, "alice") << a.id;
  }
  EXPECT_EQ(int64_t(Json(Do(Method::kGet, "/api/health/incidents?acknowledged=false"))["count"]),
            0);

  Condition(org_, AlertSource::kSystem, "host-1", "disk", std::nullopt);
  Condition(org_, AlertSource::kSystem, "host-1", "cpu", std::nullopt);
  auto gone = Do(Method::kPost, ack, R"({"by": "bob"})");
  EXPECT_EQ(gone.status, 404);
  EXPECT_NE(gone.body.find(id), std::string::npos) << gone.body;
  EXPECT_EQ(Do(Method::kPost, "/api/health/incidents/nonsense/acknowledge").status, 404);
}

// F2: the README's {"acknowledged_by": ...} is honoured on the alert endpoint too.
TEST_F(IncidentApiTest, AlertAcknowledgeTakesByOrAcknowledgedBy) {
  Condition(org_, AlertSource::kSystem, "host-1", "disk", AlertSeverity::kWarning);
  Condition(org_, AlertSource::kSystem, "host-2", "disk", AlertSeverity::kWarning);
  Condition(org_, AlertSource::kSystem, "host-3", "disk", AlertSeverity::kWarning);
  std::vector<core::Alert> open = monitor_->OpenAlerts(org_);
  ASSERT_EQ(open.size(), 3u);
  auto path = [](const core::Alert& a) { return "/api/health/alerts/" + a.id + "/acknowledge"; };
  auto r = Json(Do(Method::kPost, path(open[0]), R"({"acknowledged_by":"ops@example"})"));
  EXPECT_EQ(std::string_view(r["acknowledged_by"]), "ops@example");
  r = Json(Do(Method::kPost, path(open[1]), R"({"by":"alice"})"));
  EXPECT_EQ(std::string_view(r["acknowledged_by"]), "alice");
  auto both = Do(Method::kPost, path(open[2]), R"({"by":"a","acknowledged_by":"b"})");
  EXPECT_EQ(both.status, 400);
  EXPECT_NE(both.body.find("acknowledged_by"), std::string::npos) << both.body;
  auto wrong = Do(Method::kPost, path(open[2]), R"({"acknowledged_by":["x"]})");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("acknowledged_by"), std::string::npos) << wrong.body;
  r = Json(Do(Method::kPost, path(open[2]), R"({})"));
  EXPECT_EQ(std::string_view(r["acknowledged_by"]), "api");
}

// F23: every list is an object naming its list (the alert and integration lists stay bare
// arrays: seed 001 fixes them so).
TEST_F(IncidentApiTest, ListsAreObjectsNamingTheirList) {
  EXPECT_EQ(Do(Method::kGet, "/api/v1/agents/a1/transitions").body,
            R"({"agent_id":"a1","transitions":[]})");
  EXPECT_EQ(Do(Method::kGet, "/api/v1/deliveries").body, R"({"deliveries":[]})");
  EXPECT_TRUE(Json(Do(Method::kGet, "/api/health/alerts")).is_array());
  EXPECT_TRUE(Json(Do(Method::kGet, "/api/health/integrations")).is_array());
  // Last: once a key exists, requests need one, so the list is read past authentication.
  ASSERT_EQ(
      Do(Method::kPost, "/api/v1/keys", R"({"organization_id":"default","scope":"read"})").status,
      201);
  Router::Match keys = api_->router().Find(Method::kGet, "/api/v1/keys");
  ASSERT_NE(keys.route, nullptr);
  HttpRequest r;
  RequestContext ctx;
  ctx.organization_id = org_;
  std::promise<HttpResponse> p;
  keys.route->handler(r, ctx, [&p](HttpResponse resp) { p.set_value(std::move(resp)); });
  EXPECT_EQ(Json(p.get_future().get())["keys"].get_array().size(), 1u);
}

// F22: a GET endpoint that takes query parameters refuses the ones it does not know, by name.
TEST_F(IncidentApiTest, UnknownQueryParametersAre400NamingThem) {
  const std::pair<const char*, const char*> cases[] = {
      {"/api/health/agents?heartbeat=failed", "heartbeat"},
      {"/api/health/alerts?sevrity=critical", "sevrity"},
      {"/api/health/incidents?state=open&colour=red", "colour"},
      {"/api/health/history/system?days=1&entity=system", "entity"},
      {"/api/v1/agents?page=2", "page"},
      {"/api/v1/agents/a1/executions?stauts=error", "stauts"},
      {"/api/v1/agents/a1/heartbeats?since=0", "since"},
      {"/api/v1/agents/a1/transitions?to=0", "to"},
      {"/api/v1/deliveries?alert=alert_1", "alert"},
  };
  for (const auto& [target, name] : cases) {
    HttpResponse r = Do(Method::kGet, target);
    EXPECT_EQ(r.status, 400) << target << " " << r.body;
    EXPECT_NE(r.body.find(std::string(name) + ": unknown query parameter"), std::string::npos)
        << r.body;
  }
  // What the dashboard and the CLI send is still taken.
  for (const char* target :
       {"/api/health/alerts?state=open&limit=1000",
        "/api/health/agents?limit=10000&sort=health&order=desc",
        "/api/health/history/system?days=1", "/api/health/history/agent?entity_id=a1&days=7",
        "/api/v1/agents/a1/executions?limit=50", "/api/health/incidents?state=all&token=x"}) {
    EXPECT_EQ(Do(Method::kGet, target).status, 200) << target;
  }
}

}  // namespace
}  // namespace vitals::server
