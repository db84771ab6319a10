// ApiClient: the CLI's view of a running vitals server — a base URL, an optional API key, and
// answers as parsed JSON or a message a person can act on ("cannot reach the server at ...").
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "server/http/http_client.h"

namespace vitals::cli {

struct ServerAddress {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::string url() const { return "http://" + host + ":" + std::to_string(port); }
};

// Parses "http://host:port", "host:port" or "host". InvalidArgument naming the text otherwise.
core::Result<ServerAddress> ParseServerAddress(std::string_view text);

// What a 401 answer adds to the server's message: how to give the CLI a key (F18).
std::string UnauthenticatedHint(bool sent_a_key);

class ApiClient {
 public:
  ApiClient(ServerAddress address, std::string api_key);

  // Sends the request; returns the response body for a 2xx, or an error whose message is fit to
  // print: unreachable server, or "HTTP 404: agent 'x' not found".
  core::Result<std::string> Call(server::Method method, std::string_view target,
                                 std::string_view body = {});

 private:
  ServerAddress address_;
  std::string api_key_;
  server::HttpClient http_;
};

}  // namespace vitals::cli
