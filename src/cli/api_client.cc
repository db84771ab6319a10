#include "cli/api_client.h"

#include <simdjson.h>

#include <charconv>

namespace vitals::cli {

core::Result<ServerAddress> ParseServerAddress(std::string_view text) {
  std::string_view t = text;
  if (t.rfind("http://", 0) == 0) t.remove_prefix(7);
  if (t.rfind("https://", 0) == 0) {
    return core::Status::InvalidArgument("--server: https is not supported; use http://");
  }
  while (!t.empty() && t.back() == '/') t.remove_suffix(1);
  ServerAddress a;
  const size_t colon = t.rfind(':');
  a.host = std::string(t.substr(0, colon));
  if (colon != std::string_view::npos) {
    int port = 0;
    const std::string_view p = t.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (ec != std::errc() || ptr != p.data() + p.size() || port < 1 || port > 65535) {
      return core::Status::InvalidArgument("--server: invalid port in \"" + std::string(text) +
                                           "\"");
    }
    a.port = static_cast<uint16_t>(port);
  }
  if (a.host.empty())
    return core::Status::InvalidArgument("--server: no host in \"" + std::string(text) + "\"");
  return a;
}

std::string UnauthenticatedHint(bool sent_a_key) {
  return sent_a_key ? " (the key given with --api-key or VITALS_API_KEY was not accepted)"
                    : " (this server needs a key: pass --api-key KEY or set VITALS_API_KEY)";
}

ApiClient::ApiClient(ServerAddress address, std::string api_key)
    : address_(std::move(address)),
      api_key_(std::move(api_key)),
      http_(address_.host, address_.port) {}

core::Result<std::string> ApiClient::Call(server::Method method, std::string_view target,
                                          std::string_view body) {
  server::Headers headers;
  if (!api_key_.empty()) headers.Add("Authorization", "Bearer " + api_key_);
  if (!body.empty()) headers.Add("Content-Type", "application/json");
  auto r = http_.Request(method, target, body, headers);
  if (!r.ok()) {
    return core::Status::Unavailable(
        "cannot reach the vitals server at " + address_.url() + " (" + r.status().message() +
        "). Is `vitals serve` running? Use --server to point elsewhere.");
  }
  if (r->status >= 200 && r->status < 300) return std::move(r->body);
  // The server's errors are {"error": "..."}; show that message.
  std::string message = r->body;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view error;
  if (!parser.parse(r->body).get(root) && !root["error"].get_string().get(error)) {
    message = std::string(error);
  }
  const auto code = r->status == 401   ? core::StatusCode::kUnauthenticated
                    : r->status == 403 ? core::StatusCode::kPermissionDenied
                    : r->status == 404 ? core::StatusCode::kNotFound
                                       : core::StatusCode::kFailedPrecondition;
  if (r->status == 401) message += UnauthenticatedHint(!api_key_.empty());
  return core::Status(code, "HTTP " + std::to_string(r->status) + ": " + message);
}

}  // namespace vitals::cli
