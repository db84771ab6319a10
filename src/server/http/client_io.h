// Blocking client operations with deadlines, on a client's private io_context. Internal to
// src/server/http (the clients' .cc files).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "server/http/asio_types.h"

namespace vitals::server {

using ClientClock = std::chrono::steady_clock;

// Runs `io` until `done` is true or `deadline` passes; returns false on timeout. After a timeout
// the caller closes the socket and calls Drain() before anything the pending handlers reference
// goes away.
bool RunUntil(net::io_context& io, const bool& done, ClientClock::time_point deadline);
// Runs `io` until no operation is pending (after the socket was closed, they all complete).
void Drain(net::io_context& io);

// Resolves host:port and connects `socket` (Nagle off), with a small receive buffer when
// `receive_buffer_bytes` > 0. kUnavailable on failure or timeout, naming host:port. With
// `public_only`, every resolved address is checked first and kPermissionDenied returned if any is
// not public (address_policy.h); the connection then goes to exactly the checked addresses, so a
// second resolution cannot switch it elsewhere.
core::Status ConnectSocket(net::io_context& io, tcp::socket& socket, const std::string& host,
                           uint16_t port, int receive_buffer_bytes,
                           ClientClock::time_point deadline, bool public_only = false);

// kPermissionDenied naming the first of `endpoints` that is not a public address; Ok if all are.
core::Status RequirePublicEndpoints(const tcp::resolver::results_type& endpoints,
                                    std::string_view what, const std::string& host, uint16_t port);

// kUnavailable "<what> host:port: <reason>".
core::Status NetworkError(std::string_view what, const std::string& host, uint16_t port,
                          std::string_view reason);

// The deadline `timeout` from now.
inline ClientClock::time_point DeadlineAfter(std::chrono::milliseconds timeout) {
  return ClientClock::now() + timeout;
}

}  // namespace vitals::server
