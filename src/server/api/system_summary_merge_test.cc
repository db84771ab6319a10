#include "server/api/system_summary_merge.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vitals::server {
namespace {

// Shaped as GET /api/health/system writes it (health_handlers.cc).
std::string Body(const std::string& cpu, int agents, int critical, int degraded_heartbeats,
                 const std::string& queues) {
  return "{\"cpu_usage\":" + cpu +
         ",\"memory_usage\":40.5,\"active_operations\":" + std::to_string(agents / 2) +
         ",\"queue_depth\":7,\"total_agents\":" + std::to_string(agents) +
         ",\"active_agents\":" + std::to_string(agents - 1) +
         ",\"total_integrations\":3,\"healthy_integrations\":2,\"queues\":[" + queues +
         "],\"alerts\":{\"critical\":" + std::to_string(critical) +
         ",\"warning\":1,\"info\":0},\"fleet\":{\"total_agents\":" + std::to_string(agents) +
         ",\"health\":{\"healthy\":" + std::to_string(agents - critical) +
         ",\"degraded\":0,\"critical\":" + std::to_string(critical) +
         ",\"unknown\":0},\"heartbeat\":{\"healthy\":1,\"degraded\":" +
         std::to_string(degraded_heartbeats) +
         "},\"executions_in_flight\":" + std::to_string(agents / 2) + ",\"total_heartbeats\":10}}";
}

TEST(MergeSystemSummaries, SumsTheFleetsCountsAndKeepsTheMachineOfTheNodeAsked) {
  const std::vector<std::string> bodies = {
      Body("12.5", 4, 1, 0, R"({"source_id":"q-b","depth":3,"at":"2026-12-06T00:00:00Z"})"),
      Body("99.0", 6, 2, 1, R"({"source_id":"q-a","depth":4,"at":"2026-12-06T00:00:01Z"})"),
      Body("50.0", 2, 0, 0, "")};
  auto merged = MergeSystemSummaries(bodies);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  const std::string& m = *merged;
  EXPECT_NE(m.find("\"cpu_usage\":12.5,"), std::string::npos) << m;  // the node asked
  EXPECT_NE(m.find("\"total_agents\":12,\"active_agents\":9,"), std::string::npos) << m;
  EXPECT_NE(m.find("\"active_operations\":6,\"queue_depth\":21,"), std::string::npos) << m;
  EXPECT_NE(m.find("\"total_integrations\":3,\"healthy_integrations\":2,"), std::string::npos) << m;
  EXPECT_NE(m.find("\"alerts\":{\"critical\":3,\"warning\":3,\"info\":0}"), std::string::npos) << m;
  EXPECT_NE(m.find("\"health\":{\"healthy\":9,\"degraded\":0,\"critical\":3,\"unknown\":0}"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("\"heartbeat\":{\"healthy\":3,\"degraded\":1}"), std::string::npos) << m;
  EXPECT_NE(m.find("\"total_heartbeats\":30}"), std::string::npos) << m;
  // Every member's queue sources, by id.
  EXPECT_NE(
      m.find("\"queues\":[{\"source_id\":\"q-a\",\"depth\":4,\"at\":\"2026-12-06T00:00:01Z\"},"
             "{\"source_id\":\"q-b\""),
      std::string::npos)
      << m;
}

TEST(MergeSystemSummaries, OneBodyIsItselfAndBadBodiesAreNamed) {
  const std::string one = Body("null", 3, 0, 0, "");
  auto same = MergeSystemSummaries(std::vector<std::string>{one});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*same, one);
  auto bad = MergeSystemSummaries(std::vector<std::string>{one, "[1,2]"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("system summary 1"), std::string::npos);
  EXPECT_FALSE(MergeSystemSummaries(std::vector<std::string>{one, "{\"total"}).ok());
  EXPECT_FALSE(MergeSystemSummaries(std::vector<std::string>{}).ok());
}

}  // namespace
}  // namespace vitals::server
