// One Server-Sent-Events connection. Internal to src/server/http.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <string>

#include "server/http/stream_session.h"

namespace vitals::server {

// Writes the 200 text/event-stream head, then each Send() verbatim (the application formats the
// event blocks), and a ": keepalive" comment when nothing was written for a keepalive interval.
// The body ends with the connection. Input from the client is read only to notice it leaving.
// An overflowing queue cuts the connection at once: nothing can be said past a stuck write.
// A write stuck for idle_timeout cuts it too.
class SseSession final : public StreamSession {
 public:
  SseSession(std::shared_ptr<ServerState> state, Executor executor);

  // Accepted: takes the connection and starts the response. Called once, on the strand.
  void Run(Socket socket);

  StreamKind kind() const override { return StreamKind::kServerSentEvents; }

 private:
  void OnHeadWritten(ErrorCode ec);
  void Read();
  void Write() override;
  void OnWrite(ErrorCode ec, size_t bytes);
  void ArmKeepalive();
  void OnKeepalive(ErrorCode ec);
  void CloseTransport() override;
  void OnQueueClosed(int code) override;

  Socket socket_;
  Timer keepalive_timer_;
  std::array<char, 512> discard_;
  std::shared_ptr<const std::string> writing_;  // the message being written
  std::chrono::steady_clock::time_point write_started_;
  bool wrote_since_tick_ = false;
};

}  // namespace vitals::server
