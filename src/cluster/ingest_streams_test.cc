// InboxSender / InboxReceiver against a real redis-server (with_databases.sh).
#include "cluster/ingest_streams.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace vitals::cluster {
namespace {

using std::chrono::steady_clock;

RedisEndpoint Endpoint() {
  const char* url = std::getenv("VITALS_TEST_REDIS_URL");
  if (url == nullptr) return {};
  return RedisEndpoint::FromUrl(url).value();
}

IngestStreamOptions Options(const std::string& node) {
  IngestStreamOptions o;
  o.endpoint = Endpoint();
  o.node_id = node;
  o.block_ms = 100;
  return o;
}

ForwardedEvent Event(int64_t id) {
  ForwardedEvent f;
  f.log_id = id;
  f.event.organization_id = "org";
  f.event.agent_id = "agent-" + std::to_string(id % 3);
  f.event.execution_id = "e" + std::to_string(id);
  f.event.action_type = "llm_call";
  f.event.timestamp = core::FromMicros(id);
  return f;
}

// Collects what a receiver's handler got.
struct Collected {
  std::mutex mu;
  std::vector<int64_t> ids;
  void Add(const std::vector<ForwardedEvent>& batch) {
    std::lock_guard lock(mu);
    for (const ForwardedEvent& e : batch) ids.push_back(e.log_id);
  }
  size_t Size() {
    std::lock_guard lock(mu);
    return ids.size();
  }
  bool WaitFor(size_t n) {
    const auto deadline = steady_clock::now() + std::chrono::seconds(10);
    while (steady_clock::now() < deadline) {
      if (Size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
};

class IngestStreamsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("VITALS_TEST_REDIS_URL") == nullptr) GTEST_SKIP() << "needs redis-server";
    RedisClient c(Endpoint());
    ASSERT_TRUE(c.Command({"FLUSHDB"}).ok());
  }
};

TEST_F(IngestStreamsTest, ReceiverGetsEventsSentToItsNodeInOrderAndOnlyThose) {
  Collected got_b;
  Collected got_c;
  InboxReceiver b(Options("node-b"), [&](auto& batch) { got_b.Add(batch); });
  InboxReceiver c(Options("node-c"), [&](auto& batch) { got_c.Add(batch); });
  b.Start();
  c.Start();
  InboxSender sender(Options("node-a"));
  std::vector<ForwardedEvent> to_b;
  for (int64_t id = 1; id <= 1000; ++id) to_b.push_back(Event(id));
  ASSERT_TRUE(sender.Send("node-b", to_b).ok());
  ASSERT_TRUE(sender.Send("node-c", std::vector<ForwardedEvent>{Event(5000)}).ok());
  ASSERT_TRUE(got_b.WaitFor(1000));
  ASSERT_TRUE(got_c.WaitFor(1));
  b.Stop();
  c.Stop();
  std::lock_guard lock(got_b.mu);
  ASSERT_EQ(got_b.ids.size(), 1000u);
  for (size_t k = 0; k < got_b.ids.size(); ++k) EXPECT_EQ(got_b.ids[k], int64_t(k + 1));
  EXPECT_EQ(got_c.ids, std::vector<int64_t>{5000});
  EXPECT_EQ(b.stats().received, 1000u);
  // Batched: 256 events per stream entry.
  RedisClient raw(Endpoint());
  EXPECT_EQ(raw.Command({"XLEN", InboxKey("node-b")})->integer, 4);
}

TEST_F(IngestStreamsTest, EventsSentWhileTheOwnerIsDownArriveWhenItStarts) {
  InboxSender sender(Options("node-a"));
  {
    // The group exists from an earlier run of node-b.
    InboxReceiver first(Options("node-b"), [](auto&) {});
    first.Start();
    first.Stop();
  }
  ASSERT_TRUE(sender.Send("node-b", std::vector<ForwardedEvent>{Event(1), Event(2)}).ok());
  Collected got;
  InboxReceiver b(Options("node-b"), [&](auto& batch) { got.Add(batch); });
  b.Start();
  ASSERT_TRUE(got.WaitFor(2));
  b.Stop();
  EXPECT_EQ(got.ids, (std::vector<int64_t>{1, 2}));
}

TEST_F(IngestStreamsTest, UnacknowledgedEntriesAreDeliveredAgainAfterARestart) {
  InboxSender sender(Options("node-a"));
  // Read by node-b's group but never acknowledged: a node killed inside its handler.
  RedisClient raw(Endpoint());
  ASSERT_TRUE(
      raw.Command({"XGROUP", "CREATE", InboxKey("node-b"), "vitals", "0", "MKSTREAM"}).ok());
  ASSERT_TRUE(sender.Send("node-b", std::vector<ForwardedEvent>{Event(7), Event(8)}).ok());
  auto read = raw.Command({"XREADGROUP", "GROUP", "vitals", "node-b", "COUNT", "10", "STREAMS",
                           InboxKey("node-b"), ">"});
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(sender.Send("node-b", std::vector<ForwardedEvent>{Event(9)}).ok());
  Collected got;
  InboxReceiver b(Options("node-b"), [&](auto& batch) { got.Add(batch); });
  b.Start();
  ASSERT_TRUE(got.WaitFor(3));
  b.Stop();
  EXPECT_EQ(got.ids, (std::vector<int64_t>{7, 8, 9}));
  auto pending = raw.Command({"XPENDING", InboxKey("node-b"), "vitals"});
  ASSERT_TRUE(pending.ok());
  ASSERT_FALSE(pending->elements.empty());
  EXPECT_EQ(pending->elements[0].integer, 0) << "everything handled is acknowledged";
}

TEST_F(IngestStreamsTest, MalformedEntriesAreCountedAndSkipped) {
  Collected got;
  InboxReceiver b(Options("node-b"), [&](auto& batch) { got.Add(batch); });
  b.Start();
  RedisClient raw(Endpoint());
  ASSERT_TRUE(raw.Command({"XADD", InboxKey("node-b"), "*", "e", "not an event"}).ok());
  // A good event beside bad ones in one entry is kept.
  ASSERT_TRUE(raw.Command({"XADD", InboxKey("node-b"), "*", "e", EncodeForwarded(Event(2)), "x",
                           EncodeForwarded(Event(99)), "e", "junk"})
                  .ok());
  InboxSender sender(Options("node-a"));
  ASSERT_TRUE(sender.Send("node-b", std::vector<ForwardedEvent>{Event(3)}).ok());
  ASSERT_TRUE(got.WaitFor(2));
  b.Stop();
  EXPECT_EQ(got.ids, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(b.stats().malformed, 3u);
}

TEST_F(IngestStreamsTest, ReceiverSurvivesItsConnectionBeingKilled) {
  Collected got;
  InboxReceiver b(Options("node-b"), [&](auto& batch) { got.Add(batch); });
  b.Start();
  InboxSender sender(Options("node-a"));
  ASSERT_TRUE(sender.Send("node-b", std::vector<ForwardedEvent>{Event(1)}).ok());
  ASSERT_TRUE(got.WaitFor(1));
  RedisClient raw(Endpoint());
  ASSERT_TRUE(raw.Command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"}).ok());
  // The sender's connection died too; its next call reconnects.
  core::Status sent = sender.Send("node-b", std::vector<ForwardedEvent>{Event(2)});
  if (!sent.ok()) sent = sender.Send("node-b", std::vector<ForwardedEvent>{Event(2)});
  ASSERT_TRUE(sent.ok()) << sent.ToString();
  ASSERT_TRUE(got.WaitFor(2));
  b.Stop();
  EXPECT_GE(b.stats().read_errors, 1u);
}

TEST_F(IngestStreamsTest, SendToUnreachableRedisFailsWithinTheTimeout) {
  IngestStreamOptions o = Options("node-a");
  o.endpoint.port = 1;  // nothing listens there
  o.endpoint.timeout_ms = 300;
  InboxSender sender(o);
  core::Status s = sender.Send("node-b", std::vector<ForwardedEvent>{Event(1)});
  EXPECT_EQ(s.code(), core::StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("127.0.0.1:1"), std::string::npos) << s.message();
}

TEST_F(IngestStreamsTest, AWrongPasswordIsRefusedWithoutShowingIt) {
  const char* bad = std::getenv("VITALS_TEST_REDIS_BAD_URL");
  ASSERT_NE(bad, nullptr);
  IngestStreamOptions o = Options("node-a");
  o.endpoint = RedisEndpoint::FromUrl(bad).value();
  InboxSender sender(o);
  core::Status s = sender.Send("node-b", std::vector<ForwardedEvent>{Event(1)});
  EXPECT_EQ(s.code(), core::StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("AUTH refused"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find("wrong"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace vitals::cluster
