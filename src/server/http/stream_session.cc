#include "server/http/stream_session.h"

#include <algorithm>

namespace vitals::server {
namespace {

constexpr int kNormalClosure = 1000;
constexpr int kGoingAway = 1001;
constexpr int kPolicyViolation = 1008;
constexpr std::chrono::milliseconds kShutdownGrace{500};

}  // namespace

StreamSession::StreamSession(std::shared_ptr<ServerState> state, Executor executor)
    : state_(std::move(state)),
      executor_(std::move(executor)),
      queue_(state_->options.max_queued_messages, state_->options.max_queued_bytes),
      close_timer_(executor_) {}

bool StreamSession::Send(std::shared_ptr<const std::string> message) {
  if (message == nullptr) return false;
  const OutboundQueue::Outcome outcome = queue_.Push(std::move(message));
  Follow(outcome, state_->options.close_timeout);
  return outcome.accepted;
}

void StreamSession::Close(std::string_view reason) {
  Follow(queue_.Close(kNormalClosure, std::string(reason), /*discard=*/false),
         state_->options.close_timeout);
}

void StreamSession::CloseForPolicy(std::string_view reason) {
  // An SSE session cuts a 1008 close at once (its too-slow code): it ends normally, drained.
  const int code = kind() == StreamKind::kWebSocket ? kPolicyViolation : kNormalClosure;
  Follow(queue_.Close(code, std::string(reason), /*discard=*/false), state_->options.close_timeout);
}

void StreamSession::Shutdown() {
  Follow(queue_.Close(kGoingAway, "server shutting down", /*discard=*/true),
         std::min(kShutdownGrace, state_->options.close_timeout));
}

void StreamSession::CloseWith(int code, std::string reason) {
  Follow(queue_.Close(code, std::move(reason), /*discard=*/true), state_->options.close_timeout);
}

void StreamSession::Abandon() { queue_.Close(kNormalClosure, "refused", /*discard=*/true); }

bool StreamSession::BeginRunning() {
  running_ = true;
  if (!registration_.Register(&state_->registry, weak_from_this(), peer_address_)) {
    Finish();
    return false;
  }
  // A close that came earlier (in Accept, say) posted its OnClosing behind this on the strand.
  return true;
}

void StreamSession::Opened() {
  if (!finished_ && queue_.Open()) Write();
}

void StreamSession::Follow(OutboundQueue::Outcome outcome, std::chrono::milliseconds grace) {
  if (!outcome.closed_now && !outcome.wake_writer) return;
  state_->PostUnlessStopped(executor_, [self = shared_from_this(), outcome, grace] {
    if (outcome.closed_now) self->OnClosing(grace);
    if (outcome.wake_writer && !self->finished_) self->Write();
  });
}

void StreamSession::OnClosing(std::chrono::milliseconds grace) {
  if (!running_ || finished_) return;
  NotifyClosed();
  close_timer_.expires_after(grace);
  close_timer_.async_wait([self = shared_from_this()](ErrorCode ec) {
    if (!ec) self->Finish();
  });
  OnQueueClosed(queue_.close_code());
}

void StreamSession::Finish() {
  if (finished_) return;
  finished_ = true;
  CloseTransport();
  queue_.Close(kGoingAway, "connection closed", /*discard=*/true);
  close_timer_.cancel();
  registration_.Release();
  NotifyClosed();
}

void StreamSession::NotifyClosed() {
  if (!running_ || close_notified_) return;
  close_notified_ = true;
  state_->streams.OnClose(shared_from_this());
}

}  // namespace vitals::server
