#include "server/http/sse_session.h"

#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "server/http/response_encoder.h"

namespace vitals::server {
namespace {

const std::shared_ptr<const std::string>& KeepaliveComment() {
  static const auto* const comment = new std::shared_ptr<const std::string>(
      std::make_shared<const std::string>(": keepalive\n\n"));
  return *comment;
}

}  // namespace

SseSession::SseSession(std::shared_ptr<ServerState> state, Executor executor)
    : StreamSession(std::move(state), executor), socket_(executor), keepalive_timer_(executor) {}

void SseSession::Run(Socket socket) {
  socket_ = std::move(socket);
  if (!BeginRunning()) return;
  const std::string_view head = SseResponseHead();
  write_started_ = std::chrono::steady_clock::now();
  net::async_write(socket_, net::buffer(head.data(), head.size()),
                   [self = self<SseSession>()](ErrorCode ec, size_t) { self->OnHeadWritten(ec); });
}

void SseSession::OnHeadWritten(ErrorCode ec) {
  if (finished()) return;
  if (ec) return Finish();
  ArmKeepalive();
  Read();
  Opened();
}

void SseSession::Read() {
  socket_.async_read_some(net::buffer(discard_), [self = self<SseSession>()](ErrorCode ec, size_t) {
    if (self->finished()) return;
    if (ec) return self->Finish();  // EOF: the client left
    self->Read();
  });
}

void SseSession::Write() {
  switch (queue_.Pop(&writing_)) {
    case OutboundQueue::Next::kMessage:
      write_started_ = std::chrono::steady_clock::now();
      net::async_write(socket_, net::buffer(*writing_),
                       beast::bind_front_handler(&SseSession::OnWrite, self<SseSession>()));
      return;
    case OutboundQueue::Next::kIdle:
      return;
    case OutboundQueue::Next::kClose:
      return Finish();  // drained: the response ends with the connection
  }
}

void SseSession::OnWrite(ErrorCode ec, size_t) {
  writing_.reset();
  queue_.WriteDone();
  if (finished()) return;
  if (ec) return Finish();
  wrote_since_tick_ = true;
  Write();
}

void SseSession::ArmKeepalive() {
  keepalive_timer_.expires_after(state_->options.sse_keepalive_interval);
  keepalive_timer_.async_wait(
      beast::bind_front_handler(&SseSession::OnKeepalive, self<SseSession>()));
}

void SseSession::OnKeepalive(ErrorCode ec) {
  if (ec || finished()) return;
  if (writing_ != nullptr &&
      std::chrono::steady_clock::now() - write_started_ >= state_->options.idle_timeout) {
    return Finish();  // the client stopped reading long ago
  }
  if (!wrote_since_tick_ && queue_.size() == 0) Send(KeepaliveComment());
  wrote_since_tick_ = false;
  ArmKeepalive();
}

void SseSession::CloseTransport() {
  keepalive_timer_.cancel();
  ErrorCode ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

void SseSession::OnQueueClosed(int code) {
  if (code == OutboundQueue::kTooSlowCode) Finish();
}

}  // namespace vitals::server
