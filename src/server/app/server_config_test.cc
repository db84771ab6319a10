#include "server/app/server_config.h"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

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

TEST(ServerConfig, NumbersInMessagesArePlain) {
  ServerConfig c;
  std::map<std::string, ConfigOption> by_key;
  for (const ConfigOption& o : ConfigOptions()) by_key.emplace(o.key, o);
  const std::string rate = by_key.at("alerts.error_rate_threshold").set(c, "2").message();
  EXPECT_NE(rate.find("expected a number between 0 and 1, got \"2\""), std::string::npos) << rate;
  const std::string latency = by_key.at("alerts.latency_threshold_ms").set(c, "0").message();
  EXPECT_NE(latency.find("between 1 and 1000000000"), std::string::npos) << latency;
  EXPECT_EQ(by_key.at("engine.max_past_age_seconds").show(ServerConfig{}), "86400");
}

// The keys of a TOML table, as "table.key", leaving out arrays of tables ([[routes]], ...).
void CollectKeys(const toml::table& t, const std::string& prefix, std::set<std::string>* out) {
  for (const auto& [k, node] : t) {
    const std::string key = prefix + std::string(k.str());
    if (const toml::table* sub = node.as_table()) {
      CollectKeys(*sub, key + ".", out);
    } else if (!node.is_array_of_tables()) {
      out->insert(key);
    }
  }
}

// vitals.example.toml (README): it parses, it names every key the parser knows, and each value
// is the default, so that the file cannot drift from the code.
TEST(ServerConfig, TheExampleFileNamesEverySettingAtItsDefault) {
  ServerConfig loaded;
  const core::Status s = ApplyConfigFile(VITALS_EXAMPLE_TOML, &loaded);
  ASSERT_TRUE(s.ok()) << s.message();
  std::set<std::string> keys;
  CollectKeys(toml::parse_file(VITALS_EXAMPLE_TOML), "", &keys);
  const ServerConfig defaults;
  for (const ConfigOption& o : ConfigOptions()) {
    EXPECT_TRUE(keys.count(o.key)) << "vitals.example.toml lacks " << o.key;
    EXPECT_EQ(o.show(loaded), o.show(defaults)) << o.key << " is not at its default";
  }
  EXPECT_EQ(keys.size(), ConfigOptions().size());  // and nothing the parser would refuse

  // Its commented [[routes]] / [[workspaces]] / [[databases]] examples parse once uncommented.
  std::ifstream in(VITALS_EXAMPLE_TOML);
  std::stringstream uncommented;
  bool examples = false;
  for (std::string line; std::getline(in, line);) {
    examples = examples || line.rfind("# [[", 0) == 0;
    if (examples && line.rfind("# ", 0) == 0) line = line.substr(2);
    uncommented << line << "\n";
  }
  const auto path = std::filesystem::temp_directory_path() / "vitals-example-uncommented.toml";
  std::ofstream(path) << uncommented.str();
  ServerConfig with_resources;
  const core::Status r = ApplyConfigFile(path.string(), &with_resources);
  EXPECT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(with_resources.operator_resources.size(), 3u);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace vitals::server
