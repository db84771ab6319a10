// TcpLineClient: a blocking-with-deadline TCP client for line-oriented protocols (Redis' RESP).
// Every operation ends by its deadline: the socket is non-blocking and each wait is a poll()
// bounded by the time left, so a peer that accepts and then says nothing cannot hang the caller.
//
// Not thread-safe; one connection per object, closed on destruction.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vitals::collect {

class TcpLineClient final {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  // Resolves `host` (getaddrinfo: blocking, not bounded by the deadline — use addresses for
  // targets whose DNS may hang) and connects. kIoError naming the cause: refused, unreachable,
  // "timed out connecting".
  static core::Result<TcpLineClient> Connect(const std::string& host, int port, Deadline deadline);

  TcpLineClient(TcpLineClient&& other) noexcept;
  TcpLineClient& operator=(TcpLineClient&& other) noexcept;
  TcpLineClient(const TcpLineClient&) = delete;
  TcpLineClient& operator=(const TcpLineClient&) = delete;
  ~TcpLineClient();

  // Sends all of `data`. kIoError on failure or at the deadline.
  core::Status Send(std::string_view data, Deadline deadline);
  // The next line, without its "\r\n". kIoError when the peer closes, at the deadline, or when a
  // line exceeds 64 KiB.
  core::Result<std::string> ReadLine(Deadline deadline);

 private:
  explicit TcpLineClient(int fd) : fd_(fd) {}
  // Waits for `events` on the socket; kIoError "timed out" at the deadline.
  core::Status Wait(short events, Deadline deadline, std::string_view doing) const;

  int fd_ = -1;
  std::string buffer_;
};

}  // namespace vitals::collect
