// TcpProxy: forwards loopback TCP connections to a target port, and can cut them — a network
// partition between one process and a server (a cluster node and its Redis), for tests only.
//
// Thread-safe. Owns an accept thread and two threads per open connection.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "core/status.h"

namespace vitals::server::testing {

class TcpProxy {
 public:
  explicit TcpProxy(uint16_t target_port) : target_port_(target_port) {}
  ~TcpProxy();  // Stop()
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  // Listens on a free loopback port. IoError when it cannot.
  core::Status Start();
  uint16_t port() const { return port_; }
  // Closes every open connection and refuses new ones (each is closed as soon as accepted) until
  // Heal().
  void Cut();
  void Heal();
  void Stop();

 private:
  void AcceptLoop();
  void Pump(int from, int to);
  void CloseAll();

  const uint16_t target_port_;
  uint16_t port_ = 0;
  int listener_ = -1;
  std::atomic<bool> cut_{false};
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<int> sockets_;        // guarded by mu_: both ends of every open connection
  std::vector<std::thread> pumps_;  // guarded by mu_
};

}  // namespace vitals::server::testing
