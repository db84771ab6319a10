// RealtimeCounters against a real redis-server (with_databases.sh): counts reach seed 000's
// hashes with their TTLs, many events make few publications, and a Redis restart loses nothing
// the node still holds and counts nothing twice.
#include "cluster/realtime_counters.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <thread>

namespace vitals::cluster {
namespace {

using namespace std::chrono_literals;

RedisEndpoint Endpoint() {
  RedisEndpoint e = RedisEndpoint::FromUrl(std::getenv("VITALS_TEST_REDIS_URL")).value();
  e.db = 13;  // its own database: other tests flush theirs
  e.timeout_ms = 500;
  return e;
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::seconds limit = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

std::vector<core::ExecutionEvent> Events(const std::string& agent, int n, core::Timestamp t) {
  std::vector<core::ExecutionEvent> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    out[i].organization_id = "org";
    out[i].agent_id = agent;
    out[i].timestamp = t;
    out[i].latency_ms = 10 + i;
    out[i].status = i % 4 == 0 ? "error" : "success";
  }
  return out;
}

class RealtimeCountersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("VITALS_TEST_REDIS_URL") == nullptr) GTEST_SKIP() << "needs redis-server";
    ASSERT_TRUE(redis_.Command({"FLUSHDB"}).ok());
  }
  // A field of a hash, 0 when missing.
  double Field(const std::string& key, const std::string& field) {
    auto r = redis_.Command({"HGET", key, field});
    return r.ok() && r->type == RedisReply::Type::kString ? std::stod(r->str) : 0;
  }
  std::string MinuteKey(const std::string& agent) {
    return "vitals:minute:{org:" + agent + "}:" + CounterDeltas::MinuteBucket(now_);
  }

  const core::SystemClock& clock_ = *core::SystemClock::Instance();
  const core::Timestamp now_ = clock_.Now();
  RedisClient redis_{Endpoint()};
};

TEST_F(RealtimeCountersTest, ExecutionsReachSeedHashesWithTtls) {
  RealtimeCounters counters({Endpoint(), 100}, clock_);
  counters.Start();
  counters.Add(Events("a", 8, now_));
  ASSERT_TRUE(WaitUntil([&] { return Field(MinuteKey("a"), "total") == 8; }));
  EXPECT_EQ(Field(MinuteKey("a"), "failure"), 2);
  EXPECT_EQ(Field(MinuteKey("a"), "success"), 6);
  EXPECT_DOUBLE_EQ(Field(MinuteKey("a"), "latency_sum"), 8 * 10 + 28);
  const std::string hour = "vitals:hour:{org:a}:" + CounterDeltas::HourBucket(now_);
  EXPECT_EQ(Field(hour, "total"), 8);
  auto ttl = redis_.Command({"TTL", MinuteKey("a")});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 500);
  EXPECT_LE(ttl->integer, 600);
  ttl = redis_.Command({"TTL", hour});
  EXPECT_GT(ttl->integer, 7000);
  auto bins =
      redis_.Command({"HLEN", "vitals:latency:{org:a}:" + CounterDeltas::MinuteBucket(now_)});
  EXPECT_GE(bins->integer, 2);
}

TEST_F(RealtimeCountersTest, ManyEventsBetweenTicksMakeOnePublication) {
  RealtimeCounters counters({Endpoint(), 400}, clock_);
  counters.Start();
  for (int i = 0; i < 1000; ++i) counters.Add(Events("agent-" + std::to_string(i % 10), 5, now_));
  ASSERT_TRUE(WaitUntil([&] { return Field(MinuteKey("agent-9"), "total") == 500; }));
  for (int a = 0; a < 10; ++a)
    EXPECT_EQ(Field(MinuteKey("agent-" + std::to_string(a)), "total"), 500);
  // 5000 events, published in a handful of pipelines (one per tick that had something).
  EXPECT_LE(counters.stats().publications, 3u);
  EXPECT_EQ(counters.stats().errors, 0u);
}

TEST_F(RealtimeCountersTest, ARedisRestartLosesNothingHeldAndCountsNothingTwice) {
  const char* stop = std::getenv("VITALS_TEST_REDIS_STOP");
  const char* start = std::getenv("VITALS_TEST_REDIS_START");
  if (stop == nullptr || start == nullptr) GTEST_SKIP() << "needs with_databases.sh";
  RealtimeCounters counters({Endpoint(), 100}, clock_);
  counters.Start();
  counters.Add(Events("r", 4, now_));
  ASSERT_TRUE(WaitUntil([&] { return Field(MinuteKey("r"), "total") == 4; }));
  ASSERT_EQ(std::system(stop), 0);
  struct Restart {  // Redis comes back even when an assertion below fails
    const char* command;
    bool done = false;
    ~Restart() {
      if (!done) (void)std::system(command);
    }
  } restart{start};
  counters.Add(Events("r", 6, now_));
  ASSERT_TRUE(WaitUntil([&] { return counters.stats().errors >= 2; }));
  restart.done = true;
  ASSERT_EQ(std::system(start), 0);
  // Redis came back empty (no persistence): what it gets is what the node held, exactly once.
  ASSERT_TRUE(WaitUntil([&] { return Field(MinuteKey("r"), "total") == 6; }))
      << Field(MinuteKey("r"), "total");
  counters.Add(Events("r", 1, now_));
  ASSERT_TRUE(WaitUntil([&] { return Field(MinuteKey("r"), "total") == 7; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(Field(MinuteKey("r"), "total"), 7);
}

}  // namespace
}  // namespace vitals::cluster
