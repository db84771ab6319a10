// The bounded queue of messages waiting to go out on one stream connection (WebSocket or SSE).
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

namespace vitals::server {

// Any thread pushes; the connection's single writer pops. The queue also decides who writes: a
// push or close that finds no writer running hands the caller the job of starting one, so exactly
// one write is in flight and nobody writes while holding the lock.
// Thread-safety: every method is safe to call concurrently.
class OutboundQueue final {
 public:
  // The close code an overflow records (WebSocket's "policy violation").
  static constexpr int kTooSlowCode = 1008;

  OutboundQueue(size_t max_messages, size_t max_bytes);
  OutboundQueue(const OutboundQueue&) = delete;
  OutboundQueue& operator=(const OutboundQueue&) = delete;

  // What a Push or Close asks of its caller.
  struct Outcome {
    bool accepted = false;     // Push: the message is queued
    bool closed_now = false;   // this call closed the queue (an overflow, or the first Close)
    bool wake_writer = false;  // no writer is running: the caller must start one
  };
  // Queues `message`. An overflow drops it and everything queued, and closes the queue with
  // kTooSlowCode and "client too slow: N messages queued" (or "... bytes queued").
  Outcome Push(std::shared_ptr<const std::string> message);
  // Closes the queue: Push fails from now on. `discard` drops what is still queued; otherwise the
  // writer drains it first. The first close's code and reason stick.
  Outcome Close(int code, std::string reason, bool discard);

  // The stream is ready to write (handshake done). Returns true when the caller must start the
  // writer because messages or a close are already waiting.
  bool Open();

  enum class Next { kMessage, kIdle, kClose };
  // Writer side. kMessage: `*message` is the next one to write. kIdle: nothing to do, the writer
  // stops (a later push wakes it). kClose: closed and drained; the writer should close the stream.
  Next Pop(std::shared_ptr<const std::string>* message);
  // The message Pop returned has been written.
  void WriteDone();

  bool closed() const;
  int close_code() const;
  std::string close_reason() const;
  size_t size() const;  // queued plus the one being written

 private:
  void CloseLocked(int code, std::string reason, bool discard, Outcome* outcome);
  // Makes the caller the writer if the stream is open and nobody writes.
  bool ClaimWriterLocked();

  mutable std::mutex mu_;
  const size_t max_messages_;
  const size_t max_bytes_;
  std::deque<std::shared_ptr<const std::string>> messages_;
  size_t bytes_ = 0;
  bool writing_ = false;  // a writer owns the stream
  bool in_flight_ = false;
  bool open_ = false;
  bool closed_ = false;
  int close_code_ = 0;
  std::string close_reason_;
};

}  // namespace vitals::server
