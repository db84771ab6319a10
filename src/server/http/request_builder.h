// Turns a request Beast parsed into the HttpRequest handlers see. Internal to src/server/http.
#pragma once

#include <boost/beast/http/message.hpp>
#include <optional>
#include <string>

#include "server/http/http_types.h"
#include "server/http/padded_string_body.h"

namespace vitals::server {

using BeastRequest = boost::beast::http::request<PaddedStringBody>;

struct PeerInfo {
  std::string address;  // "127.0.0.1", "::1"
  bool loopback = false;
};

// Fills `*out` from `message`, moving its body: method, target, decoded path and query, headers,
// peer, and the body gunzipped when Content-Encoding says gzip (at most `max_body_bytes`).
// Returns the transport's error response instead when the request cannot be handed on: 400 for a
// malformed target or corrupt gzip, 413 when the body inflates beyond the limit, 415 for an
// unsupported Content-Encoding.
std::optional<HttpResponse> BuildRequest(BeastRequest& message, const PeerInfo& peer,
                                         size_t max_body_bytes, HttpRequest* out);

Method ToMethod(boost::beast::http::verb verb);

}  // namespace vitals::server
