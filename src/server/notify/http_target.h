// HttpTarget: an http:// URL taken apart, and the one way channels POST to one.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "server/http/http_types.h"

namespace vitals::server {

struct HttpTarget {
  std::string host;
  uint16_t port = 80;
  std::string path = "/";  // path plus query, as given
  // Connect only to public addresses (address_policy.h); set for tenants' routes unless the
  // operator allows private targets.
  bool public_only = false;

  // InvalidArgument naming `field`: not http:// (https:// is rejected: no TLS client), no host,
  // bad port.
  static core::Result<HttpTarget> Parse(std::string_view url, std::string_view field = "url");
};

inline core::Result<HttpTarget> ParseHttpUrl(std::string_view url) {
  return HttpTarget::Parse(url);
}

// POSTs `body` (application/json) to `target` + `path_suffix` on a fresh connection, waiting at
// most `timeout`. Ok with `detail` "HTTP <status>" on 2xx; kUnavailable (worth retrying) for
// connection errors, timeouts, 5xx and 429; kPermissionDenied when `target.public_only` and its
// host resolves to an address that is not public; kFailedPrecondition for other statuses.
// Blocking.
core::Status PostJson(const HttpTarget& target, std::string_view path_suffix, std::string_view body,
                      const Headers& headers, std::chrono::milliseconds timeout,
                      std::string* detail);

}  // namespace vitals::server
