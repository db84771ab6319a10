#include "server/notify/http_target.h"

#include <charconv>

#include "server/http/http_client.h"

namespace vitals::server {

core::Result<HttpTarget> HttpTarget::Parse(std::string_view url, std::string_view field) {
  const std::string f(field);
  if (url.starts_with("https://")) {
    return core::Status::InvalidArgument(
        f +
        ": https:// is not supported (vitals has no TLS client); use http://, e.g. through a "
        "local relay");
  }
  if (!url.starts_with("http://")) {
    return core::Status::InvalidArgument(f + ": expected an http:// URL");
  }
  std::string_view rest = url.substr(7);
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  HttpTarget t;
  if (slash != std::string_view::npos) t.path = std::string(rest.substr(slash));
  if (authority.find('@') != std::string_view::npos || authority.empty()) {
    return core::Status::InvalidArgument(f + ": expected http://host[:port][/path]");
  }
  if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return core::Status::InvalidArgument(f + ": bad port in URL");
    }
    t.port = static_cast<uint16_t>(value);
    authority = authority.substr(0, colon);
  }
  if (authority.empty() || authority.find_first_of(" \t\r\n") != std::string_view::npos) {
    return core::Status::InvalidArgument(f + ": URL has no host");
  }
  t.host = std::string(authority);
  return t;
}

core::Status PostJson(const HttpTarget& target, std::string_view path_suffix, std::string_view body,
                      const Headers& headers, std::chrono::milliseconds timeout,
                      std::string* detail) {
  HttpClient client(target.host, target.port);
  client.set_public_only(target.public_only);
  Headers all = headers;
  all.Add("Content-Type", "application/json");
  std::string path = target.path;
  if (!path_suffix.empty()) {
    if (path.ends_with('/')) path.pop_back();
    path += path_suffix;
  }
  auto response = client.Request(Method::kPost, path, body, all, timeout);
  if (!response.ok()) {
    if (response.status().code() == core::StatusCode::kPermissionDenied) return response.status();
    return core::Status::Unavailable(response.status().message());
  }
  const int code = response->status;
  *detail = "HTTP " + std::to_string(code);
  if (code >= 200 && code < 300) return core::Status::Ok();
  std::string message = *detail;
  if (!response->body.empty()) message += ": " + response->body.substr(0, 200);
  if (code >= 500 || code == 429) return core::Status::Unavailable(message);
  return core::Status::FailedPrecondition(message);
}

}  // namespace vitals::server
