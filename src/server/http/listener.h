// Accepts connections for one HttpServer. Internal to src/server/http.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "core/status.h"
#include "server/http/asio_types.h"
#include "server/http/http_session.h"
#include "server/http/server_state.h"

namespace vitals::server {

// Binds and listens in Listen(), then accepts one connection at a time and starts an HttpSession
// for each (a 503 one beyond max_connections_per_peer, or beyond max_connections when no waiting
// connection can be shed). Listen/Start/Close are called by HttpServer;
// accepting runs on the listener's own strand.
class Listener final : public std::enable_shared_from_this<Listener> {
 public:
  explicit Listener(std::shared_ptr<ServerState> state);

  // Resolves, binds and listens on options.address:options.port. kIoError names the address and
  // the reason ("address already in use").
  core::Status Listen();
  uint16_t port() const { return port_; }
  // The bound address, and whether it is a loopback one (also as an IPv4-mapped IPv6 address);
  // valid after a successful Listen().
  const std::string& address() const { return address_; }
  bool loopback() const { return loopback_; }
  // Starts accepting.
  void Start();
  // Stops accepting, after starting sessions for the connections already waiting in the backlog
  // (closing would reset them, requests they may have sent unanswered); thread-safe, idempotent,
  // asynchronous: closed() turns true once done.
  void Close();
  bool closed() const { return closed_.load(); }

 private:
  void Accept();
  void OnAccept(ErrorCode ec, Socket socket);
  void StartSession(Socket socket);
  void AcceptBacklog();
  HttpSession::Admission Admit(const std::string& peer);

  const std::shared_ptr<ServerState> state_;
  Executor executor_;
  net::basic_socket_acceptor<tcp, Executor> acceptor_;
  Timer retry_timer_;
  uint16_t port_ = 0;
  std::string address_;
  bool loopback_ = false;
  std::atomic<bool> closed_{false};
};

}  // namespace vitals::server
