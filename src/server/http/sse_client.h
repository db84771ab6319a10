// A synchronous Server-Sent-Events client for tests and the CLI. No Boost types here.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "server/http/http_types.h"
#include "server/http/sse_parser.h"

namespace vitals::server {

// One stream. Like WebSocketClient, nothing is read between ReadEvent() calls. Errors and
// timeouts are kUnavailable naming host:port. Not thread-safe.
class SseClient final {
 public:
  SseClient();
  ~SseClient();
  SseClient(const SseClient&) = delete;
  SseClient& operator=(const SseClient&) = delete;

  // Call before Connect: the socket's receive buffer size (0: the system's default).
  void set_receive_buffer_bytes(int bytes) { receive_buffer_bytes_ = bytes; }

  // GETs `target` (with `headers`, e.g. Last-Event-ID) and reads the response head. Anything but
  // a 200 text/event-stream fails naming the status and body; status() and headers() tell more.
  core::Status Connect(const std::string& host, uint16_t port, std::string_view target,
                       const Headers& headers = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The next event or comment line. On timeout the read stays pending for the next call; when
  // the server ends the stream: kUnavailable "... stream closed".
  core::Result<SseEvent> ReadEvent(std::chrono::milliseconds timeout);
  void Close();

  int status() const { return status_; }
  const Headers& headers() const { return headers_; }

 private:
  class Stream;
  core::Status Fail(std::string reason);

  std::unique_ptr<Stream> stream_;
  SseParser parser_;
  int receive_buffer_bytes_ = 0;
  int status_ = 0;
  Headers headers_;
  std::string host_port_;
};

}  // namespace vitals::server
