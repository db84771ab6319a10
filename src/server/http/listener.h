// Accepts connections for one HttpServer. Internal to src/server/http.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "server/http/asio_types.h"
#include "server/http/server_state.h"

namespace vitals::server {

// Binds and listens in Listen(), then accepts one connection at a time and starts an HttpSession
// for each (a 503 one beyond max_connections). Listen/Start/Close are called by HttpServer;
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
  // Stops accepting; thread-safe, idempotent.
  void Close();

 private:
  void Accept();
  void OnAccept(ErrorCode ec, Socket socket);

  const std::shared_ptr<ServerState> state_;
  Executor executor_;
  net::basic_socket_acceptor<tcp, Executor> acceptor_;
  Timer retry_timer_;
  uint16_t port_ = 0;
  std::string address_;
  bool loopback_ = false;
};

}  // namespace vitals::server
