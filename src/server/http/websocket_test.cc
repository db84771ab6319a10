// WebSocket streams over real loopback sockets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "server/http/test_handlers.h"
#include "server/http/websocket_client.h"

namespace vitals::server {
namespace {

using ::testing::HasSubstr;
using testing::kWait;
using testing::TestServer;

constexpr std::chrono::milliseconds kTimeout = kWait;

Headers Auth() {
  Headers headers;
  headers.Add("Authorization", "Bearer ok");
  return headers;
}

std::shared_ptr<const std::string> Msg(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

TEST(WebSocketTest, AcceptedConnectionCarriesMessagesBothWays) {
  TestServer t;
  WebSocketClient client;
  ASSERT_TRUE(client.Connect("127.0.0.1", t.server.port(), "/ws?agent=a1", Auth(), kTimeout).ok());
  EXPECT_EQ(client.handshake_status(), 101);
  std::shared_ptr<StreamConnection> connection = t.streams.WaitForConnection(1);
  ASSERT_NE(connection, nullptr);
  EXPECT_EQ(connection->kind(), StreamKind::kWebSocket);
  EXPECT_EQ(t.streams.last_accepted()->Query("agent"), "a1");
  ASSERT_TRUE(client.Send("hello").ok());
  core::Result<std::string> echo = client.Read(kTimeout);
  ASSERT_TRUE(echo.ok()) << echo.status().ToString();
  EXPECT_EQ(*echo, "echo: hello");
  EXPECT_EQ(t.streams.messages(), std::vector<std::string>{"hello"});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(connection->Send(Msg("push " + std::to_string(i))));
  for (int i = 0; i < 3; ++i) {
    core::Result<std::string> pushed = client.Read(kTimeout);
    ASSERT_TRUE(pushed.ok()) << pushed.status().ToString();
    EXPECT_EQ(*pushed, "push " + std::to_string(i));
  }
  EXPECT_TRUE(client.Close().ok());
  EXPECT_EQ(t.streams.WaitForClose(connection), 1);
  EXPECT_TRUE(connection->closed());
  EXPECT_FALSE(connection->Send(Msg("after close")));
}

TEST(WebSocketTest, ServerCloseReachesTheClientWithItsReason) {
  TestServer t;
  WebSocketClient client;
  ASSERT_TRUE(client.Connect("127.0.0.1", t.server.port(), "/ws", Auth(), kTimeout).ok());
  std::shared_ptr<StreamConnection> connection = t.streams.WaitForConnection(1);
  ASSERT_NE(connection, nullptr);
  connection->Send(Msg("last words"));
  connection->Close("agent deleted");
  EXPECT_EQ(*client.Read(kTimeout), "last words");  // queued messages go out before the close
  core::Result<std::string> end = client.Read(kTimeout);
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(client.close_code(), 1000);
  EXPECT_EQ(client.close_reason(), "agent deleted");
  EXPECT_EQ(t.streams.WaitForClose(connection), 1);
}

TEST(WebSocketTest, AClientMessageBeyondTheLimitClosesWith1009) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.max_client_message_bytes = 1024;
  TestServer t(options);
  WebSocketClient client;
  ASSERT_TRUE(client.Connect("127.0.0.1", t.server.port(), "/ws", Auth(), kTimeout).ok());
  std::shared_ptr<StreamConnection> connection = t.streams.WaitForConnection(1);
  ASSERT_NE(connection, nullptr);
  ASSERT_TRUE(client.Send(std::string(1024, 'a')).ok());  // at the limit: delivered
  core::Result<std::string> echo = client.Read(kTimeout);
  ASSERT_TRUE(echo.ok()) << echo.status().ToString();
  EXPECT_EQ(echo->size(), 6u + 1024u);
  // Far beyond, so that the close handshake has to drain the rest for the 1009 to arrive.
  ASSERT_TRUE(client.Send(std::string(300 * 1024, 'b')).ok());
  core::Result<std::string> after = client.Read(kTimeout);
  EXPECT_FALSE(after.ok());
  EXPECT_EQ(client.close_code(), 1009);
  EXPECT_EQ(client.close_reason(), "message too big");
  EXPECT_EQ(t.streams.WaitForClose(connection), 1);
  EXPECT_EQ(t.streams.messages().size(), 1u);  // the big one never reached the handler
}

TEST(WebSocketTest, RefusedUpgradeGetsTheHandlersResponse) {
  TestServer t;
  WebSocketClient client;
  core::Status status = client.Connect("127.0.0.1", t.server.port(), "/ws", {}, kTimeout);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(client.handshake_status(), 401);
  EXPECT_THAT(status.message(), HasSubstr("401"));
  EXPECT_THAT(status.message(), HasSubstr("missing credentials"));
  EXPECT_EQ(t.streams.connections(), 0u);
}

// A client that stops reading fills its queue and is cut off with the slow-client reason, while
// another client of the same server keeps receiving every message in order.
TEST(WebSocketTest, SlowClientIsClosedWhileOthersKeepReceiving) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.max_queued_messages = 64;
  options.close_timeout = std::chrono::seconds(60);  // the goodbye waits until we read again
  TestServer t(options);
  WebSocketClient slow, fast;
  slow.set_receive_buffer_bytes(4096);
  ASSERT_TRUE(slow.Connect("127.0.0.1", t.server.port(), "/ws", Auth(), kTimeout).ok());
  std::shared_ptr<StreamConnection> slow_connection = t.streams.WaitForConnection(1);
  ASSERT_TRUE(fast.Connect("127.0.0.1", t.server.port(), "/ws", Auth(), kTimeout).ok());
  std::shared_ptr<StreamConnection> fast_connection = t.streams.WaitForConnection(2);
  ASSERT_NE(fast_connection, nullptr);

  constexpr int kMessages = 2000;
  const std::string payload(16 * 1024, 'p');
  std::atomic<int> fast_received{0};
  std::thread reader([&] {
    for (int i = 0; i < kMessages; ++i) {
      core::Result<std::string> message = fast.Read(kTimeout);
      if (!message.ok() || *message != std::to_string(i) + payload) return;
      fast_received = i + 1;
    }
  });
  int slow_accepted = 0;
  bool slow_refused = false;
  for (int i = 0; i < kMessages; ++i) {
    auto message = Msg(std::to_string(i) + payload);
    if (!slow_refused) {
      if (slow_connection->Send(message)) {
        ++slow_accepted;
      } else {
        slow_refused = true;
      }
    }
    // The producer paces itself on the fast client only, as a fan-out would not.
    while (fast_connection->queued() > 32) std::this_thread::yield();
    ASSERT_TRUE(fast_connection->Send(message)) << "fast client dropped at " << i;
  }
  reader.join();
  EXPECT_EQ(fast_received, kMessages);
  EXPECT_FALSE(fast_connection->closed());
  ASSERT_TRUE(slow_refused) << "the slow client absorbed all " << slow_accepted;
  EXPECT_TRUE(slow_connection->closed());
  EXPECT_EQ(t.streams.WaitForClose(slow_connection), 1);

  // Reading again, the slow client drains what the kernel buffered and then finds the close.
  core::Result<std::string> message = slow.Read(kTimeout);
  int drained = 0;
  for (; message.ok(); message = slow.Read(kTimeout)) ++drained;
  EXPECT_LT(drained, slow_accepted);
  std::printf("slow client: %d accepted, %d delivered\n", slow_accepted, drained);
  EXPECT_EQ(slow.close_code(), 1008) << message.status().ToString();
  EXPECT_EQ(slow.close_reason(), "client too slow: 64 messages queued");
}

}  // namespace
}  // namespace vitals::server
