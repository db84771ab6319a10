// Handlers without a network, for the tests of the API's route groups: a real SQLite store in a
// fresh temporary directory, a monitor and an authenticator on a fake clock, and the Services over
// them. Call() runs a route registered on router_ as ApiServer does once a request is
// authenticated.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <memory>
#include <string>

#include "server/api/api_server.h"
#include "store/sqlite/sqlite_store.h"

namespace vitals::server::testing {

class HandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("vitals-handlers-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store::SqliteOptions o;
    o.path = (dir_ / "vitals.db").string();
    o.clock = &clock_;
    store_ = store::OpenSqliteStore(o).value();
    monitor_ = std::make_unique<engine::Monitor>(engine::MonitorOptions{}, &clock_);
    auth_ = std::make_unique<Authenticator>(*store_, &clock_);
    auth_->PermitOpenMode();  // a fresh store: open, as a loopback server starts
    services_ = std::unique_ptr<Services>(
        new Services{*monitor_, *store_, *auth_, &clock_, nullptr, ApiLimits{}, {}});
  }
  // REQUIRES: a subclass has released what uses the store.
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // `path`'s route on router_, called for organization `org`.
  HttpResponse Call(Method m, const std::string& path, std::string body = "",
                    const std::string& org = "acme") {
    Router::Match match = router_.Find(m, path);
    EXPECT_NE(match.route, nullptr) << path;
    if (match.route == nullptr) return HttpResponse::Error(match.status, "no route");
    HttpRequest r;
    r.method = m;
    r.target = r.path = path;
    r.body = std::move(body);
    RequestContext ctx;
    ctx.organization_id = org;
    ctx.params = std::move(match.params);
    std::promise<HttpResponse> p;
    match.route->handler(r, ctx, [&p](HttpResponse resp) { p.set_value(std::move(resp)); });
    return p.get_future().get();
  }

  core::FakeClock clock_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<engine::Monitor> monitor_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<Services> services_;
  Router router_;
};

}  // namespace vitals::server::testing
