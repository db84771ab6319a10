#include "server/http/sse_client.h"

#include <array>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "server/http/client_io.h"

namespace vitals::server {

namespace http = beast::http;

// The connection's I/O objects. A ReadEvent() that timed out leaves its read pending here; its
// handler refers to this object only.
class SseClient::Stream final {
 public:
  net::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;
  std::array<char, 16 * 1024> chunk;
  bool read_pending = false;
  bool read_done = false;
  size_t read_bytes = 0;
  ErrorCode read_ec;

  void Cut() {
    ErrorCode ec;
    socket.close(ec);
    Drain(io);
  }

  // Runs one operation started by `start(handler)` to completion or `deadline`.
  template <typename Start>
  ErrorCode Run(Start start, ClientClock::time_point deadline, bool* timed_out) {
    ErrorCode result;
    bool done = false;
    start([&](ErrorCode ec, size_t) {
      result = ec;
      done = true;
    });
    *timed_out = !RunUntil(io, done, deadline);
    if (*timed_out) Cut();
    return result;
  }
};

SseClient::SseClient() = default;

SseClient::~SseClient() { Close(); }

void SseClient::Close() {
  if (stream_ == nullptr) return;
  stream_->Cut();
  stream_.reset();
}

core::Status SseClient::Fail(std::string reason) {
  Close();
  return core::Status::Unavailable("sse " + host_port_ + ": " + reason);
}

core::Status SseClient::Connect(const std::string& host, uint16_t port, std::string_view target,
                                const Headers& headers, std::chrono::milliseconds timeout) {
  Close();
  parser_ = SseParser();
  status_ = 0;
  headers_ = Headers();
  host_port_ = host + ":" + std::to_string(port);
  const ClientClock::time_point deadline = DeadlineAfter(timeout);
  stream_ = std::make_unique<Stream>();
  core::Status status =
      ConnectSocket(stream_->io, stream_->socket, host, port, receive_buffer_bytes_, deadline);
  if (!status.ok()) {
    stream_.reset();
    return status;
  }
  http::request<http::empty_body> request(http::verb::get, target, 11);
  request.set(http::field::host, host_port_);
  request.set(http::field::accept, "text/event-stream");
  request.set(http::field::user_agent, "vitals");
  for (const auto& [name, value] : headers.items()) request.insert(name, value);
  Stream& s = *stream_;
  bool timed_out = false;
  ErrorCode ec = s.Run([&](auto handler) { http::async_write(s.socket, request, handler); },
                       deadline, &timed_out);
  if (timed_out || ec) return Fail(timed_out ? "timeout" : ec.message());
  http::response_parser<http::string_body> response;
  ec = s.Run([&](auto handler) { http::async_read_header(s.socket, s.buffer, response, handler); },
             deadline, &timed_out);
  if (timed_out || ec) return Fail(timed_out ? "timeout" : ec.message());
  status_ = static_cast<int>(response.get().result_int());
  for (const auto& field : response.get()) {
    headers_.Add(std::string(field.name_string()), std::string(field.value()));
  }
  if (status_ != 200) {
    ec = s.Run([&](auto handler) { http::async_read(s.socket, s.buffer, response, handler); },
               deadline, &timed_out);
    return Fail("HTTP " + std::to_string(status_) + " " + response.get().body());
  }
  const std::string_view type = response.get()[http::field::content_type];
  if (type.substr(0, 17) != "text/event-stream") {
    return Fail("not an event stream: Content-Type " + std::string(type));
  }
  // Whatever followed the head in the same read is the stream's first bytes.
  const auto rest = s.buffer.cdata();
  parser_.Feed(std::string_view(static_cast<const char*>(rest.data()), rest.size()));
  s.buffer.consume(s.buffer.size());
  return core::Status::Ok();
}

core::Result<SseEvent> SseClient::ReadEvent(std::chrono::milliseconds timeout) {
  const ClientClock::time_point deadline = DeadlineAfter(timeout);
  for (;;) {
    if (std::optional<SseEvent> event = parser_.Next()) return std::move(*event);
    if (stream_ == nullptr)
      return core::Status::Unavailable("sse " + host_port_ + ": not connected");
    Stream& s = *stream_;
    if (!s.read_pending) {
      s.read_pending = true;
      s.read_done = false;
      s.socket.async_read_some(net::buffer(s.chunk), [&s](ErrorCode ec, size_t bytes) {
        s.read_ec = ec;
        s.read_bytes = bytes;
        s.read_done = true;
      });
    }
    if (!RunUntil(s.io, s.read_done, deadline)) {
      return core::Status::Unavailable("sse " + host_port_ + ": timeout waiting for an event");
    }
    s.read_pending = false;
    if (s.read_ec == net::error::eof) return Fail("stream closed");
    if (s.read_ec) return Fail(s.read_ec.message());
    parser_.Feed(std::string_view(s.chunk.data(), s.read_bytes));
  }
}

}  // namespace vitals::server
