// The HTTP/1.1, WebSocket and Server-Sent-Events server. This header is what the application
// includes: no Boost type appears here.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "server/http/stream_handler.h"

namespace vitals::server {

struct HttpServerOptions {
  std::string address = "127.0.0.1";  // an IP address or a host name resolving to one
  uint16_t port = 0;                  // 0: an ephemeral port, see HttpServer::port()
  int threads = 0;                    // threads running the event loop; 0: hardware concurrency
  size_t max_body_bytes = 10 << 20;   // larger bodies (also after gunzip): 413
  // Beyond: 503 with Retry-After: 1, then close. At the limit a new connection first takes the
  // place of one that only lingers after its last answer or waits for a request's head (the
  // longest waiting), so slow clients cannot crowd out quick ones.
  size_t max_connections = 10000;
  // Connections from one client address (HTTP and streams); beyond: 503, then close.
  size_t max_connections_per_peer = 64;
  // A kept-alive connection waiting this long for its next request, or a write that makes no
  // progress this long, is closed. WebSocket connections are pinged after half of it and closed
  // without an answer.
  std::chrono::milliseconds idle_timeout{60000};
  // A request's head must be complete this long after its first byte (a new connection's first
  // request: after the connection opened), its body this long after the head: a fixed deadline,
  // not a rate, so a client dripping bytes cannot hold a connection. Beyond: 408 and close (just
  // close when nothing of the request came).
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};
  // How long Stop() waits for the requests being served to be answered (see Stop()).
  std::chrono::milliseconds shutdown_timeout{10000};
  // Per stream connection: a Send() beyond either bound closes it ("client too slow").
  size_t max_queued_messages = 4096;
  size_t max_queued_bytes = 64 << 20;
  std::chrono::milliseconds sse_keepalive_interval{15000};
  // A WebSocket message from a client larger than this closes the connection with 1009 (message
  // too big) before it is buffered whole.
  size_t max_client_message_bytes = 64 * 1024;
  // The kernel send buffer of a stream connection (0: the system's autotuned default, which
  // grows to megabytes). Small, so that a client that stops reading fills the bounded queue soon
  // instead of parking megabytes in the kernel.
  size_t stream_send_buffer_bytes = 64 * 1024;
  // How long a closing stream connection may take to flush and say goodbye before it is cut. A
  // client closed for being too slow gets its close frame only once it reads again.
  std::chrono::milliseconds close_timeout{10000};
  std::vector<std::string> websocket_paths;  // exact decoded paths
  std::vector<std::string> sse_paths;
};

struct ServerState;
class Listener;
class ProbeClient;

// Serves requests to a RequestHandler and stream connections to a StreamHandler; both must
// outlive the server. Start/Stop/port are called from one controlling thread.
//
// Per connection, one request at a time: the next (pipelined) request is read only after the
// response to the previous one is written. The transport answers by itself, with a JSON body
// {"error":"...","status":N}: 400 for a malformed request or target or corrupt gzip, 413 for a
// body beyond max_body_bytes (also once gunzipped; refused from the head, the connection then
// closes), 415 for a Content-Encoding other than gzip/identity, 431 for a huge head, 503 with
// Retry-After: 1 beyond max_connections. A GET upgrading to WebSocket on a websocket_paths entry,
// or any GET on an sse_paths entry, goes to StreamHandler::Accept instead of RequestHandler.
class HttpServer final {
 public:
  HttpServer(HttpServerOptions options, RequestHandler& requests, StreamHandler& streams);
  ~HttpServer();  // Stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the threads. Fails (kIoError) naming the address and the reason
  // when the address cannot be resolved or bound, and kFailedPrecondition when already started.
  core::Status Start();
  // Stops gracefully, then closes every connection (stream connections get OnClose) and joins
  // the threads. Idempotent. A Responder called afterwards is ignored.
  // Gracefully: every request read is still handled and answered, its response saying
  // Connection: close; connections waiting for a request close once idle a moment; new
  // connections are accepted for that moment too (so that what was already under way is
  // answered), then the listener closes. Bounded by shutdown_timeout; whatever is still owed then
  // is dropped.
  void Stop();
  // The bound port; valid after a successful Start().
  uint16_t port() const { return port_; }
  // The address actually bound (the listen host resolved), and whether it is a loopback address
  // (127.0.0.0/8, ::1, or either IPv4-mapped); valid after a successful Start().
  const std::string& bound_address() const { return bound_address_; }
  bool loopback() const { return loopback_; }
  // A prober for active checks on this server's event loop threads; nullptr before a successful
  // Start(). Stop it (ProbeClient::Stop) before Stop()ping the server.
  std::unique_ptr<ProbeClient> NewProbeClient();
  // Runs tasks on the event loop threads, one at a time and in the order given. A task handed
  // over after Stop() is refused (false) and not run; one accepted before is run, at the latest
  // by Stop(). Thread-safe; valid after a successful Start(). Responders called inside a task
  // answer from that thread, without waking another.
  std::function<bool(std::function<void()>)> NewSerialExecutor();

 private:
  HttpServerOptions options_;
  RequestHandler& requests_;
  StreamHandler& streams_;
  void Drain();

  std::shared_ptr<ServerState> state_;
  std::shared_ptr<Listener> listener_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::string bound_address_;
  bool loopback_ = false;
};

}  // namespace vitals::server
