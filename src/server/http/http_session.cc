#include "server/http/http_session.h"

#include <algorithm>
#include <array>
#include <boost/asio/defer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "server/http/response_encoder.h"
#include "server/http/stream_upgrade.h"

namespace vitals::server {
namespace {

namespace http = beast::http;

constexpr uint32_t kHeaderLimit = 16 * 1024;
constexpr size_t kReadChunk = 16 * 1024;
// After a response that ends the connection, unread input is drained this long before closing:
// closing with unread data makes the kernel send RST, which can destroy the response in flight.
constexpr std::chrono::seconds kLingerTime{2};
constexpr size_t kKeptBodyCapacity = 64 * 1024;

bool IsLoopback(const net::ip::address& address) {
  if (address.is_loopback()) return true;
  return address.is_v6() && address.to_v6().is_v4_mapped() &&
         net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).is_loopback();
}

}  // namespace

HttpSession::HttpSession(std::shared_ptr<ServerState> state, Socket socket)
    : state_(std::move(state)), socket_(std::move(socket)), timer_(socket_.get_executor()) {
  ErrorCode ec;
  const tcp::endpoint remote = socket_.remote_endpoint(ec);
  if (!ec) {
    peer_.address = remote.address().to_string();
    peer_.loopback = IsLoopback(remote.address());
  }
}

void HttpSession::Start(Admission admission) {
  // Runs on the listener's strand, before anything else can reach this session.
  if (!registration_.Register(&state_->registry, weak_from_this(), peer_.address)) {
    ErrorCode ec;
    socket_.close(ec);
    phase_ = Phase::kDone;
    return;
  }
  counted_ = true;
  ++state_->http_sessions;
  net::post(socket_.get_executor(), [self = shared_from_this(), admission] {
    if (admission == Admission::kServe) return self->ReadRequest();
    self->keep_alive_ = false;
    HttpResponse busy = HttpResponse::Error(503, admission == Admission::kBusyPeer
                                                     ? "too many connections from this address"
                                                     : "too many connections");
    busy.headers.emplace_back("Retry-After", "1");
    self->phase_ = Phase::kHandling;
    self->WriteResponse(std::move(busy));
  });
}

void HttpSession::Shutdown() {
  net::post(socket_.get_executor(), [self = shared_from_this()] { self->Finish(); });
}

void HttpSession::Shed() {
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    const bool waiting = self->phase_ == Phase::kReading && self->wait_ != Wait::kBody;
    if (waiting || self->phase_ == Phase::kLingering) self->Finish();
  });
}

void HttpSession::Drain() {
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == Phase::kReading && !self->received_) {
      self->SetDeadline(ServerState::kDrainGrace);
    }
  });
}

void HttpSession::ReadRequest() {
  phase_ = Phase::kReading;
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(state_->options.max_body_bytes);
  parser_->eager(true);
  continue_sent_ = false;
  received_ = buffer_.size() > 0;  // pipelined
  if (received_) wait_ = Wait::kHead;
  SetDeadline(wait_ == Wait::kIdle ? state_->options.idle_timeout : state_->options.header_timeout);
  if (state_->draining.load() && !received_) SetDeadline(ServerState::kDrainGrace);
  registration_.MarkWaitingForHead();
  ParseBuffered();
}

void HttpSession::ParseBuffered() {
  while (buffer_.size() > 0) {
    ErrorCode ec;
    const size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == http::error::need_more) break;
    if (ec) return OnParseError(ec);
    if (parser_->is_done()) return OnRequest();
    if (used == 0) break;
  }
  if (wait_ != Wait::kBody && parser_->is_header_done()) {
    wait_ = Wait::kBody;
    SetDeadline(state_->options.body_timeout);
    registration_.MarkBusy();
  }
  if (parser_->is_header_done() && !continue_sent_ &&
      beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
    return SendContinue();
  }
  socket_.async_read_some(buffer_.prepare(kReadChunk),
                          beast::bind_front_handler(&HttpSession::OnRead, shared_from_this()));
}

void HttpSession::OnRead(ErrorCode ec, size_t bytes) {
  if (phase_ != Phase::kReading) return;
  if (ec) {
    // A client closing an idle keep-alive connection is the normal end; a request cut short
    // cannot be answered either.
    return Finish();
  }
  buffer_.commit(bytes);
  if (bytes > 0 && !received_) OnBytesArrived();
  ParseBuffered();
}

void HttpSession::OnBytesArrived() {
  received_ = true;
  if (wait_ != Wait::kIdle) return;
  wait_ = Wait::kHead;
  SetDeadline(state_->options.header_timeout);
}

void HttpSession::OnReadTimeout() {
  if (!received_) {
    ErrorCode ec;
    // Stopping, a request may have arrived that the loop, busy, has not read yet: answer it.
    if (!state_->draining.load() || socket_.available(ec) == 0) return Finish();  // nothing asked
    received_ = true;
    wait_ = Wait::kHead;
    return SetDeadline(state_->options.header_timeout);
  }
  ErrorCode ec;
  socket_.cancel(ec);  // the pending read (or 100-continue write) completes and is ignored
  keep_alive_ = false;
  head_request_ = false;
  phase_ = Phase::kHandling;
  WriteResponse(HttpResponse::Error(408, wait_ == Wait::kBody
                                             ? "request body not received in time"
                                             : "request head not received in time"));
}

void HttpSession::OnParseError(ErrorCode ec) {
  keep_alive_ = false;  // the rest of the input cannot be framed, so the connection ends
  head_request_ = false;
  phase_ = Phase::kHandling;
  if (ec == http::error::body_limit) {
    return WriteResponse(HttpResponse::Error(
        413, "body exceeds " + std::to_string(state_->options.max_body_bytes) + " bytes"));
  }
  if (ec == http::error::header_limit) {
    return WriteResponse(HttpResponse::Error(431, "request header too large"));
  }
  WriteResponse(HttpResponse::Error(400, "malformed request: " + ec.message()));
}

void HttpSession::SendContinue() {
  continue_sent_ = true;
  const std::string_view line = ContinueResponse();
  net::async_write(socket_, net::buffer(line.data(), line.size()),
                   [self = shared_from_this()](ErrorCode ec, size_t) {
                     if (self->phase_ != Phase::kReading) return;
                     if (ec) return self->Finish();
                     self->ParseBuffered();
                   });
}

void HttpSession::OnRequest() {
  phase_ = Phase::kHandling;
  registration_.MarkBusy();
  BeastRequest& message = parser_->get();
  keep_alive_ = message.keep_alive();
  head_request_ = message.method() == http::verb::head;
  HttpRequest request;
  if (std::optional<HttpResponse> error =
          BuildRequest(message, peer_, state_->options.max_body_bytes, &request)) {
    return WriteResponse(std::move(*error));
  }
  if (std::optional<StreamKind> kind = StreamKindFor(state_->options, message, request.path)) {
    return StartStream(*kind, request);
  }
  const uint64_t id = ++request_id_;
  state_->requests.Handle(std::move(request),
                          [self = shared_from_this(), id](HttpResponse response) {
                            self->Respond(id, std::move(response));
                          });
}

void HttpSession::StartStream(StreamKind kind, const HttpRequest& request) {
  if (std::optional<HttpResponse> refusal =
          HandOverToStream(state_, kind, request, peer_.address, socket_, *parser_)) {
    return WriteResponse(std::move(*refusal));
  }
  // The stream session owns the socket now and registered itself.
  phase_ = Phase::kDone;
  timer_.cancel();
  registration_.Release();
  Uncount();
}

void HttpSession::Respond(uint64_t request_id, HttpResponse response) {
  auto write = [self = shared_from_this(), request_id, response = std::move(response)]() mutable {
    // Ignores a second call of the same Responder, and answers after Shutdown().
    if (self->phase_ != Phase::kHandling || request_id != self->request_id_) return;
    self->WriteResponse(std::move(response));
  };
  // A handler answering at once is on the strand already: no hop.
  if (socket_.get_executor().running_in_this_thread()) return write();
  // Answered on an event loop thread (a batch of acknowledgements): queue the write behind the
  // running handler on this same thread instead of waking another. The loop is running, so the
  // server has not stopped.
  if (state_->io_context.get_executor().running_in_this_thread()) {
    return net::defer(socket_.get_executor(), std::move(write));
  }
  state_->PostUnlessStopped(socket_.get_executor(), std::move(write));
}

void HttpSession::WriteResponse(HttpResponse response) {
  phase_ = Phase::kWriting;
  response_ = std::move(response);
  if (state_->draining.load()) keep_alive_ = false;
  const bool send_body = EncodeResponseHead(response_, keep_alive_, head_request_, &head_);
  const std::array<net::const_buffer, 2> buffers = {
      net::buffer(head_),
      net::buffer(response_.body.data(), send_body ? response_.body.size() : 0)};
  SetDeadline(state_->options.idle_timeout);
  net::async_write(socket_, buffers,
                   beast::bind_front_handler(&HttpSession::OnWrite, shared_from_this()));
}

void HttpSession::OnWrite(ErrorCode ec, size_t) {
  if (phase_ != Phase::kWriting) return;
  if (ec) return Finish();
  response_.body.clear();
  if (response_.body.capacity() > kKeptBodyCapacity) response_.body.shrink_to_fit();
  if (!keep_alive_) return LingeringClose();
  wait_ = Wait::kIdle;
  ReadRequest();
}

void HttpSession::LingeringClose() {
  phase_ = Phase::kLingering;
  ErrorCode ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return Finish();
  SetDeadline(kLingerTime);
  registration_.MarkLingering();
  DrainInput();
}

void HttpSession::DrainInput() {
  buffer_.clear();
  socket_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](ErrorCode ec, size_t) {
                            if (self->phase_ != Phase::kLingering) return;
                            if (ec) return self->Finish();  // the client's EOF, usually
                            self->DrainInput();
                          });
}

void HttpSession::SetDeadline(Clock::duration from_now) {
  deadline_ = Clock::now() + from_now;
  // Moving the deadline later is just a store: the timer, firing early, sleeps again until the
  // current deadline. Only an earlier deadline (lingering) re-arms it.
  if (timer_armed_ && timer_.expiry() <= deadline_) return;
  ArmTimer();
}

void HttpSession::ArmTimer() {
  timer_armed_ = true;
  timer_.expires_at(deadline_);
  timer_.async_wait(beast::bind_front_handler(&HttpSession::OnTimer, shared_from_this()));
}

void HttpSession::OnTimer(ErrorCode ec) {
  if (ec == net::error::operation_aborted) return;  // re-armed, or finished
  timer_armed_ = false;
  // While the handler works there is no deadline; the next read or write sets one again.
  if (phase_ == Phase::kDone || phase_ == Phase::kHandling) return;
  if (Clock::now() < deadline_) return ArmTimer();
  if (phase_ == Phase::kReading) return OnReadTimeout();
  Finish();
}

void HttpSession::Finish() {
  if (phase_ == Phase::kDone) return;
  phase_ = Phase::kDone;
  ErrorCode ec;
  socket_.close(ec);
  timer_.cancel();
  registration_.Release();
  Uncount();
}

void HttpSession::Uncount() {
  if (!counted_) return;
  counted_ = false;
  --state_->http_sessions;
}

}  // namespace vitals::server
