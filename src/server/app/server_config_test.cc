#include "server/app/server_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace vitals::server {
namespace {

TEST(ServerConfig, PrecedenceDefaultsThenFileThenEnvironment) {
  const auto path = std::filesystem::temp_directory_path() / "vitals-config-test.toml";
  std::ofstream(path) << "[server]\nlisten = \"127.0.0.1:9000\"\n[storage]\nretention_days = 7\n"
                         "[health]\npolling_interval_seconds = 10\n"
                         "[thresholds]\nlatency_p95_healthy_ms = 1500\n";
  ServerConfig c;
  ASSERT_TRUE(ApplyConfigFile(path.string(), &c).ok());
  EXPECT_EQ(c.listen, "127.0.0.1:9000");
  EXPECT_EQ(c.retention_days, 7);
  EXPECT_EQ(c.health_polling_interval_s, 10);
  EXPECT_EQ(c.thresholds.latency_p95_healthy_ms, 1500);
  std::map<std::string, std::string> env = {{"HEALTH_POLLING_INTERVAL", "5"},
                                            {"VITALS_RETENTION_DAYS", "3"},
                                            {"ALERT_ERROR_RATE_THRESHOLD", "0.25"}};
  ASSERT_TRUE(ApplyEnvironment(&c, [&](const char* n) {
                auto it = env.find(n);
                return it == env.end() ? nullptr : it->second.c_str();
              }).ok());
  EXPECT_EQ(c.health_polling_interval_s, 5);  // the environment beats the file
  EXPECT_EQ(c.retention_days, 3);
  EXPECT_EQ(c.alert_error_rate_threshold, 0.25);
  EXPECT_EQ(c.listen, "127.0.0.1:9000");  // untouched by the environment
  std::filesystem::remove(path);
}

TEST(ServerConfig, TheIncidentWindowComesFromTheFileTheEnvironmentOrTheFlag) {
  ServerConfig c;
  EXPECT_EQ(c.incident_window_s, 1);
  const auto path = std::filesystem::temp_directory_path() / "vitals-config-window.toml";
  std::ofstream(path) << "[delivery]\nincident_window = 0.25\n";
  ASSERT_TRUE(ApplyConfigFile(path.string(), &c).ok());
  EXPECT_EQ(c.incident_window_s, 0.25);
  std::filesystem::remove(path);
  ASSERT_TRUE(ApplyEnvironment(&c, [](const char* n) {
                return std::string_view(n) == "VITALS_INCIDENT_WINDOW" ? "0" : nullptr;
              }).ok());
  EXPECT_EQ(c.incident_window_s, 0);
}

TEST(ServerConfig, ErrorsNameTheKeyOrVariable) {
  const auto path = std::filesystem::temp_directory_path() / "vitals-config-bad.toml";
  std::ofstream(path) << "[server]\nlisen = \"x\"\n";
  ServerConfig c;
  core::Status s = ApplyConfigFile(path.string(), &c);
  EXPECT_NE(s.message().find("unknown key server.lisen"), std::string::npos) << s.message();
  std::ofstream(path) << "[storage]\nretention_days = \"lots\"\n";
  s = ApplyConfigFile(path.string(), &c);
  EXPECT_NE(s.message().find("storage.retention_days"), std::string::npos) << s.message();
  s = ApplyEnvironment(&c, [](const char* n) {
    return std::string(n) == "HEALTH_POLLING_ENABLED" ? "perhaps" : nullptr;
  });
  EXPECT_NE(s.message().find("HEALTH_POLLING_ENABLED"), std::string::npos) << s.message();
  EXPECT_FALSE(ApplyConfigFile("/nonexistent/vitals.toml", &c).ok());
  std::filesystem::remove(path);
}

TEST(ServerConfig, ValidatesTheListenAddress) {
  ServerConfig c;
  EXPECT_TRUE(ValidateConfig(c).ok());
  c.listen = "nowhere";
  EXPECT_FALSE(ValidateConfig(c).ok());
  c.listen = "127.0.0.1:99999";
  EXPECT_FALSE(ValidateConfig(c).ok());
  c.listen = "0.0.0.0:8080";
  EXPECT_TRUE(ValidateConfig(c).ok());
  EXPECT_EQ(c.host(), "0.0.0.0");
  EXPECT_EQ(c.port(), 8080);
}

TEST(ServerConfig, EveryOptionHasAKeyAnEnvironmentVariableAndAFlag) {
  for (const ConfigOption& o : ConfigOptions()) {
    EXPECT_FALSE(o.key.empty());
    EXPECT_FALSE(o.env.empty()) << o.key;
    EXPECT_EQ(o.flag.rfind("--", 0), 0u) << o.key;
    EXPECT_FALSE(o.help.empty()) << o.key;
  }
}

}  // namespace
}  // namespace vitals::server
