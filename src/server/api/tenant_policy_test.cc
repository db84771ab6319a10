// The registration-time policy against the operator's grants: command routes, outbound hosts
// (by literal and by name), and paths (canonicalised: `..`, symlinks, hard links, the server's
// own database and its companions).
#include "server/api/tenant_policy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace vitals::server {
namespace {

namespace fs = std::filesystem;
using core::StatusCode;

DeliveryRoute Route(ChannelKind kind, std::string url) {
  DeliveryRoute r;
  r.id = "r";
  r.kind = kind;
  r.url = std::move(url);
  if (kind == ChannelKind::kCommand) r.command = {"/bin/true"};
  return r;
}

void ExpectRefused(const core::Status& s, std::string_view needle, std::string_view flag) {
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.ToString();
  EXPECT_NE(s.message().find(needle), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(flag), std::string::npos) << s.message();
}

TEST(TenantPolicyTest, CommandRoutesNeedTheOperatorsFlag) {
  OperatorGrants g;
  ExpectRefused(AdmitRoute(Route(ChannelKind::kCommand, ""), g), "kind: command routes",
                "--allow-command-routes");
  g.allow_command_routes = true;
  EXPECT_TRUE(AdmitRoute(Route(ChannelKind::kCommand, ""), g).ok());
}

TEST(TenantPolicyTest, RoutesAndChecksToPrivateAddressesAreRefusedByAddressNotByName) {
  OperatorGrants g;
  for (const char* url :
       {"http://127.0.0.1:9/h", "http://localhost:9/h", "http://127.1/h", "http://2130706433/h",
        "http://169.254.169.254/latest/meta-data", "http://10.0.0.5/h", "http://172.20.0.1/h",
        "http://192.168.1.1/h", "http://100.64.0.1/h", "http://0.0.0.0:80/"}) {
    for (ChannelKind k : {ChannelKind::kWebhook, ChannelKind::kSlack, ChannelKind::kAlertmanager}) {
      ExpectRefused(AdmitRoute(Route(k, url), g), "url: ", "--allow-private-targets");
    }
  }
  for (const char* url :
       {"http://127.0.0.1:9/h", "http://localhost/h", "http://[::1]:9/h", "http://[fe80::1]/h",
        "http://[fd00::1]/h", "http://[::ffff:10.0.0.1]/h", "http://[::]/h"}) {
    CheckSpec check;
    check.url = url;
    ExpectRefused(AdmitCheck(check, g), "url: ", "--allow-private-targets");
  }
  CheckSpec tcp;
  tcp.kind = CheckKind::kTcp;
  tcp.url = "localhost:6379";
  ExpectRefused(AdmitCheck(tcp, g), "address: localhost (", "--allow-private-targets");
  // Public literals pass without resolving anything.
  EXPECT_TRUE(AdmitRoute(Route(ChannelKind::kWebhook, "http://93.184.216.34/h"), g).ok());
  CheckSpec v6;
  v6.url = "http://[2001:db8::1]/h";
  EXPECT_TRUE(AdmitCheck(v6, g).ok());

  g.allow_private_targets = true;
  EXPECT_TRUE(AdmitRoute(Route(ChannelKind::kWebhook, "http://127.0.0.1:9/h"), g).ok());
  EXPECT_TRUE(AdmitCheck(tcp, g).ok());
}

TEST(TenantPolicyTest, DatabaseHostsAreCheckedLikeRoutes) {
  OperatorGrants g;
  collect::DatabaseSpec spec;
  spec.url = "redis://:pw@127.0.0.1:6379/0";
  ExpectRefused(AdmitDatabase(spec, g), "url: 127.0.0.1 is a loopback", "--allow-private-targets");
  spec.url = "postgresql://u@localhost/db";
  ExpectRefused(AdmitDatabase(spec, g), "url: localhost", "--allow-private-targets");
  g.allow_private_targets = true;
  EXPECT_TRUE(AdmitDatabase(spec, g).ok());
  // Not even then does a URL pick its host, or a local file, through libpq's options.
  for (const char* url :
       {"postgresql://u@93.184.216.34/db?host=127.0.0.1",
        "postgresql://93.184.216.34/db?sslmode=require&hostaddr=10.0.0.1",
        "postgresql://93.184.216.34/db?ho%73t=127.0.0.1",
        "postgresql://93.184.216.34/db?sslkey=/root/.ssh/id_rsa",
        "postgresql://93.184.216.34,127.0.0.1/db", "postgresql://%2Fvar%2Frun%2Fpostgresql/db"}) {
    spec.url = url;
    EXPECT_EQ(AdmitDatabase(spec, g).code(), StatusCode::kPermissionDenied) << url;
  }
  spec.url = "postgresql://u@93.184.216.34/db?sslmode=require&connect_timeout=3";
  EXPECT_TRUE(AdmitDatabase(spec, g).ok());
}

class TenantPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("vitals-tenant-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "allowed" / "ws");
    fs::create_directories(root_ / "outside");
    fs::create_directory_symlink(root_ / "outside", root_ / "allowed" / "escape");
    std::ofstream(root_ / "allowed" / "data.db") << "x";
    std::ofstream(root_ / "allowed" / "vitals.db") << "own";
    std::ofstream(root_ / "allowed" / "vitals.db-wal") << "own";
    fs::create_hard_link(root_ / "allowed" / "vitals.db", root_ / "allowed" / "alias.db");
    grants_.allowed_paths = {(root_ / "allowed").string()};
    grants_.database_path = (root_ / "allowed" / "vitals.db").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  core::Status Sqlite(const fs::path& p) {
    collect::DatabaseSpec spec;
    spec.url = "sqlite://" + p.string();
    return AdmitDatabase(spec, grants_);
  }

  fs::path root_;
  OperatorGrants grants_;
};

TEST_F(TenantPathTest, WithoutAllowedDirectoriesNoPathIsAccepted) {
  grants_.allowed_paths.clear();
  ExpectRefused(AdmitWorkspacePath((root_ / "allowed" / "ws").string(), grants_).status(),
                "path: workspaces", "--allow-paths");
  ExpectRefused(Sqlite(root_ / "allowed" / "data.db"), "url: sqlite databases", "--allow-paths");
}

TEST_F(TenantPathTest, PathsAreCanonicalisedBeforeTheCheck) {
  auto ws = AdmitWorkspacePath((root_ / "allowed" / "ws").string(), grants_);
  ASSERT_TRUE(ws.ok()) << ws.status().ToString();
  EXPECT_EQ(*ws, fs::canonical(root_ / "allowed" / "ws").string());
  auto dotted = AdmitWorkspacePath((root_ / "allowed" / "ws" / ".." / "ws").string(), grants_);
  ASSERT_TRUE(dotted.ok()) << dotted.status().ToString();
  EXPECT_EQ(*dotted, *ws);
  for (const fs::path& p :
       {fs::path("/root"), root_ / "allowed" / ".." / "outside", root_ / "allowed" / "escape",
        root_ / "allowed" / "escape" / "deeper", root_ / "allowed" / "no" / ".." / ".." / "outside",
        root_ / "allowedx"}) {
    ExpectRefused(AdmitWorkspacePath(p.string(), grants_).status(), "is outside", "--allow-paths");
  }
  EXPECT_TRUE(Sqlite(root_ / "allowed" / "data.db").ok());
  EXPECT_TRUE(Sqlite(root_ / "allowed" / "not-yet.db").ok());
  ExpectRefused(Sqlite(root_ / "allowed" / "escape" / "x.db"), "is outside", "--allow-paths");
}

TEST_F(TenantPathTest, TheServersOwnDatabaseIsNeverAProbeTarget) {
  for (const fs::path& p :
       {root_ / "allowed" / "vitals.db", root_ / "allowed" / "vitals.db-wal",
        root_ / "allowed" / "vitals.db-shm", root_ / "allowed" / "ws" / ".." / "vitals.db",
        root_ / "allowed" / "alias.db"}) {
    const core::Status s = Sqlite(p);
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << p;
    EXPECT_NE(s.message().find("the server's own database"), std::string::npos) << s.message();
  }
  grants_.allowed_paths = {"/"};  // even when every path is allowed
  EXPECT_EQ(Sqlite(root_ / "allowed" / "vitals.db").code(), StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace vitals::server
