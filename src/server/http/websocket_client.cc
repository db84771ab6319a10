#include "server/http/websocket_client.h"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include "server/http/client_io.h"

namespace vitals::server {

namespace websocket = beast::websocket;

// The connection's I/O objects. A Read() that timed out leaves its read pending here; its handler
// refers to this object only.
class WebSocketClient::Stream final {
 public:
  net::io_context io;
  websocket::stream<tcp::socket> ws{io};
  beast::flat_buffer read_buffer;
  bool read_pending = false;
  bool read_done = false;
  ErrorCode read_ec;

  // Closes the socket and lets every pending operation complete.
  void Cut() {
    ErrorCode ec;
    beast::get_lowest_layer(ws).close(ec);
    Drain(io);
  }
};

WebSocketClient::WebSocketClient() = default;

WebSocketClient::~WebSocketClient() {
  if (stream_ != nullptr) stream_->Cut();
}

core::Status WebSocketClient::Connect(const std::string& host, uint16_t port,
                                      std::string_view target, const Headers& headers,
                                      std::chrono::milliseconds timeout) {
  if (stream_ != nullptr) stream_->Cut();
  stream_ = std::make_unique<Stream>();
  handshake_status_ = close_code_ = 0;
  close_reason_.clear();
  host_port_ = host + ":" + std::to_string(port);
  const ClientClock::time_point deadline = DeadlineAfter(timeout);
  core::Status status = ConnectSocket(stream_->io, beast::get_lowest_layer(stream_->ws), host, port,
                                      receive_buffer_bytes_, deadline);
  if (!status.ok()) {
    stream_.reset();
    return status;
  }
  stream_->ws.set_option(
      websocket::stream_base::decorator([extra = headers](websocket::request_type& request) {
        for (const auto& [name, value] : extra.items()) request.insert(name, value);
      }));
  websocket::response_type response;
  ErrorCode handshake_ec;
  bool done = false;
  stream_->ws.async_handshake(response, host_port_, target, [&](ErrorCode ec) {
    handshake_ec = ec;
    done = true;
  });
  const bool finished = RunUntil(stream_->io, done, deadline);
  if (!finished || handshake_ec) stream_->Cut();
  handshake_status_ = static_cast<int>(response.result_int());
  if (finished && !handshake_ec) return core::Status::Ok();
  stream_.reset();
  if (!finished) return NetworkError("websocket", host, port, "handshake timeout");
  if (handshake_ec == websocket::error::upgrade_declined) {
    return NetworkError(
        "websocket", host, port,
        "upgrade refused: HTTP " + std::to_string(handshake_status_) + " " + response.body());
  }
  return NetworkError("websocket", host, port, handshake_ec.message());
}

core::Status WebSocketClient::Send(std::string_view text, std::chrono::milliseconds timeout) {
  if (stream_ == nullptr) return core::Status::Unavailable("websocket: not connected");
  ErrorCode write_ec;
  bool done = false;
  stream_->ws.text(true);
  stream_->ws.async_write(net::buffer(text.data(), text.size()), [&](ErrorCode ec, size_t) {
    write_ec = ec;
    done = true;
  });
  if (!RunUntil(stream_->io, done, DeadlineAfter(timeout))) {
    stream_->Cut();
    stream_.reset();
    return core::Status::Unavailable("websocket " + host_port_ + ": send timeout");
  }
  if (write_ec)
    return core::Status::Unavailable("websocket " + host_port_ + ": " + write_ec.message());
  return core::Status::Ok();
}

core::Result<std::string> WebSocketClient::Read(std::chrono::milliseconds timeout) {
  if (stream_ == nullptr) return core::Status::Unavailable("websocket: not connected");
  Stream& s = *stream_;
  if (!s.read_pending) {
    s.read_pending = true;
    s.read_done = false;
    s.ws.async_read(s.read_buffer, [&s](ErrorCode ec, size_t) {
      s.read_ec = ec;
      s.read_done = true;
    });
  }
  if (!RunUntil(s.io, s.read_done, DeadlineAfter(timeout))) {
    return core::Status::Unavailable("websocket " + host_port_ + ": timeout waiting for a message");
  }
  s.read_pending = false;
  if (!s.read_ec) {
    std::string text = beast::buffers_to_string(s.read_buffer.data());
    s.read_buffer.consume(s.read_buffer.size());
    return text;
  }
  std::string message = "websocket " + host_port_ + ": ";
  if (s.read_ec == websocket::error::closed) {
    close_code_ = s.ws.reason().code;
    close_reason_.assign(s.ws.reason().reason.data(), s.ws.reason().reason.size());
    message += "closed by server: " + std::to_string(close_code_) + " " + close_reason_;
  } else if (s.read_ec == net::error::eof || s.read_ec == net::error::connection_reset) {
    message += "connection closed without a close frame (" + s.read_ec.message() + ")";
  } else {
    message += s.read_ec.message();
  }
  s.Cut();
  stream_.reset();
  return core::Status::Unavailable(std::move(message));
}

core::Status WebSocketClient::Close(std::chrono::milliseconds timeout) {
  if (stream_ == nullptr) return core::Status::Ok();
  ErrorCode close_ec;
  bool done = false;
  stream_->ws.async_close(websocket::close_code::normal, [&](ErrorCode ec) {
    close_ec = ec;
    done = true;
  });
  const bool finished = RunUntil(stream_->io, done, DeadlineAfter(timeout));
  stream_->Cut();
  stream_.reset();
  if (!finished) return core::Status::Unavailable("websocket " + host_port_ + ": close timeout");
  if (close_ec)
    return core::Status::Unavailable("websocket " + host_port_ + ": " + close_ec.message());
  return core::Status::Ok();
}

}  // namespace vitals::server
