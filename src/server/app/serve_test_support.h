// Shared fixture of the `vitals serve` integration tests: a real server process on a loopback
// port with a fresh database, and real HTTP, WebSocket and SSE clients.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "server/app/testing/server_process.h"
#include "server/http/http_client.h"
#include "server/http/sse_client.h"
#include "server/http/websocket_client.h"

namespace vitals::server::testing {

// Waits until `ok()` holds, polling every 100 ms.
inline bool Eventually(const std::function<bool()>& ok,
                       std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return ok();
}

class ServeTest : public ::testing::Test {
 public:
  static std::string Str(simdjson::simdjson_result<simdjson::dom::element> e) {
    std::string_view s;
    return e.get_string().get(s) ? std::string() : std::string(s);
  }
  // `vitals keys create --db` (the server may be running); returns {id, key}.
  static std::pair<std::string, std::string> KeyViaDatabase(const std::string& db,
                                                            const std::string& org,
                                                            const std::string& scope) {
    const std::string cmd = ServerProcess::DefaultBinary() + " keys create --init --db " + db +
                            " --org " + org + " --scope " + scope + " --json";
    FILE* f = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof buf, f)) out.append(buf, n);
    EXPECT_EQ(::pclose(f), 0) << out;
    simdjson::dom::parser p;
    simdjson::dom::element e;
    EXPECT_EQ(p.parse(out).get(e), simdjson::SUCCESS) << out;
    return {Str(e["id"]), Str(e["key"])};
  }

 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vitals-serve-" + std::to_string(::getpid()) + "-" + std::to_string(++counter_));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (HasFailure() && server_) std::cerr << "server log:\n" << server_->LogTail() << "\n";
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The servers here reach test receivers and targets on loopback, so private targets are allowed.
  void StartServer(std::vector<std::string> extra = {}, uint16_t port = 0) {
    extra.insert(extra.begin(), "--allow-private-targets");
    if (!server_) {
      server_ = std::make_unique<ServerProcess>(ServerProcess::DefaultBinary(),
                                                (dir_ / "vitals.db").string(), std::move(extra));
    }
    ASSERT_TRUE(server_->Start(port).ok()) << server_->LogTail();
    http_ = std::make_unique<HttpClient>("127.0.0.1", server_->port());
  }

  ClientResponse Call(Method m, const std::string& target, const std::string& body = "",
                      const std::string& key = "",
                      const std::string& content_type = "application/json") {
    Headers h;
    if (!body.empty() && !content_type.empty()) h.Add("Content-Type", content_type);
    if (!key.empty()) h.Add("Authorization", "Bearer " + key);
    auto r = http_->Request(m, target, body, h);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : ClientResponse{};
  }

  // The parsed body; valid until the next Json() call.
  simdjson::dom::element Json(const ClientResponse& r) {
    simdjson::dom::element e;
    EXPECT_EQ(parser_.parse(r.body).get(e), simdjson::SUCCESS) << r.body;
    return e;
  }

  // Reads WebSocket messages until one of `type` (and agent, if given) arrives or time runs out.
  std::string AwaitWs(WebSocketClient& ws, std::string_view type, std::string_view agent = "",
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = ws.Read(std::chrono::milliseconds(200));
      if (!m.ok()) continue;
      simdjson::dom::parser p;
      simdjson::dom::element e;
      std::string_view t, a;
      if (p.parse(*m).get(e) || e["type"].get_string().get(t) || t != type) continue;
      if (!agent.empty() && (e["data"]["agent_id"].get_string().get(a) || a != agent)) continue;
      return *m;
    }
    return "";
  }

  uint16_t port() const { return server_->port(); }

  std::filesystem::path dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> http_;
  simdjson::dom::parser parser_;
  static inline int counter_ = 0;
};

}  // namespace vitals::server::testing
