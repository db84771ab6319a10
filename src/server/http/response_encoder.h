// HTTP/1.1 response heads written straight into a reusable buffer: the hot path of every request,
// so no intermediate message object and no per-header allocation once the buffer has grown.
#pragma once

#include <string>
#include <string_view>

#include "server/http/http_types.h"

namespace vitals::server {

// Replaces `*out` with the status line and headers (ending in the blank line) for `response`.
// The transport owns framing: Content-Length and Connection are always its own, and extra headers
// named Content-Length, Connection or Transfer-Encoding, or containing CR/LF, are dropped.
// Returns whether the body follows the head: false for HEAD requests and for 1xx/204/304.
bool EncodeResponseHead(const HttpResponse& response, bool keep_alive, bool head_request,
                        std::string* out);

// The head that starts a Server-Sent-Events stream (close-delimited body, no Content-Length).
std::string_view SseResponseHead();

// The interim response that tells a client to go on sending a body it announced with
// `Expect: 100-continue`.
std::string_view ContinueResponse();

}  // namespace vitals::server
