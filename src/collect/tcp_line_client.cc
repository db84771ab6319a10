#include "collect/tcp_line_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace vitals::collect {
namespace {

using core::Status;

constexpr size_t kMaxLine = 64 * 1024;

int MillisLeft(TcpLineClient::Deadline deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

}  // namespace

core::Result<TcpLineClient> TcpLineClient::Connect(const std::string& host, int port,
                                                   Deadline deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return Status::IoError("cannot resolve " + host + ": " + ::gai_strerror(rc));
  }
  const int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                          found->ai_protocol);
  if (fd < 0) {
    ::freeaddrinfo(found);
    return Status::IoError(std::string("socket: ") + std::strerror(errno));
  }
  TcpLineClient client(fd);
  const int rc = ::connect(fd, found->ai_addr, found->ai_addrlen);
  ::freeaddrinfo(found);
  if (rc != 0 && errno != EINPROGRESS) {
    return Status::IoError("connect to " + host + ":" + service + ": " + std::strerror(errno));
  }
  if (rc != 0) {
    if (Status st = client.Wait(POLLOUT, deadline, "connecting"); !st.ok()) return st;
    int error = 0;
    socklen_t len = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) {
      return Status::IoError("connect to " + host + ":" + service + ": " + std::strerror(error));
    }
  }
  return client;
}

TcpLineClient::TcpLineClient(TcpLineClient&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), buffer_(std::move(other.buffer_)) {}

TcpLineClient& TcpLineClient::operator=(TcpLineClient&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

TcpLineClient::~TcpLineClient() {
  if (fd_ >= 0) ::close(fd_);
}

core::Status TcpLineClient::Wait(short events, Deadline deadline, std::string_view doing) const {
  for (;;) {
    pollfd p{fd_, events, 0};
    const int rc = ::poll(&p, 1, MillisLeft(deadline));
    if (rc > 0) return Status::Ok();
    if (rc == 0) return Status::IoError("timed out " + std::string(doing));
    if (errno != EINTR) return Status::IoError(std::string("poll: ") + std::strerror(errno));
  }
}

core::Status TcpLineClient::Send(std::string_view data, Deadline deadline) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      if (Status st = Wait(POLLOUT, deadline, "sending"); !st.ok()) return st;
    } else {
      return Status::IoError(std::string("send: ") + std::strerror(errno));
    }
  }
  return Status::Ok();
}

core::Result<std::string> TcpLineClient::ReadLine(Deadline deadline) {
  for (;;) {
    if (const size_t end = buffer_.find("\r\n"); end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      return line;
    }
    if (buffer_.size() > kMaxLine) return Status::IoError("reply line too long");
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
    } else if (n == 0) {
      return Status::IoError("connection closed by peer");
    } else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      if (Status st = Wait(POLLIN, deadline, "waiting for a reply"); !st.ok()) return st;
    } else {
      return Status::IoError(std::string("recv: ") + std::strerror(errno));
    }
  }
}

}  // namespace vitals::collect
