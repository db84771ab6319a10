// Membership against a real redis-server (with_databases.sh), with short TTLs.
#include "cluster/membership.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace vitals::cluster {
namespace {

using std::chrono::steady_clock;
using Members = std::vector<std::string>;

RedisEndpoint Endpoint(const char* variable = "VITALS_TEST_REDIS_URL") {
  const char* url = std::getenv(variable);
  if (url == nullptr) return {};
  return RedisEndpoint::FromUrl(url).value();
}

MembershipOptions Options(const std::string& id, RedisEndpoint endpoint = Endpoint()) {
  MembershipOptions o;
  o.endpoint = std::move(endpoint);
  o.node_id = id;
  o.ttl_ms = 600;
  o.renew_ms = 150;
  return o;
}

// Polls `done` every 10 ms for up to 5 s.
bool WaitUntil(const std::function<bool()>& done) {
  const auto deadline = steady_clock::now() + std::chrono::seconds(5);
  while (steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

// True when every node in `nodes` is healthy and sees exactly `members` under one epoch.
bool Agree(const std::vector<Membership*>& nodes, const Members& members) {
  const MembershipView first = nodes.front()->View();
  for (Membership* n : nodes) {
    const MembershipView v = n->View();
    if (!v.healthy || v.members != members || v.epoch != first.epoch) return false;
  }
  return true;
}

class MembershipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("VITALS_TEST_REDIS_URL") == nullptr) GTEST_SKIP() << "needs redis-server";
    RedisClient c(Endpoint());
    ASSERT_TRUE(c.Command({"FLUSHDB"}).ok());
  }

  // Starts nodes a, b, c and waits until they agree.
  void StartThree() {
    for (const char* id : {"a", "b", "c"}) {
      nodes_.push_back(std::make_unique<Membership>(Options(id)));
      ASSERT_TRUE(nodes_.back()->Start().ok());
    }
    ASSERT_TRUE(WaitUntil([&] { return Agree(All(), {"a", "b", "c"}); }));
  }
  std::vector<Membership*> All() { return {nodes_[0].get(), nodes_[1].get(), nodes_[2].get()}; }
  std::vector<Membership*> AB() { return {nodes_[0].get(), nodes_[1].get()}; }

  std::vector<std::unique_ptr<Membership>> nodes_;
};

TEST_F(MembershipTest, ThreeNodesSeeTheSameSortedMembersAndEpoch) {
  StartThree();
  EXPECT_GT(nodes_[0]->View().epoch, 0u);
  // The TTL key exists for other tools, with the default info.
  RedisClient c(Endpoint());
  auto pttl = c.Command({"PTTL", NodeKey("b")});
  ASSERT_TRUE(pttl.ok());
  EXPECT_GT(pttl->integer, 0);
  EXPECT_LE(pttl->integer, 600);
  auto value = c.Command({"GET", NodeKey("b")});
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->str, R"({"node_id":"b"})");
  // The epoch is Redis's.
  auto epoch = c.Command({"GET", std::string(kEpochKey)});
  ASSERT_TRUE(epoch.ok());
  EXPECT_EQ(epoch->str, std::to_string(nodes_[0]->View().epoch));
}

TEST_F(MembershipTest, StopLeavesAtOnceAndRaisesTheEpoch) {
  StartThree();
  const uint64_t before = nodes_[0]->View().epoch;
  nodes_[2]->Stop();
  RedisClient c(Endpoint());
  auto exists = c.Command({"EXISTS", NodeKey("c")});
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(exists->integer, 0);
  ASSERT_TRUE(WaitUntil([&] { return Agree(AB(), {"a", "b"}); }));
  EXPECT_GT(nodes_[0]->View().epoch, before);
  nodes_[2]->Stop();  // idempotent
}

TEST_F(MembershipTest, SilentMemberExpiresAndRejoiningRaisesTheEpochAgain) {
  StartThree();
  const uint64_t three = nodes_[0]->View().epoch;
  nodes_[2]->Pause();  // stops renewing, keeps its key until the TTL
  ASSERT_TRUE(WaitUntil([&] { return Agree(AB(), {"a", "b"}); }));
  const uint64_t two = nodes_[0]->View().epoch;
  EXPECT_GT(two, three);
  EXPECT_EQ(nodes_[2]->View().joins, 1u);
  nodes_[2]->Resume();  // its key expired: it registers again
  ASSERT_TRUE(WaitUntil([&] { return Agree(All(), {"a", "b", "c"}); }));
  EXPECT_GT(nodes_[0]->View().epoch, two);
  EXPECT_EQ(nodes_[2]->View().joins, 2u);  // it knows it was out
  EXPECT_EQ(nodes_[0]->View().joins, 1u);
}

TEST_F(MembershipTest, RestartAfterStopRejoinsWithALargerEpoch) {
  StartThree();
  nodes_[1]->Stop();
  ASSERT_TRUE(WaitUntil([&] { return Agree({nodes_[0].get(), nodes_[2].get()}, {"a", "c"}); }));
  const uint64_t two = nodes_[0]->View().epoch;
  ASSERT_TRUE(nodes_[1]->Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return Agree(All(), {"a", "b", "c"}); }));
  EXPECT_GT(nodes_[1]->View().epoch, two);
}

// Redis restarted without persistence: its epoch is gone, but no node's epoch goes back.
TEST_F(MembershipTest, EpochNeverGoesBackWhenRedisLosesItsData) {
  StartThree();
  const uint64_t before = nodes_[0]->View().epoch;
  RedisClient c(Endpoint());
  ASSERT_TRUE(c.Command({"FLUSHDB"}).ok());
  ASSERT_TRUE(WaitUntil([&] {
    return Agree(All(), {"a", "b", "c"}) && nodes_[0]->View().epoch > before;
  }));
}

TEST_F(MembershipTest, IndexEntryWithoutItsKeyIsDropped) {
  StartThree();
  RedisClient c(Endpoint());
  // An index entry whose key is gone (deleted by an operator) is dropped at once.
  ASSERT_TRUE(c.Command({"ZADD", std::string(kMembersKey), "99999999999999", "ghost"}).ok());
  ASSERT_TRUE(WaitUntil([&] {
    auto score = c.Command({"ZSCORE", std::string(kMembersKey), "ghost"});
    return score.ok() && score->is_nil();
  }));
  EXPECT_EQ(nodes_[0]->View().members, (Members{"a", "b", "c"}));
}

TEST_F(MembershipTest, CallbackSeesEveryChangeWithGrowingEpochs) {
  std::mutex mu;
  std::vector<MembershipView> seen;
  Membership a(Options("a"), [&](const MembershipView& v) {
    std::lock_guard lock(mu);
    seen.push_back(v);
  });
  ASSERT_TRUE(a.Start().ok());
  Membership b(Options("b"));
  ASSERT_TRUE(b.Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return Agree({&a, &b}, {"a", "b"}); }));
  b.Stop();
  ASSERT_TRUE(WaitUntil([&] { return Agree({&a}, {"a"}); }));
  a.Stop();
  std::lock_guard lock(mu);
  // {a} first unless b joined before a's first renewal, then {a,b}, then {a}.
  ASSERT_GE(seen.size(), 2u);
  EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](const MembershipView& v) {
    return v.members == Members{"a", "b"};
  }));
  EXPECT_EQ(seen.back(), a.View());
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_NE(seen[i], seen[i - 1]) << "called without a change";
    if (seen[i].members != seen[i - 1].members) {
      EXPECT_GT(seen[i].epoch, seen[i - 1].epoch);
    }
  }
}

TEST_F(MembershipTest, WrongPasswordIsUnhealthyWithoutCrashing) {
  if (std::getenv("VITALS_TEST_REDIS_BAD_URL") == nullptr) GTEST_SKIP() << "needs the bad url";
  Membership m(Options("a", Endpoint("VITALS_TEST_REDIS_BAD_URL")));
  ASSERT_TRUE(m.Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return m.stats().failures >= 2; }));
  const MembershipView v = m.View();
  EXPECT_FALSE(v.healthy);
  EXPECT_TRUE(v.members.empty());
  EXPECT_EQ(m.stats().renewals, 0u);
  m.Stop();
}

// Redis refusing this node (its password changed, connections killed): the last members stay,
// healthy=false; when the password is back, the node recovers by itself.
TEST_F(MembershipTest, RedisLossKeepsTheLastMembersAndRecovers) {
  StartThree();
  const Members three = {"a", "b", "c"};
  RedisClient admin(Endpoint());
  ASSERT_TRUE(admin.Connect().ok());
  ASSERT_TRUE(admin.Command({"CONFIG", "SET", "requirepass", "changed"}).ok());
  {
    // The password comes back however this block ends, so later tests find Redis as it was.
    std::unique_ptr<RedisClient, std::function<void(RedisClient*)>> restore(
        &admin, [](RedisClient* c) {
          (void)c->Command({"CONFIG", "SET", "requirepass", Endpoint().password});
        });
    ASSERT_TRUE(admin.Command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"}).ok());
    ASSERT_TRUE(WaitUntil([&] {
      for (Membership* n : All()) {
        if (n->View().healthy) return false;
      }
      return true;
    }));
    for (Membership* n : All()) EXPECT_EQ(n->View().members, three);
  }
  ASSERT_TRUE(WaitUntil([&] { return Agree(All(), three); }));
}

TEST_F(MembershipTest, BadOptionsAndDoubleStartAreRefused) {
  MembershipOptions bad = Options("a b");
  EXPECT_EQ(Membership(bad).Start().code(), core::StatusCode::kInvalidArgument);
  bad = Options("a");
  bad.renew_ms = bad.ttl_ms;
  EXPECT_EQ(Membership(bad).Start().code(), core::StatusCode::kInvalidArgument);
  Membership m(Options("a"));
  ASSERT_TRUE(m.Start().ok());
  EXPECT_EQ(m.Start().code(), core::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace vitals::cluster
