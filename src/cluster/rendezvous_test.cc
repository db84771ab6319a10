#include "cluster/rendezvous.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace vitals::cluster {
namespace {

constexpr int kAgents = 30'000;

std::string Agent(int i) { return "agent-" + std::to_string(i); }

// The owner of every test agent, by index.
std::vector<std::string> Owners(const std::vector<std::string>& members) {
  std::vector<std::string> out;
  out.reserve(kAgents);
  for (int i = 0; i < kAgents; ++i) out.emplace_back(OwnerOf("org-1", Agent(i), members));
  return out;
}

TEST(RendezvousTest, NoMembersNoOwner) { EXPECT_TRUE(OwnerOf("org", "agent", {}).empty()); }

TEST(RendezvousTest, OneMemberOwnsEverything) {
  const std::vector<std::string> members = {"only"};
  for (int i = 0; i < 100; ++i) EXPECT_EQ(OwnerOf("org", Agent(i), members), "only");
}

TEST(RendezvousTest, DeterministicAndIndependentOfMemberOrderAndDuplicates) {
  const std::vector<std::string> abc = {"a", "b", "c"};
  const std::vector<std::string> cab = {"c", "a", "b", "a"};
  for (int i = 0; i < 1000; ++i) {
    const std::string_view first = OwnerOf("org", Agent(i), abc);
    EXPECT_EQ(first, OwnerOf("org", Agent(i), abc));
    EXPECT_EQ(first, OwnerOf("org", Agent(i), cab));
  }
}

TEST(RendezvousTest, ReturnsAViewIntoMembers) {
  const std::vector<std::string> members = {"a", "b"};
  const std::string_view owner = OwnerOf("org", "x", members);
  EXPECT_TRUE(owner.data() == members[0].data() || owner.data() == members[1].data());
}

TEST(RendezvousTest, OrganizationIsPartOfTheKey) {
  const std::vector<std::string> members = {"a", "b", "c"};
  int differ = 0;
  for (int i = 0; i < 300; ++i)
    differ += OwnerOf("org-1", Agent(i), members) != OwnerOf("org-2", Agent(i), members);
  EXPECT_GT(differ, 100);  // independent keys: about two thirds differ
  // The split of org and agent is part of the key too.
  EXPECT_NE(RendezvousWeight("ab", "c", "a"), RendezvousWeight("a", "bc", "a"));
}

TEST(RendezvousTest, SpreadsEvenlyOverThreeNodes) {
  const std::vector<std::string> members = {"node-1", "node-2", "node-3"};
  std::map<std::string, int> count;
  for (const std::string& owner : Owners(members)) ++count[owner];
  ASSERT_EQ(count.size(), 3u);
  for (const auto& [node, n] : count) {
    EXPECT_NEAR(n, kAgents / 3, kAgents / 3 * 0.05) << node;
  }
}

TEST(RendezvousTest, RemovingAMemberMovesOnlyItsAgents) {
  const std::vector<std::string> before = {"node-1", "node-2", "node-3", "node-4"};
  const std::vector<std::string> after = {"node-1", "node-2", "node-4"};
  const std::vector<std::string> was = Owners(before);
  const std::vector<std::string> now = Owners(after);
  int moved = 0;
  for (int i = 0; i < kAgents; ++i) {
    if (was[i] == "node-3") {
      EXPECT_NE(now[i], "node-3");
      ++moved;
    } else {
      EXPECT_EQ(now[i], was[i]) << Agent(i);
    }
  }
  EXPECT_GT(moved, 0);
}

TEST(RendezvousTest, AddingAMemberMovesAboutOneInNPlusOneOnlyToIt) {
  const std::vector<std::string> before = {"node-1", "node-2", "node-3"};
  const std::vector<std::string> after = {"node-1", "node-2", "node-3", "node-4"};
  const std::vector<std::string> was = Owners(before);
  const std::vector<std::string> now = Owners(after);
  int moved = 0;
  for (int i = 0; i < kAgents; ++i) {
    if (now[i] != was[i]) {
      EXPECT_EQ(now[i], "node-4") << Agent(i);
      ++moved;
    }
  }
  EXPECT_NEAR(moved, kAgents / 4, kAgents / 4 * 0.05);
}

// Fixed values: a change here means nodes of different versions disagree on owners, which a
// rolling upgrade must never see. Change only together with a documented migration.
TEST(RendezvousTest, HashIsFixedAcrossBuilds) {
  EXPECT_EQ(StableHash64(""), 0xefd01f60ba992926ULL);
  EXPECT_EQ(StableHash64("vitals"), 0x179d0d53bdf68fc0ULL);
  EXPECT_EQ(StableHash64("vitals", 7), 0xe0084ca902e0d7e6ULL);
}

TEST(RendezvousTest, GoldenOwners) {
  const std::vector<std::string> members = {"a", "b", "c"};
  const std::vector<std::pair<std::string, std::string>> golden = {
      {"checkout-bot", "b"}, {"support-agent", "b"}, {"agent-0", "b"}, {"agent-1", "c"},
      {"agent-2", "c"},      {"agent-3", "a"},       {"agent-4", "b"}, {"agent-5", "b"}};
  for (const auto& [agent, owner] : golden) {
    EXPECT_EQ(OwnerOf("org-1", agent, members), owner) << agent;
  }
}

}  // namespace
}  // namespace vitals::cluster
