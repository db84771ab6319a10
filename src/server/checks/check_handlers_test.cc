// The /api/v1/checks handlers on a real SQLite store and a real (unstarted) CheckRunner: routes
// are registered on a Router and called as ApiServer would, after authentication.
#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "server/api/api_server.h"
#include "server/checks/check_runner.h"
#include "store/sqlite/sqlite_store.h"

namespace vitals::server {

namespace {

class CheckHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("vitals-check-api-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path_);
    store::SqliteOptions o;
    o.path = path_.string();
    o.clock = &clock_;
    store_ = store::OpenSqliteStore(o).value();
    monitor_ = std::make_unique<engine::Monitor>(engine::MonitorOptions{}, &clock_);
    auth_ = std::make_unique<Authenticator>(*store_, &clock_);
    services_ = std::unique_ptr<Services>(
        new Services{*monitor_, *store_, *auth_, &clock_, nullptr, ApiLimits{}, {}});
    services_->checks = &runner_;
    RegisterCheckRoutes(router_, *services_);
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_.string() + suffix);
  }

  HttpResponse Do(Method m, const std::string& path, std::string body = "") {
    Router::Match match = router_.Find(m, path);
    if (match.route == nullptr) return HttpResponse::Error(match.status, "no route");
    HttpRequest r;
    r.method = m;
    r.target = r.path = path;
    r.body = std::move(body);
    RequestContext ctx;
    ctx.organization_id = "acme";
    ctx.params = std::move(match.params);
    std::promise<HttpResponse> p;
    match.route->handler(r, ctx, [&p](HttpResponse resp) { p.set_value(std::move(resp)); });
    return p.get_future().get();
  }

  size_t Stored() { return store_->ListResources("check").value().size(); }

  core::FakeClock clock_;
  std::filesystem::path path_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<engine::Monitor> monitor_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<Services> services_;
  CheckRunner runner_{&clock_, nullptr};
  Router router_;
};

constexpr const char* kSpec =
    R"({"id":"web","target_type":"integration","target_id":"api","url":"http://127.0.0.1:9/h","retries":1})";

TEST_F(CheckHandlersTest, ScopesAdminForWritesReadForReads) {
  EXPECT_EQ(router_.Find(Method::kPost, "/api/v1/checks").route->scope, store::KeyScope::kAdmin);
  EXPECT_EQ(router_.Find(Method::kDelete, "/api/v1/checks/x").route->scope,
            store::KeyScope::kAdmin);
  EXPECT_EQ(router_.Find(Method::kGet, "/api/v1/checks").route->scope, store::KeyScope::kRead);
  EXPECT_EQ(router_.Find(Method::kGet, "/api/v1/checks/x").route->scope, store::KeyScope::kRead);
}

TEST_F(CheckHandlersTest, InvalidCheckIs400NamingTheFieldAndNothingIsRegistered) {
  HttpResponse r = Do(Method::kPost, "/api/v1/checks",
                      R"({"id":"web","target_id":"api","url":"http://h/","interval_seconds":0})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("interval_seconds: must be between"), std::string::npos) << r.body;
  r = Do(Method::kPost, "/api/v1/checks", R"({"id":"web","url":"http://h/"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("target_id: required"), std::string::npos) << r.body;
  EXPECT_EQ(Stored(), 0u);
  EXPECT_EQ(runner_.size(), 0u);
}

TEST_F(CheckHandlersTest, CreateListGetDelete) {
  HttpResponse r = Do(Method::kPost, "/api/v1/checks", kSpec);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.body.find(R"("state":"pending")"), std::string::npos) << r.body;
  EXPECT_EQ(Stored(), 1u);
  EXPECT_EQ(runner_.size(), 1u);
  EXPECT_EQ(Do(Method::kPost, "/api/v1/checks", kSpec).status, 200);  // replaced

  r = Do(Method::kGet, "/api/v1/checks");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("total":1,"checks":[{"id":"web","target_type":"integration")"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"("retries":1)"), std::string::npos) << r.body;

  r = Do(Method::kGet, "/api/v1/checks/web");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("history":[])"), std::string::npos) << r.body;
  EXPECT_EQ(Do(Method::kGet, "/api/v1/checks/nope").status, 404);

  // What was stored restores the same check.
  CheckRunner restored(&clock_, nullptr);
  auto summary = restored.LoadFrom(*store_);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->loaded, 1);
  EXPECT_EQ(restored.Get("acme", "web")->spec.retries, 1);

  EXPECT_EQ(Do(Method::kDelete, "/api/v1/checks/web").status, 200);
  EXPECT_EQ(Stored(), 0u);
  EXPECT_EQ(runner_.size(), 0u);
  EXPECT_EQ(Do(Method::kDelete, "/api/v1/checks/web").status, 404);
}

TEST_F(CheckHandlersTest, TurnedOffIs503) {
  services_->checks = nullptr;
  EXPECT_EQ(Do(Method::kPost, "/api/v1/checks", kSpec).status, 503);
  EXPECT_EQ(Do(Method::kGet, "/api/v1/checks").status, 503);
  EXPECT_EQ(Stored(), 0u);
}

}  // namespace
}  // namespace vitals::server
