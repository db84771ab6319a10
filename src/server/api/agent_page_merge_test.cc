#include "server/api/agent_page_merge.h"

#include <gtest/gtest.h>

#include <vector>

namespace vitals::server {
namespace {

std::string Agent(const std::string& id, const char* score, const char* health = "healthy") {
  return R"({"agent_id":")" + id + R"(","agent_name":"n-)" + id + R"(","health":")" + health +
         R"(","score":)" + score + "}";
}

std::string Page(uint64_t total, const std::vector<std::string>& agents) {
  std::string out = R"({"total":)" + std::to_string(total) + R"(,"offset":0,"limit":9,"agents":[)";
  for (size_t i = 0; i < agents.size(); ++i) out += (i ? "," : "") + agents[i];
  return out + "]}";
}

// The ids of a merged page, in order.
std::string Ids(const std::string& body) {
  std::string out;
  for (size_t at = 0; (at = body.find(R"("agent_id":")", at)) != std::string::npos;) {
    at += 12;
    out += (out.empty() ? "" : " ") + body.substr(at, body.find('"', at) - at);
  }
  return out;
}

TEST(MergeAgentPagesTest, PagesOfNodesMergeIntoTheFleetsPageWithSummedTotal) {
  const std::vector<std::string> pages = {Page(5, {Agent("a", "90"), Agent("d", "40")}),
                                          Page(2, {Agent("b", "70"), Agent("c", "95")})};
  AgentPageOrder order;
  order.offset = 1;
  order.limit = 2;
  auto merged = MergeAgentPages(pages, order);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(Ids(*merged), "b c");
  EXPECT_NE(merged->find(R"("total":7)"), std::string::npos) << *merged;
  EXPECT_NE(merged->find(R"("offset":1,"limit":2)"), std::string::npos) << *merged;
  // Each agent's object passes through whole.
  EXPECT_NE(merged->find(R"({"agent_id":"b","agent_name":"n-b","health":"healthy","score":70})"),
            std::string::npos);
}

TEST(MergeAgentPagesTest, SortsByTheRequestedKeyAndOrderWithTiesByAgentId) {
  const std::vector<std::string> pages = {
      Page(2, {Agent("a", "90"), Agent("z", "50", "critical")}),
      Page(2, {Agent("b", "50", "degraded"), Agent("c", "null", "unknown")})};
  AgentPageOrder order;
  order.limit = 10;
  order.sort = "score";
  order.desc = true;
  EXPECT_EQ(Ids(MergeAgentPages(pages, order).value()), "a z b c");  // null score as 0
  order.desc = false;
  EXPECT_EQ(Ids(MergeAgentPages(pages, order).value()), "c b z a");
  order.sort = "health";  // by severity, as one node sorts: unknown, healthy, degraded, critical
  EXPECT_EQ(Ids(MergeAgentPages(pages, order).value()), "c a b z");
  order.sort = "name";
  order.desc = true;
  EXPECT_EQ(Ids(MergeAgentPages(pages, order).value()), "z c b a");
}

TEST(MergeAgentPagesTest, AnOffsetPastTheEndGivesAnEmptyPage) {
  AgentPageOrder order;
  order.offset = 10;
  auto merged = MergeAgentPages(std::vector<std::string>{Page(1, {Agent("a", "1")})}, order);
  ASSERT_TRUE(merged.ok());
  EXPECT_NE(merged->find(R"("total":1,"offset":10,"limit":50,"agents":[])"), std::string::npos)
      << *merged;
}

TEST(MergeAgentPagesTest, ABodyThatIsNotAnAgentPageIsNamed) {
  AgentPageOrder order;
  for (const std::string bad : {"not json", R"({"agents":[]})", R"({"total":1,"agents":[3]})"}) {
    auto merged = MergeAgentPages(std::vector<std::string>{Page(0, {}), bad}, order);
    ASSERT_FALSE(merged.ok()) << bad;
    EXPECT_EQ(merged.status().code(), core::StatusCode::kInvalidArgument);
    EXPECT_NE(merged.status().message().find("agent page 1"), std::string::npos)
        << merged.status().message();
  }
}

}  // namespace
}  // namespace vitals::server
