// The operator's grants to tenants (issue 14): off unless set, from the file, the environment or
// the flags, and the directory list refuses relative entries.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

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

}  // namespace
}  // namespace vitals::server
