#include "server/http/client_io.h"

#include "server/http/address_policy.h"

namespace vitals::server {

bool RunUntil(net::io_context& io, const bool& done, ClientClock::time_point deadline) {
  io.restart();
  while (!done) {
    if (io.run_one_until(deadline) == 0) {
      // Either the deadline passed or nothing is pending (which would leave `done` false forever).
      if (!done) return false;
    }
  }
  return true;
}

void Drain(net::io_context& io) {
  io.restart();
  io.run();
}

core::Status NetworkError(std::string_view what, const std::string& host, uint16_t port,
                          std::string_view reason) {
  std::string message(what);
  message += ' ';
  message += host;
  message += ':';
  message += std::to_string(port);
  message += ": ";
  message += reason;
  return core::Status::Unavailable(std::move(message));
}

core::Status RequirePublicEndpoints(const tcp::resolver::results_type& endpoints,
                                    std::string_view what, const std::string& host, uint16_t port) {
  for (const auto& entry : endpoints) {
    const net::ip::address a = entry.endpoint().address();
    const AddressClass c =
        a.is_v4() ? ClassifyIpv4(a.to_v4().to_bytes()) : ClassifyIpv6(a.to_v6().to_bytes());
    if (!AddressAllowed(c, false)) {
      return core::Status::PermissionDenied(RefusedAddressMessage(
          std::string(what) + " " + host + ":" + std::to_string(port), a.to_string(), c));
    }
  }
  return core::Status::Ok();
}

core::Status ConnectSocket(net::io_context& io, tcp::socket& socket, const std::string& host,
                           uint16_t port, int receive_buffer_bytes,
                           ClientClock::time_point deadline, bool public_only) {
  ErrorCode ec;
  tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return NetworkError("resolve", host, port, ec.message());
  if (public_only) {
    if (core::Status s = RequirePublicEndpoints(endpoints, "connect", host, port); !s.ok()) {
      return s;
    }
  }
  std::string failure = "no address";
  for (const auto& entry : endpoints) {
    socket.close(ec);
    socket.open(entry.endpoint().protocol(), ec);
    if (ec) return NetworkError("connect", host, port, ec.message());
    if (receive_buffer_bytes > 0) {
      // Before connecting, so the advertised window is small from the start.
      socket.set_option(net::socket_base::receive_buffer_size(receive_buffer_bytes), ec);
    }
    ErrorCode connect_ec;
    bool done = false;
    socket.async_connect(entry.endpoint(), [&](const ErrorCode& e) {
      connect_ec = e;
      done = true;
    });
    if (!RunUntil(io, done, deadline)) {
      socket.close(ec);
      Drain(io);
      return NetworkError("connect", host, port, "timeout");
    }
    if (!connect_ec) break;
    failure = connect_ec.message();
    socket.close(ec);
  }
  if (!socket.is_open()) return NetworkError("connect", host, port, failure);
  socket.set_option(tcp::no_delay(true), ec);
  return core::Status::Ok();
}

}  // namespace vitals::server
