// A synchronous WebSocket client for tests and the CLI. No Boost types here.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "server/http/http_types.h"

namespace vitals::server {

// One connection. Nothing is read from the socket between Read() calls, so a client that stops
// calling Read() is, to the server, a client that stopped reading (set_receive_buffer_bytes makes
// that show quickly). Errors and timeouts are kUnavailable ("... timeout", "closed by server:
// 1008 client too slow: ..."). Not thread-safe.
class WebSocketClient final {
 public:
  WebSocketClient();
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  // Call before Connect: the socket's receive buffer size (0: the system's default).
  void set_receive_buffer_bytes(int bytes) { receive_buffer_bytes_ = bytes; }

  // Connects and completes the handshake, sending `headers` with the upgrade request. A refused
  // upgrade fails naming the HTTP status, also available as handshake_status().
  core::Status Connect(const std::string& host, uint16_t port, std::string_view target,
                       const Headers& headers = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Sends one text message.
  core::Status Send(std::string_view text,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The next text message. On timeout the read stays pending; the next Read() continues it.
  core::Result<std::string> Read(std::chrono::milliseconds timeout);
  // Sends a close frame (1000) and waits for the server's.
  core::Status Close(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // The HTTP status of the handshake response: 101 when accepted.
  int handshake_status() const { return handshake_status_; }
  // The server's close frame, once Read() reported it: code (0: none yet) and reason.
  int close_code() const { return close_code_; }
  const std::string& close_reason() const { return close_reason_; }

 private:
  class Stream;
  std::unique_ptr<Stream> stream_;
  int receive_buffer_bytes_ = 0;
  int handshake_status_ = 0;
  int close_code_ = 0;
  std::string close_reason_;
  std::string host_port_;
};

}  // namespace vitals::server
