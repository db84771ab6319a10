// One probe in flight: resolve, connect, and for HTTP write the request and read the response,
// all on one strand under one deadline. Internal to src/server/http (probe_client.cc).
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "server/http/asio_types.h"
#include "server/http/probe_client.h"

namespace vitals::server {

class ProbeOperation final : public std::enable_shared_from_this<ProbeOperation> {
 public:
  using Done = std::function<void(ProbeResult)>;

  // `done` runs once, on the operation's strand.
  ProbeOperation(net::io_context& io, ProbeRequest request, Done done);
  void Start();
  // From any thread: ends the probe soon with error "cancelled".
  void Cancel();

 private:
  using Clock = std::chrono::steady_clock;
  using Body = beast::http::string_body;

  void Resolve();
  void Connect(const tcp::resolver::results_type& endpoints);
  void OnConnect(const ErrorCode& ec);
  void Write();
  void ReadHeader();
  void ReadBody();
  void OnBodyRead(const ErrorCode& ec);
  // Ends the probe: `phase` and `ec` describe a failure, empty/none for success.
  void Fail(std::string_view phase, const ErrorCode& ec);
  void Finish(std::string error);

  ProbeRequest request_;
  Done done_;
  beast::tcp_stream stream_;
  tcp::resolver resolver_;
  net::steady_timer resolve_timer_;
  beast::flat_buffer buffer_;
  beast::http::request<Body> http_request_;
  std::optional<beast::http::response_parser<Body>> parser_;
  Clock::time_point start_;
  Clock::time_point deadline_;
  ProbeResult result_;
  bool resolve_timed_out_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
};

}  // namespace vitals::server
