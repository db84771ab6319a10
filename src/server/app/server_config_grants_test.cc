// The operator's grants to tenants (issue 14): off unless set, from the file, the environment or
// the flags, and the directory list refuses relative entries.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "server/app/server_config.h"

namespace vitals::server {
namespace {

const ConfigOption& Option(std::string_view flag) {
  const auto& all = ConfigOptions();
  auto it =
      std::find_if(all.begin(), all.end(), [&](const ConfigOption& o) { return o.flag == flag; });
  EXPECT_NE(it, all.end()) << flag;
  return *it;
}

TEST(ServerConfigGrants, EveryGrantIsOffByDefaultAndSetFromFileOrEnvironment) {
  ServerConfig c;
  EXPECT_FALSE(c.allow_command_routes);
  EXPECT_FALSE(c.allow_private_targets);
  EXPECT_TRUE(c.allow_paths.empty());
  const auto path = std::filesystem::temp_directory_path() / "vitals-config-grants.toml";
  std::ofstream(path)
      << "[tenants]\nallow_command_routes = true\nallow_paths = \"/srv/a,/srv/b\"\n";
  ASSERT_TRUE(ApplyConfigFile(path.string(), &c).ok());
  std::filesystem::remove(path);
  EXPECT_TRUE(c.allow_command_routes);
  EXPECT_EQ(c.allow_paths, (std::vector<std::string>{"/srv/a", "/srv/b"}));
  ASSERT_TRUE(ApplyEnvironment(&c, [](const char* n) {
                return std::string_view(n) == "VITALS_ALLOW_PRIVATE_TARGETS" ? "true" : nullptr;
              }).ok());
  EXPECT_TRUE(c.allow_private_targets);
  EXPECT_EQ(Option("--allow-paths").show(c), "/srv/a,/srv/b");
}

TEST(ServerConfigGrants, AllowedPathsMustBeAbsolute) {
  ServerConfig c;
  const core::Status s = Option("--allow-paths").set(c, "/srv/a,relative");
  EXPECT_EQ(s.code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("\"relative\" is not an absolute directory"), std::string::npos)
      << s.message();
  EXPECT_TRUE(c.allow_paths.empty());
  ASSERT_TRUE(Option("--allow-paths").set(c, "").ok());
  EXPECT_TRUE(c.allow_paths.empty());
}

TEST(ServerConfigGrants, TheConfigFileDefinesTheOperatorsOwnRoutesWorkspacesAndDatabases) {
  const auto path = std::filesystem::temp_directory_path() / "vitals-config-resources.toml";
  std::ofstream(path) << "[[routes]]\norganization = \"acme\"\nid = \"restart\"\n"
                         "kind = \"command\"\ncommand = [\"/bin/echo\", \"hi\"]\n"
                         "timeout_ms = 2000\n"
                         "[[workspaces]]\nid = \"scratch\"\npath = \"/srv/scratch\"\n"
                         "[[databases]]\nid = \"app\"\nurl = \"sqlite:///srv/app.db\"\n";
  ServerConfig c;
  const core::Status s = ApplyConfigFile(path.string(), &c);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(c.operator_resources.size(), 3u);
  std::map<std::string, ServerConfig::OperatorResource> by_kind;  // the file's order is not kept
  for (const auto& r : c.operator_resources) by_kind[r.kind] = r;
  EXPECT_EQ(by_kind["routes"].organization, "acme");
  EXPECT_NE(by_kind["routes"].spec_json.find("\"/bin/echo\""), std::string::npos);
  EXPECT_EQ(by_kind["routes"].spec_json.find("organization"), std::string::npos);
  EXPECT_EQ(by_kind["workspaces"].organization, "default");
  EXPECT_NE(by_kind["workspaces"].spec_json.find("/srv/scratch"), std::string::npos);
  EXPECT_NE(by_kind["databases"].spec_json.find("sqlite:///srv/app.db"), std::string::npos);

  std::ofstream(path) << "[[routes]]\nid = \"r\"\nkind = \"command\"\ncommand = [\"rel\"]\n";
  ServerConfig bad;
  const core::Status e = ApplyConfigFile(path.string(), &bad);
  std::filesystem::remove(path);
  EXPECT_EQ(e.code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(e.message().find("routes[0]: command: the program must be an absolute path"),
            std::string::npos)
      << e.message();
}

}  // namespace
}  // namespace vitals::server
