#include "server/http/listener.h"

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "server/http/http_session.h"

namespace vitals::server {
namespace {

// After an accept failure (out of file descriptors, typically) wait before trying again rather
// than spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

core::Status ListenError(const HttpServerOptions& options, std::string_view what,
                         const ErrorCode& ec) {
  return core::Status::IoError("cannot listen on " + options.address + ":" +
                               std::to_string(options.port) + ": " + std::string(what) +
                               ec.message());
}

bool IsLoopback(const net::ip::address& a) {
  if (a.is_v4()) return a.to_v4().is_loopback();
  const net::ip::address_v6 v6 = a.to_v6();
  if (v6.is_v4_mapped()) return net::ip::make_address_v4(net::ip::v4_mapped, v6).is_loopback();
  return v6.is_loopback();
}

}  // namespace

Listener::Listener(std::shared_ptr<ServerState> state)
    : state_(std::move(state)),
      executor_(net::make_strand(state_->io_context)),
      acceptor_(executor_),
      retry_timer_(executor_) {}

core::Status Listener::Listen() {
  const HttpServerOptions& options = state_->options;
  ErrorCode ec;
  tcp::resolver resolver(state_->io_context);
  const auto results =
      resolver.resolve(options.address, std::to_string(options.port),
                       tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) return ListenError(options, "cannot resolve address: ", ec);
  const tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return ListenError(options, "", ec);
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  acceptor_.bind(endpoint, ec);
  if (ec) return ListenError(options, "", ec);
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return ListenError(options, "", ec);
  const tcp::endpoint bound = acceptor_.local_endpoint(ec);
  if (ec) return ListenError(options, "", ec);
  port_ = bound.port();
  address_ = bound.address().to_string();
  loopback_ = IsLoopback(bound.address());
  return core::Status::Ok();
}

void Listener::Start() {
  net::post(executor_, [self = shared_from_this()] { self->Accept(); });
}

void Listener::Close() {
  net::post(executor_, [self = shared_from_this()] {
    if (self->acceptor_.is_open()) self->AcceptBacklog();
    ErrorCode ec;
    self->acceptor_.close(ec);
    self->retry_timer_.cancel();
    self->closed_.store(true);
  });
}

void Listener::AcceptBacklog() {
  ErrorCode ec;
  acceptor_.non_blocking(true, ec);
  while (!ec) {
    Socket socket(net::make_strand(state_->io_context));
    acceptor_.accept(socket, ec);
    if (!ec) StartSession(std::move(socket));
  }
}

void Listener::Accept() {
  // Each connection gets its own strand.
  acceptor_.async_accept(net::make_strand(state_->io_context),
                         beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
}

void Listener::OnAccept(ErrorCode ec, Socket socket) {
  if (!acceptor_.is_open()) return;
  if (ec) {
    retry_timer_.expires_after(kAcceptRetryDelay);
    retry_timer_.async_wait([self = shared_from_this()](ErrorCode wait_ec) {
      if (!wait_ec && self->acceptor_.is_open()) self->Accept();
    });
    return;
  }
  StartSession(std::move(socket));
  Accept();
}

void Listener::StartSession(Socket socket) {
  ErrorCode ec;
  socket.set_option(tcp::no_delay(true), ec);
  auto session = std::make_shared<HttpSession>(state_, std::move(socket));
  session->Start(Admit(session->peer_address()));
}

HttpSession::Admission Listener::Admit(const std::string& peer) {
  SessionRegistry& registry = state_->registry;
  const HttpServerOptions& options = state_->options;
  if (registry.CountFrom(peer) >= options.max_connections_per_peer) {
    return HttpSession::Admission::kBusyPeer;
  }
  if (registry.size() >= options.max_connections && !registry.ShedOne()) {
    return HttpSession::Admission::kBusy;
  }
  return HttpSession::Admission::kServe;
}

}  // namespace vitals::server
