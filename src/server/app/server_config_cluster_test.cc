// Issue 16's settings: --store, --redis, --node-id and their cross-field checks.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "server/app/server_config.h"

namespace vitals::server {
namespace {

core::Status ApplyEnv(ServerConfig* c, std::map<std::string, std::string> env) {
  return ApplyEnvironment(c, [&](const char* n) {
    auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

TEST(ServerConfigCluster, TheStoreDefaultsToTheSqliteFileOfDb) {
  ServerConfig c;
  EXPECT_EQ(c.StoreUrl(), "sqlite://vitals.db");
  c.db = "/var/lib/vitals/v.db";
  EXPECT_EQ(c.StoreUrl(), "sqlite:///var/lib/vitals/v.db");
  EXPECT_TRUE(ValidateConfig(c).ok());
}

TEST(ServerConfigCluster, StoreRedisAndNodeIdComeFromTheEnvironment) {
  ServerConfig c;
  ASSERT_TRUE(ApplyEnv(&c, {{"VITALS_STORE", "postgresql://u:secret@127.0.0.1:5432/v"},
                            {"VITALS_REDIS", "redis://:pw@127.0.0.1:6379/2"},
                            {"VITALS_NODE_ID", "node-a.1"}})
                  .ok());
  EXPECT_EQ(c.StoreUrl(), "postgresql://u:secret@127.0.0.1:5432/v");
  EXPECT_EQ(c.NodeId(), "node-a.1");
  core::Status s = ValidateConfig(c);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(ServerConfigCluster, DbAndStoreTogetherAreRefusedNamingBoth) {
  ServerConfig c;
  c.db = "other.db";
  c.store = "sqlite://x.db";
  core::Status s = ValidateConfig(c);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--db"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("--store"), std::string::npos) << s.message();
}

TEST(ServerConfigCluster, RedisNeedsAPostgresqlStore) {
  ServerConfig c;
  c.redis = "redis://127.0.0.1:6379";
  core::Status s = ValidateConfig(c);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("needs a PostgreSQL store"), std::string::npos) << s.message();
}

TEST(ServerConfigCluster, BadValuesAreRefusedNamingTheSettingWithoutThePassword) {
  ServerConfig c;
  core::Status s = ApplyEnv(&c, {{"VITALS_STORE", "mysql://u:hunter2@h/db"}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("VITALS_STORE"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find("hunter2"), std::string::npos) << s.message();
  s = ApplyEnv(&c, {{"VITALS_REDIS", "http://127.0.0.1:6379"}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("VITALS_REDIS"), std::string::npos) << s.message();
  for (const char* bad : {"has space", "slash/y", "semi;colon"}) {
    s = ApplyEnv(&c, {{"VITALS_NODE_ID", bad}});
    EXPECT_FALSE(s.ok()) << bad;
  }
  s = ApplyEnv(&c, {{"VITALS_NODE_ID", std::string(65, 'n')}});
  EXPECT_FALSE(s.ok());
}

TEST(ServerConfigCluster, TheNodeIdDefaultsToAUsableHostname) {
  ServerConfig c;
  const std::string id = c.NodeId();
  ASSERT_FALSE(id.empty());
  EXPECT_LE(id.size(), 64u);
  c.node_id = id;
  EXPECT_TRUE(ValidateConfig(c).ok()) << id;
}

}  // namespace
}  // namespace vitals::server
