#include "engine/shard.h"

#include <gtest/gtest.h>

#include <set>

namespace vitals::engine {
namespace {

using core::FromMicros;
using std::chrono::seconds;

const core::Timestamp kT0 = FromMicros(1'767'225'600'000'000);

std::unique_ptr<AgentEntry> NewEntry(const std::string& id) {
  return std::make_unique<AgentEntry>(core::AgentState(
      "o", id, std::make_shared<core::AgentSettings>(), core::WindowConfig{}, kT0, {}));
}

TEST(Shard, FindsByViewWithoutAllocatingAKey) {
  Shard s;
  std::lock_guard lock(s.mu);
  AgentEntry* e = s.Insert(AgentKeyHash{}(AgentKeyView{"o", "a"}), NewEntry("a"));
  std::string agent = "a";
  EXPECT_EQ(s.Find({"o", agent}), e);
  EXPECT_EQ(s.Find({"p", "a"}), nullptr);
}

TEST(Shard, DirtyListHasEachAgentOnce) {
  Shard s;
  std::lock_guard lock(s.mu);
  AgentEntry* e = s.Insert(AgentKeyHash{}(AgentKeyView{"o", "a"}), NewEntry("a"));
  s.MarkDirty(e);
  s.MarkDirty(e);
  EXPECT_EQ(s.TakeDirty().size(), 1u);
  EXPECT_TRUE(s.TakeDirty().empty());
}

TEST(Shard, DeadlinesPopInOrderAndEarlierSupersedesLater) {
  Shard s;
  std::lock_guard lock(s.mu);
  AgentEntry* a = s.Insert(AgentKeyHash{}(AgentKeyView{"o", "a"}), NewEntry("a"));
  AgentEntry* b = s.Insert(AgentKeyHash{}(AgentKeyView{"o", "b"}), NewEntry("b"));
  s.Schedule(a, kT0 + seconds(10));
  s.Schedule(b, kT0 + seconds(5));
  s.Schedule(a, kT0 + seconds(3));   // earlier: replaces a's 10 s entry
  s.Schedule(a, kT0 + seconds(20));  // later: ignored until the earlier one fires
  std::vector<AgentEntry*> due;
  s.PopDue(kT0 + seconds(4), due);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], a);
  due.clear();
  s.PopDue(kT0 + seconds(30), due);
  ASSERT_EQ(due.size(), 1u);  // b only: a's stale 10 s entry is skipped
  EXPECT_EQ(due[0], b);
}

TEST(AgentKey, IdsEqualAtEveryLengthAndPosition) {
  for (size_t len = 0; len <= 40; ++len) {
    const std::string a(len, 'x');
    EXPECT_TRUE(IdsEqual(a, std::string(len, 'x')));
    EXPECT_FALSE(IdsEqual(a, std::string(len + 1, 'x')));
    for (size_t pos = 0; pos < len; ++pos) {
      std::string b = a;
      b[pos] = 'y';
      EXPECT_FALSE(IdsEqual(a, b)) << len << " " << pos;
    }
  }
}

TEST(AgentKey, HashDependsOnEveryByteAndOnTheSplit) {
  std::set<uint64_t> seen;
  for (size_t len = 0; len <= 24; ++len) {
    std::string id(len, 'k');
    seen.insert(AgentKeyHash{}(AgentKeyView{"org", id}));
    for (size_t pos = 0; pos < len; ++pos) {
      std::string v = id;
      v[pos] = 'j';
      seen.insert(AgentKeyHash{}(AgentKeyView{"org", v}));
    }
  }
  EXPECT_EQ(seen.size(), 1u + 24u + 24u * 25u / 2u);  // all distinct
  EXPECT_NE(AgentKeyHash{}(AgentKeyView{"ab", "c"}), AgentKeyHash{}(AgentKeyView{"a", "bc"}));
}

TEST(AgentIndex, InsertFindEraseAcrossGrowthAndCollisions) {
  AgentIndex index;
  std::vector<std::string> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back("agent-" + std::to_string(i));
  for (const std::string& id : ids) {
    // A constant hash for a tenth of the keys forces long probe runs through one home slot.
    const uint64_t h = id.back() == '7' ? 42 : AgentKeyHash{}(AgentKeyView{"o", id});
    index.Insert(h, NewEntry(id));
  }
  EXPECT_EQ(index.size(), 5000u);
  auto hash_of = [](const std::string& id) {
    return id.back() == '7' ? uint64_t{42} : AgentKeyHash{}(AgentKeyView{"o", id});
  };
  for (size_t i = 0; i < ids.size(); i += 2)
    EXPECT_NE(index.Erase({"o", ids[i]}, hash_of(ids[i])), nullptr);
  for (size_t i = 0; i < ids.size(); ++i) {
    AgentEntry* e = index.Find({"o", ids[i]}, hash_of(ids[i]));
    if (i % 2 == 0) {
      EXPECT_EQ(e, nullptr) << ids[i];
    } else {
      ASSERT_NE(e, nullptr) << ids[i];
      EXPECT_EQ(e->state.agent_id(), ids[i]);
    }
  }
  EXPECT_EQ(index.size(), 2500u);
  EXPECT_EQ(index.Find({"p", ids[1]}, hash_of(ids[1])), nullptr);
}

TEST(Shard, EraseRemovesEveryReference) {
  Shard s;
  std::lock_guard lock(s.mu);
  AgentEntry* a = s.Insert(AgentKeyHash{}(AgentKeyView{"o", "a"}), NewEntry("a"));
  s.MarkDirty(a);
  s.Schedule(a, kT0);
  EXPECT_TRUE(s.Erase({"o", "a"}));
  EXPECT_TRUE(s.TakeDirty().empty());
  std::vector<AgentEntry*> due;
  s.PopDue(kT0 + seconds(1), due);
  EXPECT_TRUE(due.empty());
  EXPECT_FALSE(s.Erase({"o", "a"}));
}

}  // namespace
}  // namespace vitals::engine
