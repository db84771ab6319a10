// Handlers and helpers shared by the transport's tests: a real server on an ephemeral loopback
// port, handlers that record what they see, and a raw socket for byte-exact requests.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/http/http_client.h"
#include "server/http/http_server.h"

namespace vitals::server::testing {

constexpr std::chrono::seconds kWait{10};  // generous: the machine may be loaded

// Answers with `reply` (by default 200 "ok") and remembers the last request.
class RecordingHandler final : public RequestHandler {
 public:
  using Reply = std::function<void(HttpRequest, Responder)>;

  void Handle(HttpRequest request, Responder respond) override;
  void set_reply(Reply reply);
  std::optional<HttpRequest> last_request() const;
  int requests() const;

 private:
  mutable std::mutex mu_;
  Reply reply_;
  std::optional<HttpRequest> last_;
  int count_ = 0;
};

// Accepts streams carrying "Authorization: Bearer ok" (401 otherwise), echoes WebSocket messages
// as "echo: <text>", and records connections, messages and closes.
class RecordingStreams final : public StreamHandler {
 public:
  std::optional<HttpResponse> Accept(const HttpRequest& request, StreamKind kind,
                                     std::shared_ptr<StreamConnection> connection) override;
  void OnMessage(const std::shared_ptr<StreamConnection>& connection,
                 std::string_view text) override;
  void OnClose(const std::shared_ptr<StreamConnection>& connection) override;

  // Waits until at least `n` connections were accepted; returns the n-th (1-based), or null.
  std::shared_ptr<StreamConnection> WaitForConnection(size_t n);
  // Waits until `connection` got OnClose; returns how many times it did (0 on timeout).
  int WaitForClose(const std::shared_ptr<StreamConnection>& connection);
  int close_calls(const std::shared_ptr<StreamConnection>& connection) const;
  size_t connections() const;  // accepted so far
  std::vector<std::string> messages() const;
  std::optional<HttpRequest> last_accepted() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::shared_ptr<StreamConnection>> connections_;
  std::vector<std::pair<StreamConnection*, int>> closes_;
  std::vector<std::string> messages_;
  std::optional<HttpRequest> last_accepted_;
};

// A started server with recording handlers.
struct TestServer {
  explicit TestServer(HttpServerOptions options = DefaultOptions());
  static HttpServerOptions DefaultOptions();

  RecordingHandler requests;
  RecordingStreams streams;
  HttpServer server;
};

// A blocking POSIX socket to 127.0.0.1:port, for requests the clients would not send. `source`:
// the local address to connect from (another loopback address, 127.0.0.2, is another client).
class RawConnection final {
 public:
  explicit RawConnection(uint16_t port, const char* source = nullptr);
  ~RawConnection();
  bool connected() const { return fd_ >= 0; }
  bool SendAll(std::string_view bytes);
  // Reads until `done(received)` is true, the peer closes, or the timeout; returns all received.
  std::string ReadUntil(const std::function<bool(const std::string&)>& done,
                        std::chrono::milliseconds timeout = kWait);
  // Whether the peer has closed (or reset) the connection and nothing is left unread.
  bool PeerClosed();

 private:
  int fd_ = -1;
};

// A loopback socket that listens but never accepts: the kernel completes connections into the
// backlog and nothing ever answers — a target that hangs. After Close() port() names a port
// that refuses connections (until something else takes it).
class SilentListener final {
 public:
  SilentListener();
  ~SilentListener() { Close(); }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  void Close();
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// A request that must succeed at the transport level (any HTTP status); fails the test otherwise.
ClientResponse MustRequest(HttpClient& client, Method method, std::string_view target,
                           std::string_view body = {}, const Headers& headers = {});

// Counts occurrences of `needle` in `haystack`.
size_t Count(const std::string& haystack, std::string_view needle);

}  // namespace vitals::server::testing
