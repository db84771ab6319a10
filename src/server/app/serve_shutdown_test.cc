// `vitals serve` stopping under load: SIGTERM while clients ingest.
#include <atomic>
#include <thread>
#include <vector>

#include "server/app/serve_test_support.h"
#include "server/http/test_handlers.h"

namespace vitals::server::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A whole response: the head and Content-Length bytes of body.
bool Complete(const std::string& r) {
  const size_t head_end = r.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  const size_t length_at = r.find("Content-Length: ");
  if (length_at == std::string::npos || length_at > head_end) return false;
  const size_t length = std::stoul(r.substr(length_at + 16));
  return r.size() >= head_end + 4 + length;
}

std::string Post(const std::string& execution_id) {
  const std::string body =
      R"({"agent_id":"sig","execution_id":")" + execution_id + R"(","latency_ms":5})";
  return "POST /api/v1/executions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

struct Outcome {
  std::vector<std::string> acknowledged;  // execution ids answered 2xx
  std::vector<std::string> dropped;       // sent fully before the signal, never answered
  int last_said_close = 0;                // answers with Connection: close
};

// Posts executions over a kept-alive connection (a new one after Connection: close) until the
// server is gone. Raw sockets, so that nothing is retried behind the test's back.
void Ingest(uint16_t port, int client, const std::atomic<int64_t>& signal_at, Outcome* out) {
  std::unique_ptr<RawConnection> connection;
  for (int i = 0;; ++i) {
    if (connection == nullptr) {
      connection = std::make_unique<RawConnection>(port);
      if (!connection->connected()) return;  // stopped: nothing sent
    }
    const std::string id = "c" + std::to_string(client) + "-" + std::to_string(i);
    const bool sent = connection->SendAll(Post(id));
    const int64_t sent_at = Clock::now().time_since_epoch().count();
    const std::string answer = sent ? connection->ReadUntil(Complete) : "";
    if (!Complete(answer)) {
      if (sent && sent_at < signal_at.load()) out->dropped.push_back(id);
      connection.reset();
      continue;
    }
    if (answer.rfind("HTTP/1.1 2", 0) == 0) out->acknowledged.push_back(id);
    if (answer.find("Connection: close") != std::string::npos) {
      ++out->last_said_close;
      connection.reset();
    }
    std::this_thread::sleep_for(2ms);
  }
}

TEST_F(ServeTest, SigtermAnswersEveryRequestSentBeforeItAndKeepsWhatItAcknowledged) {
  StartServer({"--checkpoint-interval", "3600"});
  constexpr int kClients = 6;
  std::atomic<int64_t> signal_at{INT64_MAX};
  std::vector<Outcome> outcomes(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back(Ingest, port(), c, std::cref(signal_at), &outcomes[c]);
  }
  std::this_thread::sleep_for(400ms);
  signal_at = Clock::now().time_since_epoch().count();
  EXPECT_EQ(server_->Stop(), 0);  // SIGTERM, and wait for the exit
  for (std::thread& t : clients) t.join();

  size_t acknowledged = 0;
  int said_close = 0;
  for (const Outcome& o : outcomes) {
    EXPECT_EQ(o.dropped, std::vector<std::string>{}) << "sent before SIGTERM, never answered";
    acknowledged += o.acknowledged.size();
    said_close += o.last_said_close;
  }
  EXPECT_GT(acknowledged, 0u);
  EXPECT_GT(said_close, 0);  // kept-alive connections were told to close

  StartServer();
  auto log = Call(Method::kGet, "/api/v1/agents/sig/executions?limit=10000");
  ASSERT_EQ(log.status, 200);
  for (const Outcome& o : outcomes) {
    for (const std::string& id : o.acknowledged) {
      EXPECT_NE(log.body.find("\"execution_id\":\"" + id + "\""), std::string::npos)
          << id << " was acknowledged but is not stored";
    }
  }
}

}  // namespace
}  // namespace vitals::server::testing
