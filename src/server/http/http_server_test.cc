// The HTTP side of the transport, over real loopback sockets.
#include "server/http/http_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "server/http/http_client.h"
#include "server/http/sse_client.h"
#include "server/http/test_handlers.h"
#include "server/http/websocket_client.h"

namespace vitals::server {
namespace {

using testing::Count;
using ::testing::HasSubstr;
using testing::kWait;
using testing::MustRequest;
using testing::RawConnection;
using testing::TestServer;

constexpr std::chrono::milliseconds kTimeout = kWait;

TEST(HttpServerTest, RoundTripDecodesPathQueryAndHeaders) {
  TestServer t;
  t.requests.set_reply([](HttpRequest request, Responder respond) {
    HttpResponse response = HttpResponse::Text(201, "got " + request.body, "text/plain");
    response.headers.emplace_back("X-Path", request.path);
    respond(std::move(response));
  });
  HttpClient client("127.0.0.1", t.server.port());
  Headers headers;
  headers.Add("X-Api-Key", "secret");
  ClientResponse response = MustRequest(
      client, Method::kPost, "/v1/agents/a%20b/events?limit=5&name=x+y&flag", "payload", headers);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "got payload");
  EXPECT_EQ(response.headers.Get("Content-Type"), "text/plain");
  EXPECT_EQ(response.headers.Get("x-path"), "/v1/agents/a b/events");
  std::optional<HttpRequest> request = t.requests.last_request();
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->method, Method::kPost);
  EXPECT_EQ(request->target, "/v1/agents/a%20b/events?limit=5&name=x+y&flag");
  EXPECT_EQ(request->Query("limit"), "5");
  EXPECT_EQ(request->Query("name"), "x y");
  EXPECT_EQ(request->Query("flag"), "");
  EXPECT_EQ(request->headers.Get("x-api-key"), "secret");
  EXPECT_EQ(request->remote_address, "127.0.0.1");
  EXPECT_TRUE(request->remote_is_loopback);
}

TEST(HttpServerTest, KeepAliveAndPipelinedRequestsShareOneConnection) {
  TestServer t;
  t.requests.set_reply([](HttpRequest request, Responder respond) {
    respond(HttpResponse::Text(200, request.path));
  });
  HttpClient client("127.0.0.1", t.server.port());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(MustRequest(client, Method::kGet, "/n" + std::to_string(i)).body,
              "/n" + std::to_string(i));
    EXPECT_TRUE(client.connected());
  }
  // Three requests in one write; the answers come back in order on the same connection.
  RawConnection raw(t.server.port());
  ASSERT_TRUE(
      raw.SendAll("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                  "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                  "GET /c HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string received =
      raw.ReadUntil([](const std::string& r) { return r.size() >= 2 && r.back() == 'c'; });
  ASSERT_EQ(Count(received, "HTTP/1.1 200 OK"), 3u) << received;
  const size_t a = received.find("\r\n\r\n/a"), b = received.find("\r\n\r\n/b"),
               c = received.find("\r\n\r\n/c");
  ASSERT_NE(c, std::string::npos) << received;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST(HttpServerTest, ResponderMayBeCalledLaterFromAnotherThread) {
  TestServer t;
  std::vector<std::thread> workers;
  std::mutex mu;
  t.requests.set_reply([&](HttpRequest request, Responder respond) {
    std::lock_guard<std::mutex> lock(mu);
    workers.emplace_back([respond = std::move(respond), path = request.path] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      respond(HttpResponse::Json(202, "{\"path\":\"" + path + "\"}"));
      respond(HttpResponse::Json(500, "{}"));  // a second call is ignored
    });
  });
  HttpClient client("127.0.0.1", t.server.port());
  for (const char* path : {"/later", "/again"}) {
    ClientResponse response = MustRequest(client, Method::kGet, path);
    EXPECT_EQ(response.status, 202);
    EXPECT_EQ(response.body, std::string("{\"path\":\"") + path + "\"}");
  }
  std::lock_guard<std::mutex> lock(mu);
  for (std::thread& worker : workers) worker.join();
}

// The path acknowledgements take: a batch of Responders answered inside one serial-executor task
// (they are written from that event loop thread), tasks in order, refused once stopped.
TEST(HttpServerTest, SerialExecutorRunsTasksInOrderAndAnswersRespondersFromTheLoop) {
  auto t = std::make_unique<TestServer>();
  std::function<bool(std::function<void()>)> executor = t->server.NewSerialExecutor();
  ASSERT_TRUE(executor);
  std::mutex mu;
  std::vector<Responder> parked;
  t->requests.set_reply([&](HttpRequest, Responder respond) {
    std::lock_guard<std::mutex> lock(mu);
    parked.push_back(std::move(respond));
  });
  constexpr int kClients = 4;
  std::vector<std::thread> clients;
  std::atomic<int> answered{0};
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, port = t->server.port()] {
      HttpClient client("127.0.0.1", port);
      if (MustRequest(client, Method::kPost, "/batch", "x").status == 200) ++answered;
    });
  }
  for (auto until = std::chrono::steady_clock::now() + kWait;
       t->requests.requests() < kClients && std::chrono::steady_clock::now() < until;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(t->requests.requests(), kClients);
  std::vector<int> order;
  std::mutex order_mu;
  std::atomic<bool> on_caller{false};
  const std::thread::id caller = std::this_thread::get_id();
  for (int k = 0; k < 100; ++k) {
    ASSERT_TRUE(executor([&, k] {
      if (std::this_thread::get_id() == caller) on_caller = true;
      std::lock_guard<std::mutex> lock(order_mu);
      order.push_back(k);
    }));
  }
  ASSERT_TRUE(executor([&] {
    std::lock_guard<std::mutex> lock(mu);
    for (Responder& respond : parked) respond(HttpResponse::Text(200, "ok"));
  }));
  for (std::thread& c : clients) c.join();
  EXPECT_EQ(answered.load(), kClients);
  {
    std::lock_guard<std::mutex> lock(order_mu);
    ASSERT_EQ(order.size(), 100u);
    EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
  }
  EXPECT_FALSE(on_caller.load());
  t->server.Stop();
  bool ran = false;
  EXPECT_FALSE(executor([&] { ran = true; }));
  EXPECT_FALSE(ran);
}

TEST(HttpServerTest, HeadGetsHeadersWithoutBody) {
  TestServer t;
  t.requests.set_reply(
      [](HttpRequest, Responder respond) { respond(HttpResponse::Text(200, "twelve bytes")); });
  HttpClient client("127.0.0.1", t.server.port());
  ClientResponse response = MustRequest(client, Method::kHead, "/x");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.Get("Content-Length"), "12");
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(MustRequest(client, Method::kGet, "/x").body, "twelve bytes");  // still in sync
}

TEST(HttpServerTest, ConnectionRefusedIsUnavailableNamingTheAddress) {
  uint16_t port = 0;
  {
    TestServer t;
    port = t.server.port();
  }
  HttpClient client("127.0.0.1", port);
  core::Result<ClientResponse> response = client.Request(Method::kGet, "/", {}, {}, kTimeout);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), core::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("127.0.0.1:" + std::to_string(port)));
  EXPECT_THAT(response.status().message(), HasSubstr("refused"));
}

TEST(HttpServerTest, APublicOnlyClientRefusesLoopbackAndPrivateAddressesBeforeConnecting) {
  TestServer t;
  for (const char* host : {"127.0.0.1", "localhost", "::ffff:127.0.0.1", "10.0.0.1", "0.0.0.0"}) {
    HttpClient client(host, t.server.port());
    client.set_public_only(true);
    core::Result<ClientResponse> response = client.Request(Method::kGet, "/", {}, {}, kTimeout);
    ASSERT_FALSE(response.ok()) << host;
    EXPECT_EQ(response.status().code(), core::StatusCode::kPermissionDenied) << host;
    EXPECT_THAT(response.status().message(), HasSubstr("--allow-private-targets"));
  }
  EXPECT_FALSE(t.requests.last_request().has_value());
}

TEST(HttpServerTest, BindFailureNamesTheAddressAndReason) {
  TestServer t;
  HttpServerOptions options = TestServer::DefaultOptions();
  options.port = t.server.port();
  testing::RecordingHandler requests;
  testing::RecordingStreams streams;
  HttpServer second(options, requests, streams);
  core::Status status = second.Start();
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("127.0.0.1:" + std::to_string(t.server.port())));
  EXPECT_THAT(status.message(), HasSubstr("in use"));
}

TEST(HttpServerTest, StopWithOpenConnectionsReturnsPromptly) {
  HttpServerOptions options = TestServer::DefaultOptions();
  options.shutdown_timeout = std::chrono::milliseconds(300);  // the request parked is dropped
  auto t = std::make_unique<TestServer>(options);
  Responder parked;
  std::mutex mu;
  t->requests.set_reply([&](HttpRequest, Responder respond) {
    std::lock_guard<std::mutex> lock(mu);
    parked = std::move(respond);  // never answered before Stop()
  });
  const uint16_t port = t->server.port();
  RawConnection pending(port);
  ASSERT_TRUE(pending.SendAll("GET /parked HTTP/1.1\r\nHost: x\r\n\r\n"));
  RawConnection idle(port);
  Headers auth;
  auth.Add("Authorization", "Bearer ok");
  WebSocketClient ws;
  ASSERT_TRUE(ws.Connect("127.0.0.1", port, "/ws", auth, kTimeout).ok());
  SseClient sse;
  ASSERT_TRUE(sse.Connect("127.0.0.1", port, "/events", auth, kTimeout).ok());
  std::shared_ptr<StreamConnection> ws_connection = t->streams.WaitForConnection(1);
  std::shared_ptr<StreamConnection> sse_connection = t->streams.WaitForConnection(2);
  ASSERT_NE(sse_connection, nullptr);
  for (auto until = std::chrono::steady_clock::now() + kWait;
       t->requests.requests() == 0 && std::chrono::steady_clock::now() < until;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(t->requests.requests(), 1);
  const auto start = std::chrono::steady_clock::now();
  t->server.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(t->streams.close_calls(ws_connection), 1);
  EXPECT_EQ(t->streams.close_calls(sse_connection), 1);
  EXPECT_TRUE(ws_connection->closed());
  EXPECT_FALSE(ws_connection->Send(std::make_shared<const std::string>("late")));
  std::lock_guard<std::mutex> lock(mu);
  if (parked) parked(HttpResponse::Text(200, "too late"));  // ignored, no crash
  EXPECT_FALSE(ws.Read(kTimeout).ok());
  EXPECT_FALSE(sse.ReadEvent(kTimeout).ok());
  EXPECT_EQ(pending.ReadUntil([](const std::string&) { return false; }), "");  // closed, no answer
}

TEST(HttpServerTest, StopAnswersTheRequestsItHasReadBeforeClosing) {
  TestServer t;
  Responder parked;
  std::mutex mu;
  t.requests.set_reply([&](HttpRequest request, Responder respond) {
    if (request.path != "/parked") return respond(HttpResponse::Text(200, "quick"));
    std::lock_guard<std::mutex> lock(mu);
    parked = std::move(respond);
  });
  RawConnection pending(t.server.port()), idle(t.server.port()), late(t.server.port());
  ASSERT_TRUE(pending.SendAll("GET /parked HTTP/1.1\r\nHost: x\r\n\r\n"));
  for (auto until = std::chrono::steady_clock::now() + kWait;
       t.requests.requests() == 0 && std::chrono::steady_clock::now() < until;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::thread stopping([&t] { t.server.Stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // Sent on a kept-alive connection as the stop began: still answered, and the last answer.
  ASSERT_TRUE(late.SendAll("GET /late HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string late_answer = late.ReadUntil([](const std::string&) { return false; });
  EXPECT_THAT(late_answer, HasSubstr("HTTP/1.1 200"));
  EXPECT_THAT(late_answer, HasSubstr("Connection: close"));
  {
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_TRUE(parked);
    parked(HttpResponse::Text(200, "worth the wait"));
  }
  stopping.join();
  const std::string answer = pending.ReadUntil([](const std::string&) { return false; });
  EXPECT_THAT(answer, HasSubstr("HTTP/1.1 200"));
  EXPECT_THAT(answer, HasSubstr("Connection: close"));
  EXPECT_THAT(answer, HasSubstr("worth the wait"));
  EXPECT_EQ(idle.ReadUntil([](const std::string&) { return false; }), "");  // closed, idle
  EXPECT_TRUE(idle.PeerClosed());
}

}  // namespace
}  // namespace vitals::server
