// Delivery to a real Prometheus Alertmanager (started by testing/run_with_alertmanager.sh, whose
// URL arrives in ALERTMANAGER_URL): an incident's opening shows up as one active alert with
// vitals' labels, its resolution makes it resolved (gone from the active list).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "server/http/http_client.h"
#include "server/notify/http_target.h"
#include "server/notify/notifier.h"
#include "store/sqlite/sqlite_store.h"

namespace vitals::server {
namespace {

// The state ("active", "suppressed", "unprocessed") of the alert with label incident=`id` as
// Alertmanager lists it, "" when it is not listed, "error: ..." when the listing failed.
std::string StateOf(const HttpTarget& am, const std::string& id, std::string* labels_out) {
  HttpClient client(am.host, am.port);
  auto r = client.Request(Method::kGet, "/api/v2/alerts");
  if (!r.ok()) return "error: " + r.status().ToString();
  if (r->status != 200) return "error: HTTP " + std::to_string(r->status);
  simdjson::dom::parser parser;
  simdjson::dom::array alerts;
  if (parser.parse(r->body).get_array().get(alerts)) return "error: not an array: " + r->body;
  for (simdjson::dom::element a : alerts) {
    std::string_view alert_id, state;
    if (a["labels"]["incident"].get_string().get(alert_id) || alert_id != id) continue;
    if (labels_out) *labels_out = simdjson::minify(a["labels"]);
    if (a["status"]["state"].get_string().get(state)) return "error: no status.state";
    return std::string(state);
  }
  return "";
}

std::string WaitForState(const HttpTarget& am, const std::string& id, std::string_view want,
                         std::string* labels = nullptr) {
  std::string state;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    state = StateOf(am, id, labels);
    if (state == want) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return state;
}

// The severity labels of the active alerts of incident `id`, in listing order ("critical"),
// or "error: ..." when the listing failed.
std::string ActiveSeverities(const HttpTarget& am, const std::string& id) {
  HttpClient client(am.host, am.port);
  auto r = client.Request(Method::kGet, "/api/v2/alerts?active=true");
  if (!r.ok() || r->status != 200) return "error: listing failed";
  simdjson::dom::parser parser;
  simdjson::dom::array alerts;
  if (parser.parse(r->body).get_array().get(alerts)) return "error: not an array: " + r->body;
  std::string out;
  for (simdjson::dom::element a : alerts) {
    std::string_view incident, severity, state;
    if (a["labels"]["incident"].get_string().get(incident) || incident != id) continue;
    if (a["status"]["state"].get_string().get(state) || state != "active") continue;
    if (a["labels"]["severity"].get_string().get(severity)) return "error: no severity";
    out += (out.empty() ? "" : ",") + std::string(severity);
  }
  return out;
}

TEST(AlertmanagerTest, AnIncidentIsOneActiveAlertWithVitalsLabelsAndItsResolutionResolvesIt) {
  const char* url = std::getenv("ALERTMANAGER_URL");
  if (!url) GTEST_SKIP() << "ALERTMANAGER_URL not set (run through run_with_alertmanager.sh)";
  auto am = HttpTarget::Parse(url);
  ASSERT_TRUE(am.ok()) << am.status().ToString();

  const auto dir =
      std::filesystem::temp_directory_path() / ("vitals-am-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  store::SqliteOptions so;
  so.path = (dir / "vitals.db").string();
  so.synchronous = "normal";
  auto store = store::OpenSqliteStore(so);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const core::Clock* clock = core::SystemClock::Instance();
  {
    NotifierOptions options;
    options.allow_private_targets = true;  // the Alertmanager listens on loopback
    Notifier notifier(**store, clock, options);
    DeliveryRoute route;
    route.organization_id = "acme";
    route.id = "am";
    route.kind = ChannelKind::kAlertmanager;
    route.url = url;
    notifier.PutRoute(route);
    notifier.Start();

    core::AlertChange change{};
    change.kind = core::AlertChangeKind::kRaised;
    change.notify = true;
    core::Alert& a = change.alert;
    a.id = "alert_" + std::to_string(::getpid());
    a.organization_id = "acme";
    a.severity = core::AlertSeverity::kWarning;
    a.source_type = core::AlertSource::kAgent;
    a.source_id = "crawler-7";
    a.type = "heartbeat";
    a.message = "crawler-7 missed 3 heartbeats";
    a.raised_at = clock->Now() - core::Seconds(5);
    a.updated_at = a.raised_at;
    const std::string incident = core::IncidentIdFor(a.id);
    engine::EngineEvent e;
    e.kind = engine::EngineEventKind::kAlert;
    e.organization_id = "acme";
    e.alert = std::make_shared<const core::AlertChange>(change);
    notifier.OnEvents(std::span<const engine::EngineEvent>(&e, 1));
    ASSERT_TRUE(notifier.WaitIdle(std::chrono::seconds(10)));

    std::string labels;
    EXPECT_EQ(WaitForState(*am, incident, "active", &labels), "active");
    const std::string incident_label = R"("incident":")" + incident + "\"";
    for (const char* label :
         {R"("alertname":"heartbeat")", R"("severity":"warning")", R"("source_type":"agent")",
          R"("source_id":"crawler-7")", R"("organization":"acme")", incident_label.c_str()}) {
      EXPECT_NE(labels.find(label), std::string::npos) << label << " in " << labels;
    }

    // Escalated: the incident stays one active alert in Alertmanager, now critical.
    change.kind = core::AlertChangeKind::kEscalated;
    a.severity = core::AlertSeverity::kCritical;
    a.updated_at = clock->Now();
    e.alert = std::make_shared<const core::AlertChange>(change);
    notifier.OnEvents(std::span<const engine::EngineEvent>(&e, 1));
    ASSERT_TRUE(notifier.WaitIdle(std::chrono::seconds(10)));
    std::string severities;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while ((severities = ActiveSeverities(*am, incident)) != "critical" &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(severities, "critical");

    change.kind = core::AlertChangeKind::kResolved;
    a.resolved_at = clock->Now() - core::Millis(10);
    a.updated_at = *a.resolved_at;
    e.alert = std::make_shared<const core::AlertChange>(change);
    notifier.OnEvents(std::span<const engine::EngineEvent>(&e, 1));
    ASSERT_TRUE(notifier.WaitIdle(std::chrono::seconds(10)));
    EXPECT_EQ(WaitForState(*am, incident, ""), "") << "still listed after its resolution";

    auto log = (*store)->QueryDeliveries("acme", incident, 10);
    ASSERT_TRUE(log.ok());
    ASSERT_EQ(log->size(), 3u);
    EXPECT_EQ((*log)[0].change, "resolved");
    EXPECT_EQ((*log)[0].outcome, "delivered");
    EXPECT_EQ((*log)[1].change, "escalated");
    EXPECT_EQ((*log)[2].change, "raised");
    EXPECT_EQ((*log)[2].detail, "HTTP 200");
  }
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vitals::server
