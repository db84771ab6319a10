// GET /api/health/history/{system,integration} serve the health_metrics rows (F5).
#include <simdjson.h>

#include <future>

#include "server/api/api_server.h"
#include "server/api/handler_test_fixture.h"

namespace vitals::server {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

class HistoryApiTest : public testing::HandlerTest {
 protected:
  void SetUp() override {
    HandlerTest::SetUp();
    services_->ready = true;
    api_ = std::make_unique<ApiServer>(*services_);
    clock_.Set(core::FromMicros(0) + hours(24 * 20000) + hours(12));
  }
  void TearDown() override {
    api_.reset();
    HandlerTest::TearDown();
  }
  HttpResponse Get(std::string target) {
    HttpRequest r;
    r.method = Method::kGet;
    r.target = target;
    EXPECT_TRUE(ParseTarget(target, &r.path, &r.query));
    std::promise<HttpResponse> p;
    api_->Handle(std::move(r), [&p](HttpResponse resp) { p.set_value(std::move(resp)); });
    return p.get_future().get();
  }
  void Metric(std::string org, std::string type, std::string id, std::string name, double value,
              core::Duration ago, std::string status) {
    rows_.push_back({std::move(org), std::move(type), std::move(id), std::move(name), value, 80, 90,
                     clock_.Now() - ago, "%", std::move(status)});
  }
  void Store() {
    store_->RecordMetrics(std::exchange(rows_, {}));
    store_->Flush();
  }

  std::unique_ptr<ApiServer> api_;
  std::vector<store::MetricRecord> rows_;
  simdjson::dom::parser parser_;
};

TEST_F(HistoryApiTest, SystemHistoryServesItsPoints) {
  const std::string org(kDefaultOrganization);
  Metric(org, "system", "system", "cpu_usage", 20, hours(3), "healthy");
  Metric(org, "system", "system", "memory_usage", 60, hours(3), "healthy");
  Metric(org, "system", "system", "cpu_usage", 95, minutes(30), "critical");
  Metric(org, "system", "/", "disk_usage", 50, minutes(30), "healthy");  // another resource
  Metric("other", "system", "system", "cpu_usage", 1, minutes(30), "healthy");
  Metric(org, "system", "system", "cpu_usage", 5, hours(24 * 5), "healthy");  // out of range
  Store();
  HttpResponse r = Get("/api/health/history/system?days=1");
  ASSERT_EQ(r.status, 200) << r.body;
  simdjson::dom::element j = parser_.parse(r.body).value();
  EXPECT_EQ(std::string_view(j["health_type"]), "system");
  EXPECT_EQ(std::string_view(j["entity_id"]), "system");
  ASSERT_EQ(int64_t(j["data_points"]), 2) << r.body;
  auto first = j["history"].at(0);
  EXPECT_DOUBLE_EQ(double(first["health_score"]), 1.0);
  EXPECT_EQ(std::string_view(first["status"]), "healthy");
  EXPECT_DOUBLE_EQ(double(first["metrics"]["cpu_usage"]), 20);
  EXPECT_DOUBLE_EQ(double(first["metrics"]["memory_usage"]), 60);
  auto last = j["history"].at(1);
  EXPECT_DOUBLE_EQ(double(last["health_score"]), 0.0);
  EXPECT_EQ(std::string_view(last["status"]), "critical");
  EXPECT_DOUBLE_EQ(double(last["metrics"]["cpu_usage"]), 95);

  r = Get("/api/health/history/system?days=30");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(int64_t(parser_.parse(r.body).value()["data_points"]), 2) << r.body;  // two days
}

TEST_F(HistoryApiTest, IntegrationHistoryNeedsItsIdAndServesItsPoints) {
  const std::string org(kDefaultOrganization);
  Metric(org, "integration", "hubspot", "error_rate", 0.25, hours(2), "degraded");
  Metric(org, "integration", "hubspot", "latency_ms", 120, hours(2), "degraded");
  Metric(org, "integration", "slack", "error_rate", 1, hours(2), "error");
  Store();
  HttpResponse r = Get("/api/health/history/integration?entity_id=hubspot&days=1");
  ASSERT_EQ(r.status, 200) << r.body;
  simdjson::dom::element j = parser_.parse(r.body).value();
  ASSERT_EQ(int64_t(j["data_points"]), 1) << r.body;
  auto p = j["history"].at(0);
  EXPECT_DOUBLE_EQ(double(p["health_score"]), 0.5);
  EXPECT_EQ(std::string_view(p["status"]), "degraded");
  EXPECT_DOUBLE_EQ(double(p["metrics"]["error_rate"]), 0.25);
  EXPECT_DOUBLE_EQ(double(p["metrics"]["latency_ms"]), 120);

  // Its live state is the newest sample.
  ASSERT_TRUE(monitor_
                  ->RecordCheckResult(org, core::AlertSource::kIntegration, "hubspot", "http",
                                      false, 5, "status 503", clock_.Now())
                  .ok());
  r = Get("/api/health/history/integration?entity_id=hubspot&days=1");
  ASSERT_EQ(r.status, 200) << r.body;
  j = parser_.parse(r.body).value();
  ASSERT_EQ(int64_t(j["data_points"]), 2) << r.body;
  auto live = j["history"].at(1);
  EXPECT_EQ(std::string_view(live["status"]), "critical") << r.body;
  EXPECT_DOUBLE_EQ(double(live["health_score"]), 0.0);
  EXPECT_FALSE(live["metrics"]["total_calls"].is_null());

  r = Get("/api/health/history/integration?days=1");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("entity_id"), std::string::npos) << r.body;
  EXPECT_EQ(Get("/api/health/history/weather").status, 404);
}

}  // namespace
}  // namespace vitals::server
