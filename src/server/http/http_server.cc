#include "server/http/http_server.h"

#include <boost/asio/strand.hpp>
#include <cstdio>
#include <exception>

#include "server/http/listener.h"
#include "server/http/probe_loop.h"
#include "server/http/server_state.h"

namespace vitals::server {
namespace {

// How long Stop() lets connections say goodbye before the event loop is halted.
constexpr std::chrono::seconds kStopGrace{2};

int ResolveThreads(int threads) {
  if (threads > 0) return threads;
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware > 0 ? static_cast<int>(hardware) : 1;
}

void RunLoop(net::io_context& io_context) {
  for (;;) {
    try {
      io_context.run();
      return;
    } catch (const std::exception& e) {
      // A handler threw; the transport's own code does not. Keep serving.
      std::fprintf(stderr, "vitals http: unexpected exception in handler: %s\n", e.what());
    }
  }
}

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, RequestHandler& requests, StreamHandler& streams)
    : options_(std::move(options)), requests_(requests), streams_(streams) {
  options_.threads = ResolveThreads(options_.threads);
}

HttpServer::~HttpServer() { Stop(); }

core::Status HttpServer::Start() {
  if (state_ != nullptr) return core::Status::FailedPrecondition("http server already started");
  auto state = std::make_shared<ServerState>(options_, requests_, streams_);
  auto listener = std::make_shared<Listener>(state);
  if (core::Status status = listener->Listen(); !status.ok()) return status;
  state_ = std::move(state);
  listener_ = std::move(listener);
  port_ = listener_->port();
  bound_address_ = listener_->address();
  loopback_ = listener_->loopback();
  listener_->Start();
  threads_.reserve(static_cast<size_t>(options_.threads));
  for (int i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([state = state_] { RunLoop(state->io_context); });
  }
  return core::Status::Ok();
}

void HttpServer::Drain() {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  state_->draining.store(true);
  state_->registry.DrainAll();
  bool listening = true;
  while (Clock::now() - start < options_.shutdown_timeout) {
    const bool idle = state_->http_sessions.load() == 0;
    if (listening && (idle || Clock::now() - start >= ServerState::kDrainGrace)) {
      listener_->Close();
      listening = false;
    } else if (!listening && idle && listener_->closed()) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void HttpServer::Stop() {
  if (state_ == nullptr || threads_.empty()) return;
  Drain();
  listener_->Close();
  state_->registry.CloseAll();
  state_->registry.WaitEmpty(kStopGrace);
  state_->io_context.stop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  {
    std::lock_guard<std::mutex> lock(state_->post_mu);
    state_->stopped = true;
  }
  // Runs what finished connections left queued (completions of cancelled operations), so the
  // references they hold are released.
  state_->io_context.restart();
  state_->io_context.poll();
  listener_.reset();
}

std::unique_ptr<ProbeClient> HttpServer::NewProbeClient() {
  if (state_ == nullptr) return nullptr;
  // Aliasing: the client keeps the server's state (and so its io_context) alive.
  return NewProbeClientOn(std::shared_ptr<net::io_context>(state_, &state_->io_context));
}

std::function<bool(std::function<void()>)> HttpServer::NewSerialExecutor() {
  if (state_ == nullptr) return nullptr;
  return
      [state = state_, strand = net::make_strand(state_->io_context)](std::function<void()> task) {
        return state->PostUnlessStopped(strand, std::move(task));
      };
}

}  // namespace vitals::server
