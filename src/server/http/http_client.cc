#include "server/http/http_client.h"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "server/http/beast_verb.h"
#include "server/http/client_io.h"
#include "server/http/gzip_codec.h"

namespace vitals::server {
namespace {

namespace http = beast::http;

constexpr uint64_t kMaxResponseBody = uint64_t{1} << 30;

}  // namespace

// The socket and its buffer; recreated for every new connection.
class HttpClient::Connection final {
 public:
  net::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;

  // One exchange. `*received_any`: some response bytes arrived (so a retry is unsafe).
  core::Result<ClientResponse> Exchange(const http::request<http::string_body>& request,
                                        ClientClock::time_point deadline, bool* received_any,
                                        bool* keep_alive);

  // After a timeout: cancels what is pending (its handlers reference the caller's frame).
  core::Status Abort() {
    ErrorCode ec;
    socket.close(ec);
    Drain(io);
    return core::Status::Unavailable("timeout");
  }
};

core::Result<ClientResponse> HttpClient::Connection::Exchange(
    const http::request<http::string_body>& request, ClientClock::time_point deadline,
    bool* received_any, bool* keep_alive) {
  ErrorCode write_ec;
  bool written = false;
  http::async_write(socket, request, [&](ErrorCode ec, size_t) {
    write_ec = ec;
    written = true;
  });
  if (!RunUntil(io, written, deadline)) return Abort();
  // Even when the write failed, the server may have answered first (413 for a body it would not
  // read), so the response is read either way.
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBody);
  if (request.method() == http::verb::head) parser.skip(true);
  ErrorCode read_ec;
  bool read = false;
  http::async_read(socket, buffer, parser, [&](ErrorCode ec, size_t) {
    read_ec = ec;
    read = true;
  });
  if (!RunUntil(io, read, deadline)) return Abort();
  *received_any = parser.got_some();
  if (read_ec) {
    return core::Status::Unavailable(write_ec ? write_ec.message() : read_ec.message());
  }
  http::response<http::string_body> message = parser.release();
  *keep_alive = message.keep_alive();
  ClientResponse response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    response.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  response.body = std::move(message.body());
  return response;
}

HttpClient::HttpClient(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {}

HttpClient::~HttpClient() { Close(); }

bool HttpClient::connected() const { return connection_ != nullptr; }

void HttpClient::Close() {
  if (connection_ == nullptr) return;
  ErrorCode ec;
  connection_->socket.close(ec);
  Drain(connection_->io);
  connection_.reset();
}

core::Result<ClientResponse> HttpClient::Request(Method method, std::string_view target,
                                                 std::string_view body, const Headers& headers,
                                                 std::chrono::milliseconds timeout) {
  const ClientClock::time_point deadline = DeadlineAfter(timeout);
  const http::verb verb = ToBeastVerb(method);
  if (verb == http::verb::unknown) return core::Status::InvalidArgument("unsupported method");
  http::request<http::string_body> request(verb, target, 11);
  request.set(http::field::host, host_ + ":" + std::to_string(port_));
  request.set(http::field::user_agent, "vitals");
  for (const auto& [name, value] : headers.items()) request.insert(name, value);
  if (gzip_requests_ && !body.empty()) {
    request.set(http::field::content_encoding, "gzip");
    request.body() = Gzip(body);
  } else {
    request.body().assign(body.data(), body.size());
  }
  request.prepare_payload();
  for (int attempt = 0;; ++attempt) {
    const bool reused = connection_ != nullptr;
    if (!reused) {
      auto connection = std::make_unique<Connection>();
      core::Status status = ConnectSocket(connection->io, connection->socket, host_, port_, 0,
                                          deadline, public_only_);
      if (!status.ok()) return status;
      connection_ = std::move(connection);
    }
    bool received_any = false;
    bool keep_alive = false;
    core::Result<ClientResponse> response =
        connection_->Exchange(request, deadline, &received_any, &keep_alive);
    if (!response.ok() || !keep_alive) Close();
    if (response.ok()) return response;
    const std::string reason = response.status().message();
    // A kept-alive connection the server closed meanwhile fails before any response byte.
    if (reused && !received_any && attempt == 0 && reason != "timeout") continue;
    return NetworkError("http", host_, port_, reason);
  }
}

}  // namespace vitals::server
