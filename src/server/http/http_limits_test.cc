// What the transport refuses, and how: over-large bodies, bad encodings, malformed requests,
// too many connections, idle connections. Real loopback sockets throughout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

#include "server/http/http_client.h"
#include "server/http/http_server.h"
#include "server/http/test_handlers.h"

namespace vitals::server {
namespace {

using ::testing::HasSubstr;
using testing::kWait;
using testing::MustRequest;
using testing::RawConnection;
using testing::TestServer;

TEST(HttpLimitsTest, OversizedBodyGets413AndTheServerKeepsServing) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.max_body_bytes = 1024;
  TestServer t(options);
  HttpClient client("127.0.0.1", t.server.port());
  ClientResponse response = MustRequest(client, Method::kPost, "/big", std::string(2 << 20, 'x'));
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.body, "{\"error\":\"body exceeds 1024 bytes\",\"status\":413}");
  EXPECT_EQ(response.headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(t.requests.requests(), 0);
  // Refused from the head alone: the announced body never has to arrive.
  RawConnection raw(t.server.port());
  ASSERT_TRUE(raw.SendAll("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n"));
  EXPECT_THAT(raw.ReadUntil([](const std::string& r) { return r.find("}") != std::string::npos; }),
              HasSubstr("413"));
  EXPECT_EQ(MustRequest(client, Method::kPost, "/small", std::string(1024, 'y')).status, 200);
}

TEST(HttpLimitsTest, GzipBodiesAreInflatedWithinTheLimit) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.max_body_bytes = 64 * 1024;
  TestServer t(options);
  t.requests.set_reply([](HttpRequest request, Responder respond) {
    respond(HttpResponse::Text(200, std::to_string(request.body.size())));
  });
  HttpClient client("127.0.0.1", t.server.port());
  client.set_gzip_requests(true);
  const std::string body = "{\"events\":[" + std::string(50000, ' ') + "]}";
  EXPECT_EQ(MustRequest(client, Method::kPost, "/ingest", body).body, std::to_string(body.size()));
  EXPECT_EQ(t.requests.last_request()->body, body);
  // A small body that inflates beyond max_body_bytes.
  ClientResponse bomb = MustRequest(client, Method::kPost, "/ingest", std::string(1 << 20, '0'));
  EXPECT_EQ(bomb.status, 413);
  EXPECT_THAT(bomb.body, HasSubstr("decompressed size exceeds 65536 bytes"));
}

TEST(HttpLimitsTest, CorruptGzipGets400AndUnknownEncodingGets415) {
  TestServer t;
  HttpClient client("127.0.0.1", t.server.port());
  Headers gzip;
  gzip.Add("Content-Encoding", "gzip");
  ClientResponse corrupt = MustRequest(client, Method::kPost, "/x", "definitely not gzip", gzip);
  EXPECT_EQ(corrupt.status, 400);
  EXPECT_EQ(corrupt.body, "{\"error\":\"body: invalid gzip\",\"status\":400}");
  Headers brotli;
  brotli.Add("Content-Encoding", "br");
  ClientResponse unknown = MustRequest(client, Method::kPost, "/x", "abc", brotli);
  EXPECT_EQ(unknown.status, 415);
  EXPECT_THAT(unknown.body, HasSubstr("unsupported content-encoding: br"));
  EXPECT_EQ(t.requests.requests(), 0);
  EXPECT_EQ(MustRequest(client, Method::kGet, "/fine").status, 200);
}

TEST(HttpLimitsTest, MalformedTargetGets400) {
  TestServer t;
  HttpClient client("127.0.0.1", t.server.port());
  ClientResponse response = MustRequest(client, Method::kGet, "/bad%zzescape");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, "{\"error\":\"malformed request target\",\"status\":400}");
  // Not HTTP at all: 400 and the connection ends.
  RawConnection raw(t.server.port());
  ASSERT_TRUE(raw.SendAll("HELLO THERE\r\n\r\n"));
  EXPECT_THAT(raw.ReadUntil([](const std::string&) { return false; }), HasSubstr("400"));
}

TEST(HttpLimitsTest, ConnectionsBeyondTheLimitGet503WithRetryAfter) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.max_connections = 2;
  TestServer t(options);
  // Two connections whose requests are being handled: nothing to shed for a third.
  std::mutex mu;
  std::vector<Responder> held;
  t.requests.set_reply([&](HttpRequest, Responder respond) {
    std::lock_guard<std::mutex> lock(mu);
    held.push_back(std::move(respond));
  });
  RawConnection first(t.server.port()), second(t.server.port());
  ASSERT_TRUE(first.SendAll("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(second.SendAll("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n"));
  for (auto until = std::chrono::steady_clock::now() + kWait;
       t.requests.requests() < 2 && std::chrono::steady_clock::now() < until;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  HttpClient third("127.0.0.1", t.server.port());
  ClientResponse busy = MustRequest(third, Method::kGet, "/3");
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.headers.Get("Retry-After"), "1");
  EXPECT_EQ(busy.body, "{\"error\":\"too many connections\",\"status\":503}");
  EXPECT_FALSE(third.connected());  // the server closed it
  t.requests.set_reply(nullptr);
  {
    std::lock_guard<std::mutex> lock(mu);
    for (Responder& respond : held) respond(HttpResponse::Text(200, "late"));
  }
  // Answered, the two wait for their next request and a new connection may take a place.
  int status = 0;
  for (auto until = std::chrono::steady_clock::now() + kWait;
       status != 200 && std::chrono::steady_clock::now() < until;) {
    status = MustRequest(third, Method::kGet, "/3").status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status, 200);
}

TEST(HttpLimitsTest, ExpectContinueIsAnsweredBeforeTheBody) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.max_body_bytes = 1024;
  TestServer t(options);
  RawConnection raw(t.server.port());
  ASSERT_TRUE(raw.SendAll(
      "POST /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  EXPECT_EQ(raw.ReadUntil([](const std::string& r) { return r.size() >= 25; }),
            "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(raw.SendAll("hello"));
  EXPECT_THAT(raw.ReadUntil([](const std::string& r) { return r.find("ok") != std::string::npos; }),
              HasSubstr("HTTP/1.1 200 OK"));
  EXPECT_EQ(t.requests.last_request()->body, "hello");
  // Too large: refused at once, without inviting the body.
  RawConnection big(t.server.port());
  ASSERT_TRUE(big.SendAll(
      "POST /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n"));
  const std::string refused = big.ReadUntil([](const std::string&) { return false; });
  EXPECT_THAT(refused, HasSubstr("HTTP/1.1 413"));
  EXPECT_THAT(refused, ::testing::Not(HasSubstr("100 Continue")));
}

TEST(HttpLimitsTest, IdleConnectionsAreClosed) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.idle_timeout = std::chrono::milliseconds(200);
  options.header_timeout = std::chrono::milliseconds(200);
  TestServer t(options);
  HttpClient client("127.0.0.1", t.server.port());
  EXPECT_EQ(MustRequest(client, Method::kGet, "/").status, 200);
  RawConnection silent(t.server.port());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(silent.ReadUntil([](const std::string&) { return false; }), "");  // EOF, no answer
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // The client notices its kept-alive connection went away and reconnects.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(MustRequest(client, Method::kGet, "/").status, 200);
}

}  // namespace
}  // namespace vitals::server
