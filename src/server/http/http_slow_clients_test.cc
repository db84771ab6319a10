// Slow and greedy clients: request deadlines, the per-address cap, and room for quick clients
// when the server is full. Real loopback sockets, short deadlines.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "server/http/http_client.h"
#include "server/http/http_server.h"
#include "server/http/test_handlers.h"

namespace vitals::server {
namespace {

using ::testing::HasSubstr;
using testing::MustRequest;
using testing::RawConnection;
using testing::TestServer;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kHalfHead[] = "GET / HTTP/1.1\r\nHo";
constexpr char kFullRequest[] = "GET /quick HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

// Everything until the server closes (or `timeout`), and whether it closed in time.
std::pair<std::string, bool> ReadToClose(RawConnection& c, milliseconds timeout) {
  std::string received = c.ReadUntil([](const std::string&) { return false; }, timeout);
  return {received, c.PeerClosed()};
}

HttpServerOptions ShortDeadlines() {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.header_timeout = milliseconds(300);
  options.body_timeout = milliseconds(300);
  return options;
}

TEST(HttpSlowClientsTest, AHeadOrBodyNotCompleteInTimeGets408AndTheConnectionCloses) {
  TestServer t(ShortDeadlines());
  RawConnection half(t.server.port()), body(t.server.port()), silent(t.server.port()),
      drip(t.server.port());
  ASSERT_TRUE(half.SendAll(kHalfHead));
  ASSERT_TRUE(body.SendAll("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"));
  // Progress does not move the deadline: a header line every 50 ms for a second.
  std::thread dripping([&drip] {
    drip.SendAll("GET / HTTP/1.1\r\n");
    for (int i = 0; i < 20 && drip.SendAll("X-Slow: yes\r\n"); ++i) {
      std::this_thread::sleep_for(milliseconds(50));
    }
  });
  auto [half_got, half_closed] = ReadToClose(half, milliseconds(5000));
  EXPECT_TRUE(half_closed);
  EXPECT_THAT(half_got, HasSubstr("HTTP/1.1 408"));
  EXPECT_THAT(half_got, HasSubstr("request head not received in time"));
  auto [body_got, body_closed] = ReadToClose(body, milliseconds(5000));
  EXPECT_TRUE(body_closed);
  EXPECT_THAT(body_got, HasSubstr("request body not received in time"));
  auto [silent_got, silent_closed] = ReadToClose(silent, milliseconds(5000));
  EXPECT_TRUE(silent_closed);
  EXPECT_EQ(silent_got, "");  // nothing asked, nothing answered
  const auto drip_start = Clock::now();
  auto [drip_got, drip_closed] = ReadToClose(drip, milliseconds(5000));
  dripping.join();
  EXPECT_TRUE(drip_closed);
  EXPECT_THAT(drip_got, HasSubstr("HTTP/1.1 408"));
  EXPECT_LT(Clock::now() - drip_start, milliseconds(900));  // not the whole second of dripping
  EXPECT_EQ(t.requests.requests(), 0);
  HttpClient client("127.0.0.1", t.server.port());
  EXPECT_EQ(MustRequest(client, Method::kGet, "/").status, 200);
}

TEST(HttpSlowClientsTest, AKeptAliveConnectionIdleBeyondTheIdleTimeoutIsClosed) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.idle_timeout = milliseconds(300);
  TestServer t(options);
  RawConnection kept(t.server.port());
  ASSERT_TRUE(kept.SendAll("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto [got, closed] = ReadToClose(kept, milliseconds(5000));
  EXPECT_TRUE(closed);
  EXPECT_EQ(testing::Count(got, "HTTP/1.1 200"), 1u);
}

TEST(HttpSlowClientsTest, OneAddressBeyondItsCapIsRefusedWhileOthersAreServed) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.max_connections_per_peer = 4;
  TestServer t(options);
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 4; ++i) {
    slow.push_back(std::make_unique<RawConnection>(t.server.port()));
    ASSERT_TRUE(slow.back()->SendAll(kHalfHead));
  }
  RawConnection fifth(t.server.port());
  ASSERT_TRUE(fifth.SendAll(kFullRequest));
  auto [refused, closed] = ReadToClose(fifth, milliseconds(5000));
  EXPECT_TRUE(closed);
  EXPECT_THAT(refused, HasSubstr("HTTP/1.1 503"));
  EXPECT_THAT(refused, HasSubstr("too many connections from this address"));
  RawConnection other(t.server.port(), "127.0.0.2");
  ASSERT_TRUE(other.connected());
  ASSERT_TRUE(other.SendAll(kFullRequest));
  auto [served, other_closed] = ReadToClose(other, milliseconds(5000));
  EXPECT_THAT(served, HasSubstr("HTTP/1.1 200"));
  // Once one of the slow ones goes, the address may connect again.
  slow.pop_back();
  int status = 0;
  HttpClient client("127.0.0.1", t.server.port());
  for (auto until = Clock::now() + testing::kWait; status != 200 && Clock::now() < until;) {
    status = MustRequest(client, Method::kGet, "/again").status;
    if (status != 200) std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(status, 200);
}

TEST(HttpSlowClientsTest, AtTheConnectionLimitSlowHeadsMakeRoomForQuickRequests) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.max_connections = 8;
  TestServer t(options);
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 8; ++i) {
    slow.push_back(std::make_unique<RawConnection>(t.server.port()));
    ASSERT_TRUE(slow.back()->SendAll(kHalfHead));
    std::this_thread::sleep_for(milliseconds(5));  // an order of age
  }
  for (int i = 0; i < 3; ++i) {
    RawConnection quick(t.server.port());
    ASSERT_TRUE(quick.SendAll(kFullRequest));
    auto [got, closed] = ReadToClose(quick, milliseconds(5000));
    EXPECT_THAT(got, HasSubstr("HTTP/1.1 200")) << i;
  }
  // The oldest slow ones made the room; the youngest still wait.
  auto [oldest_got, oldest_closed] = ReadToClose(*slow.front(), milliseconds(2000));
  EXPECT_TRUE(oldest_closed);
  EXPECT_EQ(oldest_got, "");
  auto [youngest_got, youngest_closed] = ReadToClose(*slow.back(), milliseconds(200));
  EXPECT_FALSE(youngest_closed);
}

}  // namespace
}  // namespace vitals::server
