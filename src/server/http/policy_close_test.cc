// What the transport gives authentication: whether the bound address is a loopback one (open mode
// is decided on it), and closing a stream whose credentials were revoked.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/http/sse_client.h"
#include "server/http/test_handlers.h"
#include "server/http/websocket_client.h"

namespace vitals::server {
namespace {

using ::testing::HasSubstr;
using testing::kWait;
using testing::TestServer;

Headers Auth() {
  Headers headers;
  headers.Add("Authorization", "Bearer ok");
  return headers;
}

HttpServerOptions On(std::string address) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.address = std::move(address);
  return options;
}

TEST(BoundAddressTest, LoopbackIsTheBoundAddressNotTheName) {
  for (const char* name : {"127.0.0.1", "127.0.0.2", "localhost"}) {
    TestServer t(On(name));
    EXPECT_TRUE(t.server.loopback()) << name;
    EXPECT_EQ(t.server.bound_address().rfind("127.", 0), 0u) << name;
  }
  TestServer any(On("0.0.0.0"));
  EXPECT_FALSE(any.server.loopback());
  EXPECT_EQ(any.server.bound_address(), "0.0.0.0");
}

TEST(BoundAddressTest, Ipv6LoopbackAndV4MappedLoopback) {
  for (const char* name : {"::1", "::ffff:127.0.0.1"}) {
    TestServer t(On(name));
    EXPECT_TRUE(t.server.loopback()) << name << " bound to " << t.server.bound_address();
  }
  TestServer any(On("::"));
  EXPECT_FALSE(any.server.loopback());
}

TEST(PolicyCloseTest, WebSocketGetsCloseCode1008WithTheReason) {
  TestServer t;
  WebSocketClient client;
  ASSERT_TRUE(client.Connect("127.0.0.1", t.server.port(), "/ws", Auth(), kWait).ok());
  std::shared_ptr<StreamConnection> connection = t.streams.WaitForConnection(1);
  ASSERT_NE(connection, nullptr);
  connection->CloseForPolicy("api key revoked");
  EXPECT_FALSE(client.Read(kWait).ok());
  EXPECT_EQ(client.close_code(), 1008);
  EXPECT_EQ(client.close_reason(), "api key revoked");
  EXPECT_EQ(t.streams.WaitForClose(connection), 1);
}

TEST(PolicyCloseTest, SseSendsWhatIsQueuedThenEnds) {
  TestServer t;
  SseClient client;
  ASSERT_TRUE(client.Connect("127.0.0.1", t.server.port(), "/events", Auth(), kWait).ok());
  std::shared_ptr<StreamConnection> connection = t.streams.WaitForConnection(1);
  ASSERT_NE(connection, nullptr);
  connection->Send(std::make_shared<const std::string>("event: revoked\ndata: why\n\n"));
  connection->CloseForPolicy("api key revoked");
  core::Result<SseEvent> last = client.ReadEvent(kWait);
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_EQ(last->event, "revoked");
  core::Result<SseEvent> end = client.ReadEvent(kWait);
  ASSERT_FALSE(end.ok());
  EXPECT_THAT(end.status().message(), HasSubstr("stream closed"));
  EXPECT_EQ(t.streams.WaitForClose(connection), 1);
}

}  // namespace
}  // namespace vitals::server
