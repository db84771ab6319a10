// The workspace and database routes (src/server/api/collect_handlers.cc) on a real SQLite store
// and a real CollectorRunner, driven through the Router without a network.
#include <filesystem>

#include "collect/collector_runner.h"
#include "collect/collector_specs.h"
#include "server/api/handler_test_fixture.h"

namespace vitals::server {

namespace {

namespace fs = std::filesystem;

class CollectHandlersTest : public testing::HandlerTest {
 protected:
  void SetUp() override {
    HandlerTest::SetUp();
    fs::create_directories(dir_ / "ws");
    collect::CollectorRunnerOptions ro;
    ro.system_enabled = false;
    runner_ = std::make_unique<collect::CollectorRunner>(ro, nullptr, &clock_);
    services_->collectors = runner_.get();
    services_->grants.allowed_paths = {dir_.string()};
    services_->grants.allow_private_targets = true;  // the probed databases are on loopback
    services_->grants.database_path = (dir_ / "vitals.db").string();
    RegisterCollectRoutes(router_, *services_);
  }
  void TearDown() override {
    runner_.reset();
    HandlerTest::TearDown();
  }

  size_t Stored(std::string_view kind) { return store_->ListResources(kind).value().size(); }

  std::unique_ptr<collect::CollectorRunner> runner_;
};

TEST_F(CollectHandlersTest, WorkspaceLifecycle) {
  const std::string path = (dir_ / "ws").string();
  auto created =
      Call(Method::kPost, "/api/v1/workspaces",
           R"({"id":"w1","path":")" + path + R"(","warning_bytes":10,"critical_bytes":20})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_NE(created.body.find(R"("latest":null)"), std::string::npos);
  EXPECT_EQ(Stored("workspace"), 1u);
  EXPECT_EQ(store_->ListResources("workspace").value()[0].organization_id, "acme");

  runner_->RunOnceForTest();
  auto listed = Call(Method::kGet, "/api/v1/workspaces");
  EXPECT_EQ(listed.status, 200);
  EXPECT_NE(listed.body.find(R"("status":"healthy")"), std::string::npos) << listed.body;
  EXPECT_NE(listed.body.find(R"("warning_bytes":10)"), std::string::npos);
  // Another organization sees nothing.
  EXPECT_EQ(Call(Method::kGet, "/api/v1/workspaces", "", "other").body, R"({"workspaces":[]})");
  EXPECT_EQ(Call(Method::kDelete, "/api/v1/workspaces/w1", "", "other").status, 404);

  EXPECT_EQ(Call(Method::kDelete, "/api/v1/workspaces/w1").status, 200);
  EXPECT_EQ(Stored("workspace"), 0u);
  EXPECT_TRUE(runner_->ListWorkspaces("acme").empty());
  EXPECT_EQ(Call(Method::kDelete, "/api/v1/workspaces/w1").status, 404);
}

TEST_F(CollectHandlersTest, BadInputIs400NamingTheFieldAndNothingIsRegistered) {
  const std::string path = (dir_ / "ws").string();
  auto expect_400 = [&](std::string body, std::string field) {
    auto r = Call(Method::kPost, "/api/v1/workspaces", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_NE(r.body.find("\"error\":\"" + field), std::string::npos) << r.body;
  };
  expect_400(R"({"id":"w","path":")" + path + R"(/missing"})", "path: ");
  expect_400(R"({"id":"w","path":"relative"})", "path: must be absolute");
  expect_400(R"({"id":"w"})", "path: required");
  expect_400(R"({"id":"w","path":")" + path + R"(","warning_bytes":0})", "warning_bytes");
  expect_400(R"({"id":"w","path":")" + path + R"(","warning_bytes":"big"})",
             "warning_bytes: expected an integer");
  expect_400(R"({"id":"w","path":")" + path + R"(","warning_byte":5})", "warning_byte: unknown");
  expect_400("[1]", "body: expected a JSON object");
  EXPECT_EQ(Stored("workspace"), 0u);
  EXPECT_TRUE(runner_->ListWorkspaces("acme").empty());

  auto db = Call(Method::kPost, "/api/v1/databases", R"({"id":"d","url":"mysql://h/x"})");
  EXPECT_EQ(db.status, 400);
  EXPECT_NE(db.body.find("url: unknown scheme"), std::string::npos) << db.body;
  db = Call(Method::kPost, "/api/v1/databases", R"({"id":"d","url":"redis://h:99999"})");
  EXPECT_NE(db.body.find("url: bad port"), std::string::npos) << db.body;
  db = Call(Method::kPost, "/api/v1/databases",
            R"({"id":"d","url":"redis://h:1","interval_seconds":0})");
  EXPECT_NE(db.body.find("interval_seconds: must be > 0"), std::string::npos) << db.body;
  EXPECT_EQ(Stored("database"), 0u);
}

TEST_F(CollectHandlersTest, PathsOutsideTheAllowedDirectoriesAndTheOwnDatabaseAre403) {
  const std::string inside = (dir_ / "ws").string();
  for (const std::string& path :
       {std::string("/root"), inside + "/../../../root", std::string("/")}) {
    auto r = Call(Method::kPost, "/api/v1/workspaces", R"({"id":"w","path":")" + path + R"("})");
    EXPECT_EQ(r.status, 403) << path;
    EXPECT_NE(r.body.find("--allow-paths"), std::string::npos) << r.body;
  }
  for (const char* file : {"vitals.db", "vitals.db-wal", "ws/../vitals.db"}) {
    auto r = Call(Method::kPost, "/api/v1/databases",
                  R"({"id":"d","url":"sqlite://)" + (dir_ / file).string() + R"("})");
    EXPECT_EQ(r.status, 403) << file;
    EXPECT_NE(r.body.find("the server's own database"), std::string::npos) << r.body;
  }
  auto outside =
      Call(Method::kPost, "/api/v1/databases", R"({"id":"d","url":"sqlite:///etc/x.db"})");
  EXPECT_EQ(outside.status, 403) << outside.body;
  EXPECT_EQ(Stored("workspace"), 0u);
  EXPECT_EQ(Stored("database"), 0u);
  // Inside the allowed directory, both are accepted.
  EXPECT_EQ(
      Call(Method::kPost, "/api/v1/workspaces", R"({"id":"w","path":")" + inside + R"("})").status,
      201);
  EXPECT_EQ(Call(Method::kPost, "/api/v1/databases",
                 R"({"id":"d","url":"sqlite://)" + inside + R"(/app.db"})")
                .status,
            201);
}

TEST_F(CollectHandlersTest, DatabasesHideTheirPasswordAndLoadBackAfterARestart) {
  auto r = Call(Method::kPost, "/api/v1/databases",
                R"({"id":"cache","url":"redis://:s3cret@127.0.0.1:1/2","timeout_ms":250})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.body.find("s3cret"), std::string::npos);
  EXPECT_NE(r.body.find("redis://:***@127.0.0.1:1/2"), std::string::npos) << r.body;
  const std::string path = (dir_ / "ws").string();
  ASSERT_EQ(
      Call(Method::kPost, "/api/v1/workspaces", R"({"id":"w","path":")" + path + R"("})").status,
      201);

  runner_->RunOnceForTest();
  auto listed = Call(Method::kGet, "/api/v1/databases");
  EXPECT_NE(listed.body.find(R"("up":false)"), std::string::npos) << listed.body;
  EXPECT_EQ(listed.body.find("s3cret"), std::string::npos);

  // A new runner (a restarted server) gets both specs back from the store, password included.
  collect::CollectorRunner fresh({}, nullptr, &clock_);
  auto report = collect::LoadCollectorSpecs(*store_, fresh);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->workspaces, 1);
  EXPECT_EQ(report->databases, 1);
  EXPECT_TRUE(report->errors.empty());
  auto dbs = fresh.ListDatabases("acme");
  ASSERT_EQ(dbs.size(), 1u);
  EXPECT_EQ(dbs[0].spec.url, "redis://:s3cret@127.0.0.1:1/2");
  EXPECT_EQ(dbs[0].spec.timeout, core::Millis(250));
}

TEST_F(CollectHandlersTest, WithoutCollectorsTheRoutesAnswer503) {
  services_->collectors = nullptr;
  auto r = Call(Method::kGet, "/api/v1/workspaces");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("collectors are turned off"), std::string::npos);
  EXPECT_EQ(Call(Method::kPost, "/api/v1/databases", R"({"id":"d","url":"redis://h"})").status,
            503);
  EXPECT_EQ(Stored("database"), 0u);
}

}  // namespace
}  // namespace vitals::server
