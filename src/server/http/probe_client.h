// ProbeClient: asynchronous HTTP and TCP probes for active checks, on an event loop the transport
// owns — the HTTP server's own (HttpServer::NewProbeClient) or a private one (Create). Every
// probe is a chain of non-blocking operations under one deadline, so thousands of probes need no
// thousands of threads, and a target that never answers only times out. No Boost type here.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "server/http/http_types.h"

namespace vitals::server {

class ProbeGate;

enum class ProbeKind { kHttp, kTcp };

struct ProbeRequest {
  ProbeKind kind = ProbeKind::kHttp;
  std::string host;  // a name or an IP literal (IPv6 without brackets)
  uint16_t port = 80;
  // HTTP only:
  std::string target = "/";  // path plus query, as sent
  Method method = Method::kGet;
  std::vector<std::pair<std::string, std::string>> headers;  // replace the defaults by name
  std::string body;
  size_t max_body_bytes = 64 * 1024;  // the body is read up to this and then cut
  // The whole probe — resolve, connect, write, read — must finish within it.
  std::chrono::milliseconds timeout{10000};
  // Connect only if every address `host` resolves to is public (address_policy.h); else the
  // result's error names the refused address and nothing is sent.
  bool public_only = false;
};

struct ProbeResult {
  bool connected = false;  // the TCP connection was established
  bool timed_out = false;
  int status_code = 0;  // HTTP only; 0 when no response head arrived
  std::string body;     // at most max_body_bytes
  bool body_truncated = false;
  double latency_ms = 0;  // from the start of the probe to its end
  // Empty when the exchange completed; else "<phase>: <reason>" ("connect: Connection refused",
  // "timeout after 2000 ms", "invalid request: ...").
  std::string error;
};

// Thread-safe. Callbacks run on the loop's threads, concurrently for different probes; they must
// not block. After Stop() returns, no callback runs and none is in progress.
class ProbeClient final {
 public:
  struct Loop;  // the event loop and, for a private one, its threads (probe_loop.h)

  // A client with its own event loop on `threads` threads (tests, tools).
  static std::unique_ptr<ProbeClient> Create(int threads = 1);
  explicit ProbeClient(std::shared_ptr<Loop> loop);
  ~ProbeClient();  // Stop()s
  ProbeClient(const ProbeClient&) = delete;
  ProbeClient& operator=(const ProbeClient&) = delete;

  // kInvalidArgument naming the field (empty host, port 0, target not starting with '/',
  // timeout not positive).
  static core::Status Validate(const ProbeRequest& request);

  // Starts a probe; `done` is called exactly once with its result (an invalid request gives a
  // result with `error` set), never from inside Probe() — unless Stop() came first, in which case
  // it is never called.
  void Probe(ProbeRequest request, std::function<void(ProbeResult)> done);
  // Calls `fn` on the loop after `delay`, unless Stop() came first.
  void RunAfter(std::chrono::milliseconds delay, std::function<void()> fn);
  // Cancels every probe and timer and waits for running callbacks. Idempotent. Must not be
  // called from one of this client's callbacks.
  void Stop();

  // Probes and timers started and not yet finished.
  size_t pending() const;

 private:
  std::shared_ptr<Loop> loop_;
  std::shared_ptr<ProbeGate> gate_;
};

}  // namespace vitals::server
