#include "server/http/outbound_queue.h"

#include <utility>

namespace vitals::server {

OutboundQueue::OutboundQueue(size_t max_messages, size_t max_bytes)
    : max_messages_(max_messages), max_bytes_(max_bytes) {}

OutboundQueue::Outcome OutboundQueue::Push(std::shared_ptr<const std::string> message) {
  std::lock_guard<std::mutex> lock(mu_);
  Outcome outcome;
  if (closed_) return outcome;
  const bool too_many = messages_.size() >= max_messages_;
  if (too_many || bytes_ + message->size() > max_bytes_) {
    CloseLocked(kTooSlowCode,
                too_many
                    ? "client too slow: " + std::to_string(messages_.size()) + " messages queued"
                    : "client too slow: " + std::to_string(bytes_) + " bytes queued",
                /*discard=*/true, &outcome);
    return outcome;
  }
  bytes_ += message->size();
  messages_.push_back(std::move(message));
  outcome.accepted = true;
  outcome.wake_writer = ClaimWriterLocked();
  return outcome;
}

OutboundQueue::Outcome OutboundQueue::Close(int code, std::string reason, bool discard) {
  std::lock_guard<std::mutex> lock(mu_);
  Outcome outcome;
  if (!closed_) CloseLocked(code, std::move(reason), discard, &outcome);
  return outcome;
}

bool OutboundQueue::Open() {
  std::lock_guard<std::mutex> lock(mu_);
  open_ = true;
  return (!messages_.empty() || closed_) && ClaimWriterLocked();
}

void OutboundQueue::CloseLocked(int code, std::string reason, bool discard, Outcome* outcome) {
  closed_ = true;
  close_code_ = code;
  close_reason_ = std::move(reason);
  if (discard) {
    messages_.clear();
    bytes_ = 0;
  }
  outcome->closed_now = true;
  outcome->wake_writer = ClaimWriterLocked();
}

bool OutboundQueue::ClaimWriterLocked() {
  if (!open_ || writing_) return false;
  writing_ = true;
  return true;
}

OutboundQueue::Next OutboundQueue::Pop(std::shared_ptr<const std::string>* message) {
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_ = false;
  if (!messages_.empty()) {
    *message = std::move(messages_.front());
    messages_.pop_front();
    bytes_ -= (*message)->size();
    in_flight_ = true;
    return Next::kMessage;
  }
  if (closed_) return Next::kClose;  // the writer keeps ownership, so nobody else wakes it
  writing_ = false;
  return Next::kIdle;
}

void OutboundQueue::WriteDone() {
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_ = false;
}

bool OutboundQueue::closed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_;
}

int OutboundQueue::close_code() const {
  std::lock_guard<std::mutex> lock(mu_);
  return close_code_;
}

std::string OutboundQueue::close_reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return close_reason_;
}

size_t OutboundQueue::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return messages_.size() + (in_flight_ ? 1 : 0);
}

}  // namespace vitals::server
