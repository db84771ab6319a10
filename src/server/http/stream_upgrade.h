// Handing an HTTP connection over to a stream session (WebSocket, SSE). Internal to
// src/server/http.
#pragma once

#include <boost/beast/http/parser.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/http/asio_types.h"
#include "server/http/request_builder.h"
#include "server/http/server_state.h"

namespace vitals::server {

// The stream `message` asks for on `path`: a GET upgrading to WebSocket on a websocket_paths
// entry, any GET on an sse_paths entry; nullopt for an ordinary request.
std::optional<StreamKind> StreamKindFor(const HttpServerOptions& options,
                                        const BeastRequest& message, std::string_view path);

// Offers the connection to StreamHandler::Accept as a stream of `kind`. Accepted: the stream
// session takes `socket` (and, for WebSocket, the upgrade request from `parser`), registers
// itself and runs; returns nullopt. Refused: returns the handler's response, `socket` untouched.
std::optional<HttpResponse> HandOverToStream(const std::shared_ptr<ServerState>& state,
                                             StreamKind kind, const HttpRequest& request,
                                             const std::string& peer_address, Socket& socket,
                                             beast::http::request_parser<PaddedStringBody>& parser);

}  // namespace vitals::server
