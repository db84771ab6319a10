// What every connection of one server shares. Internal to src/server/http.
#pragma once

#include <atomic>
#include <boost/asio/post.hpp>
#include <chrono>
#include <mutex>
#include <utility>

#include "server/http/asio_types.h"
#include "server/http/http_server.h"
#include "server/http/session_registry.h"

namespace vitals::server {

// Owned jointly by the HttpServer and every live connection (shared_ptr), so the io_context
// outlives any connection an application still holds (a Responder, a StreamConnection).
struct ServerState {
  ServerState(HttpServerOptions options, RequestHandler& requests, StreamHandler& streams)
      : options(std::move(options)),
        requests(requests),
        streams(streams),
        io_context(this->options.threads) {}

  // Posts from application threads (late responses, sends) go through here: once the server
  // stopped, nothing would run a posted handler and what it holds would never be released.
  // False (the handler dropped) once stopped.
  template <typename Handler>
  bool PostUnlessStopped(const Executor& executor, Handler&& handler) {
    std::lock_guard<std::mutex> lock(post_mu);
    if (stopped) return false;
    net::post(executor, std::forward<Handler>(handler));
    return true;
  }

  // During a graceful stop: how long the listener still accepts and an idle connection still
  // waits for a request already on its way.
  static constexpr std::chrono::milliseconds kDrainGrace{200};

  const HttpServerOptions options;  // threads already resolved
  RequestHandler& requests;
  StreamHandler& streams;
  net::io_context io_context;
  SessionRegistry registry;
  // Set when a graceful stop begins: responses say Connection: close, idle connections close.
  std::atomic<bool> draining{false};
  // HTTP connections not yet finished (not counting those handed over to a stream): a graceful
  // stop waits for them.
  std::atomic<size_t> http_sessions{0};
  std::mutex post_mu;
  bool stopped = false;  // guarded by post_mu; set once the event loop threads are gone
};

}  // namespace vitals::server
