#include "server/http/probe_operation.h"

#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>

#include "server/http/beast_verb.h"
#include "server/http/client_io.h"

namespace vitals::server {
namespace {

namespace http = beast::http;

std::string HostHeader(const std::string& host, uint16_t port) {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != 80) h += ":" + std::to_string(port);
  return h;
}

constexpr size_t kHeaderLimit = 64 * 1024;

}  // namespace

ProbeOperation::ProbeOperation(net::io_context& io, ProbeRequest request, Done done)
    : request_(std::move(request)),
      done_(std::move(done)),
      stream_(net::make_strand(io)),
      resolver_(stream_.get_executor()),
      resolve_timer_(stream_.get_executor()) {}

void ProbeOperation::Start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->start_ = Clock::now();
    self->deadline_ = self->start_ + self->request_.timeout;
    self->Resolve();
  });
}

void ProbeOperation::Cancel() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->finished_) return;
    self->cancelled_ = true;
    ErrorCode ec;
    self->resolver_.cancel();
    self->resolve_timer_.cancel();
    self->stream_.socket().close(ec);
  });
}

void ProbeOperation::Resolve() {
  ErrorCode ec;
  const net::ip::address address = net::ip::make_address(request_.host, ec);
  if (!ec) {
    // An IP literal: no resolver round trip.
    Connect(tcp::resolver::results_type::create(tcp::endpoint(address, request_.port),
                                                request_.host, std::to_string(request_.port)));
    return;
  }
  // The resolver has no deadline of its own (getaddrinfo runs on a helper thread).
  resolve_timer_.expires_at(deadline_);
  resolve_timer_.async_wait([self = shared_from_this()](const ErrorCode& e) {
    if (e || self->finished_) return;
    self->resolve_timed_out_ = true;
    self->resolver_.cancel();
  });
  resolver_.async_resolve(
      request_.host, std::to_string(request_.port),
      [self = shared_from_this()](const ErrorCode& e, tcp::resolver::results_type results) {
        self->resolve_timer_.cancel();
        if (self->resolve_timed_out_) return self->Fail("resolve", beast::error::timeout);
        if (e) return self->Fail("resolve", e);
        self->Connect(results);
      });
}

void ProbeOperation::Connect(const tcp::resolver::results_type& endpoints) {
  if (cancelled_) return Fail("connect", net::error::operation_aborted);
  if (request_.public_only) {
    core::Status s = RequirePublicEndpoints(endpoints, "connect", request_.host, request_.port);
    if (!s.ok()) return Finish(s.message());
  }
  stream_.expires_at(deadline_);
  stream_.async_connect(endpoints,
                        [self = shared_from_this()](const ErrorCode& ec, const tcp::endpoint&) {
                          self->OnConnect(ec);
                        });
}

void ProbeOperation::OnConnect(const ErrorCode& ec) {
  if (ec) return Fail("connect", ec);
  result_.connected = true;
  if (request_.kind == ProbeKind::kTcp) return Finish({});
  ErrorCode ignored;
  stream_.socket().set_option(tcp::no_delay(true), ignored);
  Write();
}

void ProbeOperation::Write() {
  http_request_ = http::request<Body>(ToBeastVerb(request_.method, beast::http::verb::get),
                                      request_.target, 11);
  http_request_.set(http::field::host, HostHeader(request_.host, request_.port));
  http_request_.set(http::field::user_agent, "vitals-check/1");
  http_request_.set(http::field::accept, "*/*");
  http_request_.set(http::field::connection, "close");
  for (const auto& [name, value] : request_.headers) http_request_.set(name, value);
  http_request_.body() = request_.body;
  if (!request_.body.empty() || request_.method == Method::kPost ||
      request_.method == Method::kPut || request_.method == Method::kPatch) {
    http_request_.prepare_payload();
  }
  http::async_write(stream_, http_request_,
                    [self = shared_from_this()](const ErrorCode& ec, size_t) {
                      if (ec) return self->Fail("write", ec);
                      self->ReadHeader();
                    });
}

void ProbeOperation::ReadHeader() {
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(boost::none);  // the cap is applied while reading, by cutting
  if (request_.method == Method::kHead) parser_->skip(true);
  http::async_read_header(
      stream_, buffer_, *parser_, [self = shared_from_this()](const ErrorCode& ec, size_t) {
        if (ec) return self->Fail("read", ec);
        self->result_.status_code = static_cast<int>(self->parser_->get().result_int());
        self->ReadBody();
      });
}

void ProbeOperation::ReadBody() {
  if (parser_->is_done()) return Finish({});
  if (parser_->get().body().size() >= request_.max_body_bytes) {
    result_.body_truncated = true;
    return Finish({});
  }
  http::async_read_some(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](const ErrorCode& ec, size_t) { self->OnBodyRead(ec); });
}

void ProbeOperation::OnBodyRead(const ErrorCode& ec) {
  if (ec == http::error::need_buffer) return ReadBody();
  if (ec) return Fail("read body", ec);
  ReadBody();
}

void ProbeOperation::Fail(std::string_view phase, const ErrorCode& ec) {
  if (cancelled_) return Finish("cancelled");
  if (ec == beast::error::timeout) {
    result_.timed_out = true;
    return Finish("timeout after " + std::to_string(request_.timeout.count()) + " ms");
  }
  std::string reason = ec.message();
  if (!reason.empty()) reason[0] = static_cast<char>(std::toupper(reason[0]));
  Finish(std::string(phase) + ": " + reason);
}

void ProbeOperation::Finish(std::string error) {
  if (finished_) return;
  finished_ = true;
  result_.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
  result_.error = std::move(error);
  if (parser_) {
    result_.body = std::move(parser_->get().body());
    if (result_.body.size() > request_.max_body_bytes) {
      result_.body.resize(request_.max_body_bytes);
      result_.body_truncated = true;
    }
  }
  ErrorCode ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
  resolve_timer_.cancel();
  Done done = std::move(done_);
  done(std::move(result_));
}

}  // namespace vitals::server
