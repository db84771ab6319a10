// The prober against real loopback targets: a real HttpServer, a socket that accepts but never
// answers, and a port nobody listens on.
#include "server/http/probe_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "server/http/test_handlers.h"

namespace vitals::server {
namespace {

using std::chrono::milliseconds;
using testing::kWait;
using testing::SilentListener;
using testing::TestServer;

ProbeRequest HttpTo(uint16_t port, std::string target = "/health") {
  ProbeRequest r;
  r.host = "127.0.0.1";
  r.port = port;
  r.target = std::move(target);
  r.timeout = milliseconds(5000);
  return r;
}

ProbeResult ProbeAndWait(ProbeClient& client, ProbeRequest request) {
  auto promise = std::make_shared<std::promise<ProbeResult>>();
  auto future = promise->get_future();
  client.Probe(std::move(request), [promise](ProbeResult r) { promise->set_value(std::move(r)); });
  if (future.wait_for(kWait) != std::future_status::ready) {
    ADD_FAILURE() << "probe never completed";
    return {};
  }
  return future.get();
}

TEST(ProbeClientTest, ReportsStatusBodyAndSendsTheRequest) {
  TestServer target;
  target.requests.set_reply(
      [](HttpRequest, Responder respond) { respond(HttpResponse::Text(503, "maintenance")); });
  auto client = ProbeClient::Create();
  ProbeRequest request = HttpTo(target.server.port(), "/health?deep=1");
  request.headers = {{"X-Probe", "yes"}};
  const ProbeResult r = ProbeAndWait(*client, request);
  EXPECT_TRUE(r.connected);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.status_code, 503);
  EXPECT_EQ(r.body, "maintenance");
  EXPECT_FALSE(r.body_truncated);
  EXPECT_GT(r.latency_ms, 0);
  auto seen = target.requests.last_request();
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->path, "/health");
  EXPECT_EQ(seen->Query("deep"), "1");
  EXPECT_EQ(seen->headers.Get("X-Probe"), "yes");
}

TEST(ProbeClientTest, CutsTheBodyAtTheCap) {
  TestServer target;
  target.requests.set_reply([](HttpRequest, Responder respond) {
    respond(HttpResponse::Text(200, std::string(300'000, 'x')));
  });
  auto client = ProbeClient::Create();
  ProbeRequest request = HttpTo(target.server.port());
  request.max_body_bytes = 1000;
  const ProbeResult r = ProbeAndWait(*client, request);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.status_code, 200);
  EXPECT_EQ(r.body.size(), 1000u);
  EXPECT_TRUE(r.body_truncated);
}

TEST(ProbeClientTest, ATargetThatNeverAnswersTimesOutAtTheTimeout) {
  SilentListener silent;
  auto client = ProbeClient::Create();
  ProbeRequest request = HttpTo(silent.port());
  request.timeout = milliseconds(300);
  const ProbeResult r = ProbeAndWait(*client, request);
  EXPECT_TRUE(r.connected);  // the kernel accepted; nobody answered
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.error, "timeout after 300 ms");
  EXPECT_EQ(r.status_code, 0);
  EXPECT_GE(r.latency_ms, 290);
  EXPECT_LT(r.latency_ms, 3000);
}

TEST(ProbeClientTest, ConnectionRefusedIsAnError) {
  SilentListener closed;
  const uint16_t port = closed.port();
  closed.Close();
  auto client = ProbeClient::Create();
  for (ProbeKind kind : {ProbeKind::kHttp, ProbeKind::kTcp}) {
    ProbeRequest request = HttpTo(port);
    request.kind = kind;
    const ProbeResult r = ProbeAndWait(*client, request);
    EXPECT_FALSE(r.connected);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.error, "connect: Connection refused");
  }
}

TEST(ProbeClientTest, TcpProbeOnlyConnects) {
  SilentListener listening;
  auto client = ProbeClient::Create();
  ProbeRequest request = HttpTo(listening.port());
  request.kind = ProbeKind::kTcp;
  const ProbeResult r = ProbeAndWait(*client, request);
  EXPECT_TRUE(r.connected);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.status_code, 0);
}

TEST(ProbeClientTest, APublicOnlyProbeNeverConnectsToALoopbackTarget) {
  TestServer target;
  auto client = ProbeClient::Create();
  // By name too: "localhost" and the shorthand "127.1" resolve to loopback and are refused.
  for (const char* host : {"127.0.0.1", "localhost", "127.1"}) {
    ProbeRequest request = HttpTo(target.server.port());
    request.host = host;
    request.public_only = true;
    const ProbeResult r = ProbeAndWait(*client, request);
    EXPECT_FALSE(r.connected) << host;
    EXPECT_NE(r.error.find("is a loopback address"), std::string::npos) << host << ": " << r.error;
    EXPECT_NE(r.error.find("--allow-private-targets"), std::string::npos) << r.error;
  }
  EXPECT_FALSE(target.requests.last_request().has_value());
}

TEST(ProbeClientTest, InvalidRequestIsReportedNotProbed) {
  auto client = ProbeClient::Create();
  ProbeRequest request = HttpTo(80, "health");
  const ProbeResult r = ProbeAndWait(*client, request);
  EXPECT_EQ(r.error, "invalid request: target: must start with '/'");
  EXPECT_FALSE(r.connected);
}

TEST(ProbeClientTest, RunsOnTheServersOwnLoop) {
  TestServer target;
  auto client = target.server.NewProbeClient();
  ASSERT_NE(client, nullptr);
  const ProbeResult r = ProbeAndWait(*client, HttpTo(target.server.port()));
  EXPECT_EQ(r.status_code, 200);
  EXPECT_EQ(r.body, "ok");
  std::promise<void> fired;
  client->RunAfter(milliseconds(20), [&fired] { fired.set_value(); });
  EXPECT_EQ(fired.get_future().wait_for(kWait), std::future_status::ready);
  client->Stop();
  target.server.Stop();
}

TEST(ProbeClientTest, NoCallbackAfterStop) {
  SilentListener silent;
  auto client = ProbeClient::Create(2);
  std::atomic<int> calls{0};
  for (int i = 0; i < 50; ++i) {
    ProbeRequest request = HttpTo(silent.port());
    request.timeout = milliseconds(10'000);
    client->Probe(request, [&calls](ProbeResult) { ++calls; });
    client->RunAfter(milliseconds(10'000), [&calls] { ++calls; });
  }
  EXPECT_EQ(client->pending(), 100u);
  const auto start = std::chrono::steady_clock::now();
  client->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(calls.load(), 0);
  client->Probe(HttpTo(silent.port()), [&calls](ProbeResult) { ++calls; });
  client.reset();
  EXPECT_EQ(calls.load(), 0);
}

}  // namespace
}  // namespace vitals::server
