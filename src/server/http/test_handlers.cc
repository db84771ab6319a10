#include "server/http/test_handlers.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace vitals::server::testing {

void RecordingHandler::Handle(HttpRequest request, Responder respond) {
  Reply reply;
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_ = request;
    ++count_;
    reply = reply_;
  }
  if (reply) return reply(std::move(request), std::move(respond));
  respond(HttpResponse::Text(200, "ok"));
}

void RecordingHandler::set_reply(Reply reply) {
  std::lock_guard<std::mutex> lock(mu_);
  reply_ = std::move(reply);
}

std::optional<HttpRequest> RecordingHandler::last_request() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_;
}

int RecordingHandler::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return count_;
}

std::optional<HttpResponse> RecordingStreams::Accept(const HttpRequest& request, StreamKind,
                                                     std::shared_ptr<StreamConnection> connection) {
  std::lock_guard<std::mutex> lock(mu_);
  last_accepted_ = request;
  if (request.headers.Get("Authorization") != "Bearer ok") {
    return HttpResponse::Error(401, "missing credentials");
  }
  connections_.push_back(std::move(connection));
  changed_.notify_all();
  return std::nullopt;
}

void RecordingStreams::OnMessage(const std::shared_ptr<StreamConnection>& connection,
                                 std::string_view text) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    messages_.emplace_back(text);
    changed_.notify_all();
  }
  connection->Send(std::make_shared<const std::string>("echo: " + std::string(text)));
}

void RecordingStreams::OnClose(const std::shared_ptr<StreamConnection>& connection) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::find_if(closes_.begin(), closes_.end(),
                         [&](const auto& entry) { return entry.first == connection.get(); });
  if (it == closes_.end()) {
    closes_.emplace_back(connection.get(), 1);
  } else {
    ++it->second;
  }
  changed_.notify_all();
}

std::shared_ptr<StreamConnection> RecordingStreams::WaitForConnection(size_t n) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!changed_.wait_for(lock, kWait, [&] { return connections_.size() >= n; })) return nullptr;
  return connections_[n - 1];
}

int RecordingStreams::WaitForClose(const std::shared_ptr<StreamConnection>& connection) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait_for(lock, kWait, [&] {
    return std::any_of(closes_.begin(), closes_.end(),
                       [&](const auto& entry) { return entry.first == connection.get(); });
  });
  lock.unlock();
  return close_calls(connection);
}

int RecordingStreams::close_calls(const std::shared_ptr<StreamConnection>& connection) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [pointer, calls] : closes_) {
    if (pointer == connection.get()) return calls;
  }
  return 0;
}

size_t RecordingStreams::connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return connections_.size();
}

std::vector<std::string> RecordingStreams::messages() const {
  std::lock_guard<std::mutex> lock(mu_);
  return messages_;
}

std::optional<HttpRequest> RecordingStreams::last_accepted() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_accepted_;
}

HttpServerOptions TestServer::DefaultOptions() {
  HttpServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  options.websocket_paths = {"/ws"};
  options.sse_paths = {"/events"};
  return options;
}

TestServer::TestServer(HttpServerOptions options) : server(std::move(options), requests, streams) {
  const core::Status status = server.Start();
  if (!status.ok()) {
    std::fprintf(stderr, "test server: %s\n", status.ToString().c_str());
    std::abort();
  }
}

RawConnection::RawConnection(uint16_t port, const char* source) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (source != nullptr) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &local.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) {
      ::close(fd_);
      fd_ = -1;
      return;
    }
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::SendAll(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string RawConnection::ReadUntil(const std::function<bool(const std::string&)>& done,
                                     std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string received;
  char chunk[4096];
  while (!done(received)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) break;
    received.append(chunk, static_cast<size_t>(n));
  }
  return received;
}

bool RawConnection::PeerClosed() {
  char byte;
  const ssize_t n = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

ClientResponse MustRequest(HttpClient& client, Method method, std::string_view target,
                           std::string_view body, const Headers& headers) {
  core::Result<ClientResponse> response = client.Request(method, target, body, headers, kWait);
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  return response.ok() ? std::move(response).value() : ClientResponse{};
}

size_t Count(const std::string& haystack, std::string_view needle) {
  size_t count = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

SilentListener::SilentListener() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd_, 1024) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ADD_FAILURE() << "cannot listen on loopback";
  }
  port_ = ntohs(addr.sin_port);
}

void SilentListener::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace vitals::server::testing
