#include "server/http/websocket_session.h"

#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/websocket.hpp>

namespace vitals::server {
namespace {

namespace websocket = beast::websocket;

constexpr size_t kMaxCloseReason = 123;  // a close frame's payload is at most 125 bytes
constexpr size_t kReadChunk = 16 * 1024;
constexpr int kMessageTooBig = 1009;

}  // namespace

WebSocketSession::WebSocketSession(std::shared_ptr<ServerState> state, Executor executor)
    : StreamSession(std::move(state), executor), ws_(executor) {}

void WebSocketSession::Run(Socket socket, BeastRequest upgrade) {
  beast::get_lowest_layer(ws_) = std::move(socket);
  upgrade_ = std::move(upgrade);
  if (!BeginRunning()) return;
  websocket::stream_base::timeout timeouts;
  timeouts.handshake_timeout = state_->options.close_timeout;
  timeouts.idle_timeout = state_->options.idle_timeout;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  // No limit in Beast: beyond its limit it closes after draining one small chunk, and the rest of
  // the message resets the connection before the client reads the 1009. OnRead counts instead
  // and closes through the queue, whose close handshake drains the message.
  ws_.read_message_max(0);
  ws_.auto_fragment(false);  // one frame per message: one write
  ws_.text(true);
  ws_.async_accept(upgrade_, beast::bind_front_handler(&WebSocketSession::OnHandshake,
                                                       self<WebSocketSession>()));
}

void WebSocketSession::OnHandshake(ErrorCode ec) {
  if (finished()) return;
  if (ec) return Finish();
  upgrade_ = {};
  Opened();
  Read();
}

void WebSocketSession::Read() {
  ws_.async_read_some(
      read_buffer_, kReadChunk,
      beast::bind_front_handler(&WebSocketSession::OnRead, self<WebSocketSession>()));
}

void WebSocketSession::OnRead(ErrorCode ec, size_t) {
  if (finished()) return;
  // websocket::error::closed (the peer's close frame), a timeout, a reset: the connection is over.
  if (ec) return Finish();
  if (read_buffer_.size() > state_->options.max_client_message_bytes) {
    read_buffer_ = {};
    return CloseWith(kMessageTooBig, "message too big");  // no more reads: the close drains
  }
  if (!ws_.is_message_done()) return Read();
  if (ws_.got_text() && !closed()) {
    const auto data = read_buffer_.cdata();
    state_->streams.OnMessage(shared_from_this(),
                              std::string_view(static_cast<const char*>(data.data()), data.size()));
  }
  read_buffer_.consume(read_buffer_.size());
  Read();
}

void WebSocketSession::Write() {
  switch (queue_.Pop(&writing_)) {
    case OutboundQueue::Next::kMessage:
      ws_.async_write(net::buffer(*writing_), beast::bind_front_handler(&WebSocketSession::OnWrite,
                                                                        self<WebSocketSession>()));
      return;
    case OutboundQueue::Next::kIdle:
      return;
    case OutboundQueue::Next::kClose:
      return SendCloseFrame();
  }
}

void WebSocketSession::OnWrite(ErrorCode ec, size_t) {
  writing_.reset();
  queue_.WriteDone();
  if (finished()) return;
  if (ec) return Finish();
  Write();
}

void WebSocketSession::SendCloseFrame() {
  if (close_sent_) return;
  close_sent_ = true;
  std::string reason = queue_.close_reason();
  if (reason.size() > kMaxCloseReason) reason.resize(kMaxCloseReason);
  const auto code = static_cast<std::uint16_t>(queue_.close_code());
  // Completes once the peer answered (or handshake_timeout passed) and the socket is shut.
  ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(code), reason),
                  [self = self<WebSocketSession>()](ErrorCode) { self->Finish(); });
}

void WebSocketSession::CloseTransport() {
  // Also stops Beast's idle/ping timer, so a finished session leaves no pending work behind.
  ws_.set_option(websocket::stream_base::timeout{websocket::stream_base::none(),
                                                 websocket::stream_base::none(), false});
  ErrorCode ec;
  beast::get_lowest_layer(ws_).close(ec);
}

}  // namespace vitals::server
