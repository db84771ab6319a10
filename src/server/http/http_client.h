// A synchronous HTTP/1.1 client for tests and the CLI. No Boost types here.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "server/http/http_types.h"

namespace vitals::server {

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

// Talks to one host:port over one keep-alive connection, reconnecting when the server closed it
// (a request that fails on a reused connection before any response byte is retried once on a
// fresh one). Errors are kUnavailable naming host:port: "connect 127.0.0.1:9: Connection
// refused", "... timeout". Not thread-safe: one request at a time.
class HttpClient final {
 public:
  HttpClient(std::string host, uint16_t port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends a request and waits at most `timeout` for the whole exchange. `headers` are added as
  // given (Host, Content-Length and User-Agent are set already).
  core::Result<ClientResponse> Request(
      Method method, std::string_view target, std::string_view body = {},
      const Headers& headers = {}, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // When set, connections go only to public addresses (address_policy.h): a host that resolves
  // to any loopback, link-local, private or unspecified address fails with kPermissionDenied.
  void set_public_only(bool public_only) { public_only_ = public_only; }
  // When set, non-empty request bodies are sent gzip-compressed (Content-Encoding: gzip).
  void set_gzip_requests(bool gzip) { gzip_requests_ = gzip; }
  // Closes the connection (the next request opens a new one).
  void Close();
  bool connected() const;

 private:
  class Connection;
  const std::string host_;
  const uint16_t port_;
  std::unique_ptr<Connection> connection_;
  bool gzip_requests_ = false;
  bool public_only_ = false;
};

}  // namespace vitals::server
