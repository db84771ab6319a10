// Probes against a real redis-server and a real PostgreSQL, started by testing/with_databases.sh,
// which passes their URLs in the environment.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "collect/database_probe.h"

namespace vitals::collect {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

DatabaseSample ProbeUrl(const std::string& url) {
  DatabaseSpec spec{"acme", "db", url, core::Seconds(30), core::Seconds(5)};
  EXPECT_TRUE(spec.Validate().ok()) << spec.Validate().message();
  core::FakeClock clock;
  return DatabaseProbe(spec, &clock).Probe();
}

class RealDatabasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Env("VITALS_TEST_REDIS_URL").empty() || Env("VITALS_TEST_POSTGRES_URL").empty()) {
      GTEST_FAIL() << "run through src/collect/testing/with_databases.sh";
    }
  }
};

TEST_F(RealDatabasesTest, RedisUpAndWrongPassword) {
  DatabaseSample up = ProbeUrl(Env("VITALS_TEST_REDIS_URL"));
  EXPECT_TRUE(up.up) << up.error;
  EXPECT_EQ(up.kind, DatabaseKind::kRedis);
  EXPECT_GT(up.round_trip_ms, 0);
  EXPECT_LT(up.round_trip_ms, 1000);

  DatabaseSample bad = ProbeUrl(Env("VITALS_TEST_REDIS_BAD_URL"));
  EXPECT_FALSE(bad.up);
  EXPECT_NE(bad.error.find("AUTH failed"), std::string::npos) << bad.error;
}

TEST_F(RealDatabasesTest, PostgresUpAndWrongPassword) {
  DatabaseSample up = ProbeUrl(Env("VITALS_TEST_POSTGRES_URL"));
  EXPECT_TRUE(up.up) << up.error;
  EXPECT_EQ(up.kind, DatabaseKind::kPostgres);
  EXPECT_GT(up.round_trip_ms, 0);

  DatabaseSample bad = ProbeUrl(Env("VITALS_TEST_POSTGRES_BAD_URL"));
  EXPECT_FALSE(bad.up);
  EXPECT_NE(bad.error.find("password authentication failed"), std::string::npos) << bad.error;
}

}  // namespace
}  // namespace vitals::collect
