#include "server/app/testing/tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace vitals::server::testing {
namespace {

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

}  // namespace

TcpProxy::~TcpProxy() { Stop(); }

core::Status TcpProxy::Start() {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = Loopback(0);
  socklen_t len = sizeof a;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(listener_, 64) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    return core::Status::IoError("proxy: cannot listen on loopback");
  }
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
  return core::Status::Ok();
}

void TcpProxy::AcceptLoop() {
  while (!stopping_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) continue;
    if (cut_) {
      ::close(client);
      continue;
    }
    const int server = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in target = Loopback(target_port_);
    if (server < 0 || ::connect(server, reinterpret_cast<sockaddr*>(&target), sizeof target) != 0) {
      ::close(client);
      if (server >= 0) ::close(server);
      continue;
    }
    std::lock_guard lock(mu_);
    if (cut_) {  // cut while connecting: nothing may cross the partition
      ::close(client);
      ::close(server);
      continue;
    }
    sockets_.push_back(client);
    sockets_.push_back(server);
    pumps_.emplace_back([this, client, server] { Pump(client, server); });
    pumps_.emplace_back([this, client, server] { Pump(server, client); });
  }
}

// Copies until either side closes, then shuts both down (the peer pump sees its end too).
void TcpProxy::Pump(int from, int to) {
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::recv(from, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    ssize_t sent = 0;
    while (sent < n) {
      const ssize_t w = ::send(to, buffer + sent, static_cast<size_t>(n - sent), MSG_NOSIGNAL);
      if (w <= 0) break;
      sent += w;
    }
    if (sent < n) break;
  }
  ::shutdown(from, SHUT_RDWR);
  ::shutdown(to, SHUT_RDWR);
}

void TcpProxy::CloseAll() {
  std::vector<std::thread> pumps;
  std::vector<int> sockets;
  {
    std::lock_guard lock(mu_);
    for (int s : sockets_) ::shutdown(s, SHUT_RDWR);
    pumps.swap(pumps_);
    sockets.swap(sockets_);
  }
  for (auto& t : pumps) t.join();
  for (int s : sockets) ::close(s);
}

void TcpProxy::Cut() {
  cut_ = true;
  CloseAll();
}

void TcpProxy::Heal() { cut_ = false; }

void TcpProxy::Stop() {
  if (stopping_.exchange(true)) return;
  if (acceptor_.joinable()) acceptor_.join();
  CloseAll();
  if (listener_ >= 0) ::close(listener_);
  listener_ = -1;
}

}  // namespace vitals::server::testing
