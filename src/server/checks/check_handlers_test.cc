// The /api/v1/checks handlers on a real SQLite store and a real (unstarted) CheckRunner: routes
// are registered on a Router and called as ApiServer would, after authentication.
#include "server/api/handler_test_fixture.h"
#include "server/checks/check_runner.h"

namespace vitals::server {

namespace {

class CheckHandlersTest : public testing::HandlerTest {
 protected:
  void SetUp() override {
    HandlerTest::SetUp();
    services_->checks = &runner_;
    services_->grants.allow_private_targets = true;  // kSpec's target is on loopback
    RegisterCheckRoutes(router_, *services_);
  }

  size_t Stored() { return store_->ListResources("check").value().size(); }

  CheckRunner runner_{&clock_, nullptr};
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
  HttpResponse r = Call(Method::kPost, "/api/v1/checks",
                        R"({"id":"web","target_id":"api","url":"http://h/","interval_seconds":0})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("interval_seconds: must be between"), std::string::npos) << r.body;
  r = Call(Method::kPost, "/api/v1/checks", R"({"id":"web","url":"http://h/"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("target_id: required"), std::string::npos) << r.body;
  EXPECT_EQ(Stored(), 0u);
  EXPECT_EQ(runner_.size(), 0u);
}

TEST_F(CheckHandlersTest, APrivateTargetNeedsTheOperatorsGrant) {
  services_->grants.allow_private_targets = false;
  for (const char* body :
       {kSpec, R"({"id":"meta","target_id":"a","url":"http://169.254.169.254/"})",
        R"({"id":"tcp","target_id":"a","kind":"tcp","address":"[::1]:22"})"}) {
    HttpResponse r = Call(Method::kPost, "/api/v1/checks", body);
    EXPECT_EQ(r.status, 403) << body;
    EXPECT_NE(r.body.find("--allow-private-targets"), std::string::npos) << r.body;
  }
  EXPECT_EQ(Stored(), 0u);
  EXPECT_EQ(runner_.size(), 0u);
  services_->grants.allow_private_targets = true;
  EXPECT_EQ(Call(Method::kPost, "/api/v1/checks", kSpec).status, 201);
}

TEST_F(CheckHandlersTest, CreateListGetDelete) {
  HttpResponse r = Call(Method::kPost, "/api/v1/checks", kSpec);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.body.find(R"("state":"pending")"), std::string::npos) << r.body;
  EXPECT_EQ(Stored(), 1u);
  EXPECT_EQ(runner_.size(), 1u);
  EXPECT_EQ(Call(Method::kPost, "/api/v1/checks", kSpec).status, 200);  // replaced

  r = Call(Method::kGet, "/api/v1/checks");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("total":1,"checks":[{"id":"web","target_type":"integration")"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"("retries":1)"), std::string::npos) << r.body;

  r = Call(Method::kGet, "/api/v1/checks/web");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("history":[])"), std::string::npos) << r.body;
  EXPECT_EQ(Call(Method::kGet, "/api/v1/checks/nope").status, 404);

  // What was stored restores the same check.
  CheckRunner restored(&clock_, nullptr);
  auto summary = restored.LoadFrom(*store_);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->loaded, 1);
  EXPECT_EQ(restored.Get("acme", "web")->spec.retries, 1);

  EXPECT_EQ(Call(Method::kDelete, "/api/v1/checks/web").status, 200);
  EXPECT_EQ(Stored(), 0u);
  EXPECT_EQ(runner_.size(), 0u);
  EXPECT_EQ(Call(Method::kDelete, "/api/v1/checks/web").status, 404);
}

TEST_F(CheckHandlersTest, TurnedOffIs503) {
  services_->checks = nullptr;
  EXPECT_EQ(Call(Method::kPost, "/api/v1/checks", kSpec).status, 503);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/checks").status, 503);
  EXPECT_EQ(Stored(), 0u);
}

}  // namespace
}  // namespace vitals::server
