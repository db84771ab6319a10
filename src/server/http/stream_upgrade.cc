#include "server/http/stream_upgrade.h"

#include <algorithm>
#include <boost/beast/websocket/rfc6455.hpp>

#include "server/http/sse_session.h"
#include "server/http/websocket_session.h"

namespace vitals::server {
namespace {

bool Contains(const std::vector<std::string>& paths, std::string_view path) {
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

void LimitSendBuffer(const HttpServerOptions& options, Socket& socket) {
  const size_t bytes = options.stream_send_buffer_bytes;
  if (bytes == 0) return;
  ErrorCode ec;
  socket.set_option(net::socket_base::send_buffer_size(static_cast<int>(bytes)), ec);
}

}  // namespace

std::optional<StreamKind> StreamKindFor(const HttpServerOptions& options,
                                        const BeastRequest& message, std::string_view path) {
  if (message.method() != beast::http::verb::get) return std::nullopt;
  if (beast::websocket::is_upgrade(message)) {
    if (Contains(options.websocket_paths, path)) return StreamKind::kWebSocket;
    return std::nullopt;
  }
  if (Contains(options.sse_paths, path)) return StreamKind::kServerSentEvents;
  return std::nullopt;
}

namespace {

// Offers a new `Session` to the application; on acceptance starts it with `run(session)`.
template <typename Session, typename RunFn>
std::optional<HttpResponse> Offer(const std::shared_ptr<ServerState>& state, StreamKind kind,
                                  const HttpRequest& request, const std::string& peer_address,
                                  Socket& socket, RunFn run) {
  auto stream = std::make_shared<Session>(state, socket.get_executor());
  stream->set_peer_address(peer_address);
  std::optional<HttpResponse> refusal = state->streams.Accept(request, kind, stream);
  if (refusal) {
    stream->Abandon();
  } else {
    LimitSendBuffer(state->options, socket);
    run(*stream);
  }
  return refusal;
}

}  // namespace

std::optional<HttpResponse> HandOverToStream(
    const std::shared_ptr<ServerState>& state, StreamKind kind, const HttpRequest& request,
    const std::string& peer_address, Socket& socket,
    beast::http::request_parser<PaddedStringBody>& parser) {
  if (kind == StreamKind::kWebSocket) {
    return Offer<WebSocketSession>(
        state, kind, request, peer_address, socket,
        [&](WebSocketSession& ws) { ws.Run(std::move(socket), parser.release()); });
  }
  return Offer<SseSession>(state, kind, request, peer_address, socket,
                           [&](SseSession& sse) { sse.Run(std::move(socket)); });
}

}  // namespace vitals::server
