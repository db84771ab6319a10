// What WebSocket and SSE connections share: the StreamConnection the application sends to, its
// bounded queue, and the close protocol. Internal to src/server/http.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "server/http/asio_types.h"
#include "server/http/outbound_queue.h"
#include "server/http/server_state.h"
#include "server/http/session_registry.h"
#include "server/http/stream_handler.h"

namespace vitals::server {

// Life of a stream connection: HttpSession creates it and passes it to StreamHandler::Accept;
// then the derived session's Run() (accepted) or Abandon() (refused). Once running, the queue
// decides who writes (one write in flight); Write() is the writer. The connection counts as
// closed as soon as its queue closes (overflow, Close(), Shutdown(), the peer leaving, an error):
// Send() fails from then on, OnClose is called once on the strand, and the transport gets
// close_timeout to say goodbye before it is cut.
// Public methods are thread-safe; protected ones run on the connection's strand.
class StreamSession : public StreamConnection,
                      public Closable,
                      public std::enable_shared_from_this<StreamSession> {
 public:
  // StreamConnection.
  bool Send(std::shared_ptr<const std::string> message) final;
  void Close(std::string_view reason) final;
  void CloseForPolicy(std::string_view reason) final;
  bool closed() const final { return queue_.closed(); }
  size_t queued() const final { return queue_.size(); }

  // Closable: closes with 1001 "server shutting down", cut after a short grace.
  void Shutdown() final;
  // StreamHandler::Accept refused the connection: it never opens, Send() fails, no OnClose.
  void Abandon();
  // The client's address, counted against max_connections_per_peer. Set before Run().
  void set_peer_address(std::string address) { peer_address_ = std::move(address); }

 protected:
  StreamSession(std::shared_ptr<ServerState> state, Executor executor);

  // Marks the connection accepted and registers it. False when the server is stopping (the
  // session then Finish()es itself).
  bool BeginRunning();
  // The transport is ready to carry messages: starts the writer if anything waits.
  void Opened();
  // Closes with `code` and `reason`, dropping what is queued (a client that broke the protocol).
  void CloseWith(int code, std::string reason);
  // Cuts the transport, closes the queue, calls OnClose if not yet. Idempotent.
  void Finish();
  bool finished() const { return finished_; }

  // The writer: holds the writer role; writes the next message, or the goodbye after a close,
  // or returns when the queue is idle.
  virtual void Write() = 0;
  // Closes the socket now; pending operations complete with errors.
  virtual void CloseTransport() = 0;
  // The queue just closed with `code` (OnClose has been called).
  virtual void OnQueueClosed(int code) {}

  template <typename Derived>
  std::shared_ptr<Derived> self() {
    return std::static_pointer_cast<Derived>(shared_from_this());
  }

  const std::shared_ptr<ServerState> state_;  // first: outlives every I/O object
  const Executor executor_;
  OutboundQueue queue_;

 private:
  void Follow(OutboundQueue::Outcome outcome, std::chrono::milliseconds grace);
  void OnClosing(std::chrono::milliseconds grace);
  void NotifyClosed();

  Timer close_timer_;
  std::string peer_address_;
  Registration registration_;
  bool running_ = false;         // accepted: OnClose is owed
  bool close_notified_ = false;  // OnClose was called
  bool finished_ = false;
};

}  // namespace vitals::server
