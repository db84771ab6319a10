// One HTTP/1.1 connection. Internal to src/server/http.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "server/http/asio_types.h"
#include "server/http/http_types.h"
#include "server/http/request_builder.h"
#include "server/http/server_state.h"
#include "server/http/session_registry.h"

namespace vitals::server {

// Reads one request at a time, hands it to the RequestHandler and writes the response before
// reading the next (pipelined requests wait in the buffer), so at most one write is in flight.
// Upgrades to a WebSocketSession or SseSession on the configured paths. All private members are
// touched only on the connection's strand.
class HttpSession final : public Closable, public std::enable_shared_from_this<HttpSession> {
 public:
  // kBusy: the server is at max_connections; kBusyPeer: the client at max_connections_per_peer.
  enum class Admission { kServe, kBusy, kBusyPeer };

  HttpSession(std::shared_ptr<ServerState> state, Socket socket);

  // Registers the connection and starts serving it; when busy, answers 503 with Retry-After and
  // closes. Called once, by the listener.
  void Start(Admission admission);
  const std::string& peer_address() const { return peer_.address; }
  // Closable: closes the socket; a response still owed by the handler is dropped.
  void Shutdown() override;
  // Closable: closes unless a request's head is complete (it is being answered).
  void Shed() override;
  // Closable: the request being read or handled is still answered (Connection: close); an idle
  // connection closes after ServerState::kDrainGrace.
  void Drain() override;

 private:
  enum class Phase { kReading, kHandling, kWriting, kLingering, kDone };
  // While kReading: what the deadline waits for.
  enum class Wait { kIdle, kHead, kBody };
  using Clock = std::chrono::steady_clock;

  void ReadRequest();
  void ParseBuffered();
  void OnRead(ErrorCode ec, size_t bytes);
  void OnParseError(ErrorCode ec);
  void OnBytesArrived();
  void OnReadTimeout();
  void SendContinue();
  void OnRequest();
  void StartStream(StreamKind kind, const HttpRequest& request);
  void Respond(uint64_t request_id, HttpResponse response);
  void WriteResponse(HttpResponse response);
  void OnWrite(ErrorCode ec, size_t bytes);
  void LingeringClose();
  void DrainInput();
  void SetDeadline(Clock::duration from_now);
  void ArmTimer();
  void OnTimer(ErrorCode ec);
  void Finish();
  void Uncount();

  const std::shared_ptr<ServerState> state_;  // first: outlives the socket and timer below
  Socket socket_;
  Timer timer_;
  PeerInfo peer_;
  Registration registration_;
  beast::flat_buffer buffer_;  // reused across requests; may hold the next pipelined one
  std::optional<beast::http::request_parser<PaddedStringBody>> parser_;
  std::string head_;       // the response head being written, reused
  HttpResponse response_;  // owns the body being written
  Phase phase_ = Phase::kReading;
  Wait wait_ = Wait::kHead;  // a new connection owes its first request's head at once
  bool received_ = false;    // bytes of the request being read have arrived
  bool counted_ = false;     // in ServerState::http_sessions
  bool keep_alive_ = true;
  bool head_request_ = false;
  bool continue_sent_ = false;
  uint64_t request_id_ = 0;  // identifies the request a Responder answers
  Clock::time_point deadline_;
  bool timer_armed_ = false;
};

}  // namespace vitals::server
