// Server-Sent-Events streams over real loopback sockets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "server/http/sse_client.h"
#include "server/http/test_handlers.h"

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

TEST(SseTest, StreamsHeadersEventsAndKeepalives) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.sse_keepalive_interval = std::chrono::milliseconds(200);
  TestServer t(options);
  SseClient client;
  Headers headers = Auth();
  headers.Add("Last-Event-ID", "41");
  ASSERT_TRUE(client.Connect("127.0.0.1", t.server.port(), "/events", headers, kTimeout).ok());
  EXPECT_EQ(client.status(), 200);
  EXPECT_EQ(client.headers().Get("Content-Type"), "text/event-stream");
  EXPECT_EQ(client.headers().Get("Cache-Control"), "no-cache");
  EXPECT_EQ(client.headers().Get("Connection"), "keep-alive");
  std::shared_ptr<StreamConnection> connection = t.streams.WaitForConnection(1);
  ASSERT_NE(connection, nullptr);
  EXPECT_EQ(connection->kind(), StreamKind::kServerSentEvents);
  EXPECT_EQ(t.streams.last_accepted()->headers.Get("Last-Event-ID"), "41");

  EXPECT_TRUE(connection->Send(Msg("id: 42\nevent: health_update\ndata: {\"score\":97}\n\n")));
  EXPECT_TRUE(connection->Send(Msg("id: 43\ndata: second\n\n")));
  core::Result<SseEvent> event = client.ReadEvent(kTimeout);
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->id, "42");
  EXPECT_EQ(event->event, "health_update");
  EXPECT_EQ(event->data, "{\"score\":97}");
  event = client.ReadEvent(kTimeout);
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->data, "second");

  // Quiet for a while: a keepalive comment arrives.
  event = client.ReadEvent(kTimeout);
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_TRUE(event->is_comment);
  EXPECT_EQ(event->comment, "keepalive");

  client.Close();
  EXPECT_EQ(t.streams.WaitForClose(connection), 1);
  EXPECT_FALSE(connection->Send(Msg("data: gone\n\n")));
}

TEST(SseTest, RefusedStreamGetsTheHandlersResponse) {
  TestServer t;
  SseClient client;
  core::Status status = client.Connect("127.0.0.1", t.server.port(), "/events", {}, kTimeout);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(client.status(), 401);
  EXPECT_THAT(status.message(), HasSubstr("missing credentials"));
}

TEST(SseTest, ApplicationCloseEndsTheStreamAfterQueuedEvents) {
  TestServer t;
  SseClient client;
  ASSERT_TRUE(client.Connect("127.0.0.1", t.server.port(), "/events", Auth(), kTimeout).ok());
  std::shared_ptr<StreamConnection> connection = t.streams.WaitForConnection(1);
  ASSERT_NE(connection, nullptr);
  connection->Send(Msg("data: bye\n\n"));
  connection->Close("done");
  EXPECT_EQ(client.ReadEvent(kTimeout)->data, "bye");
  core::Result<SseEvent> end = client.ReadEvent(kTimeout);
  ASSERT_FALSE(end.ok());
  EXPECT_THAT(end.status().message(), HasSubstr("stream closed"));
  EXPECT_EQ(t.streams.WaitForClose(connection), 1);
}

TEST(SseTest, SlowClientIsClosed) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.max_queued_messages = 16;
  TestServer t(options);
  SseClient client;
  client.set_receive_buffer_bytes(4096);
  ASSERT_TRUE(client.Connect("127.0.0.1", t.server.port(), "/events", Auth(), kTimeout).ok());
  std::shared_ptr<StreamConnection> connection = t.streams.WaitForConnection(1);
  ASSERT_NE(connection, nullptr);
  const std::string block = "data: " + std::string(16 * 1024, 'x') + "\n\n";
  int accepted = 0;
  for (int i = 0; i < 5000; ++i) {
    // Paced as for a reader that keeps up: only a client that stopped reading falls behind.
    for (int wait = 0; wait < 20 && connection->queued() > 4; ++wait) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (!connection->Send(Msg(block))) break;
    ++accepted;
  }
  ASSERT_LT(accepted, 5000) << "the queue never filled";
  EXPECT_TRUE(connection->closed());
  EXPECT_EQ(t.streams.WaitForClose(connection), 1);
  // The client gets what the kernel buffered, then the end of the stream.
  int events = 0;
  core::Result<SseEvent> event = client.ReadEvent(kTimeout);
  for (; event.ok(); event = client.ReadEvent(kTimeout)) ++events;
  EXPECT_LT(events, accepted);
  EXPECT_THAT(event.status().message(), HasSubstr("stream closed"));
}

}  // namespace
}  // namespace vitals::server
