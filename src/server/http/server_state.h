// What every connection of one server shares. Internal to src/server/http.
#pragma once

#include <boost/asio/post.hpp>
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

  const HttpServerOptions options;  // threads already resolved
  RequestHandler& requests;
  StreamHandler& streams;
  net::io_context io_context;
  SessionRegistry registry;
  std::mutex post_mu;
  bool stopped = false;  // guarded by post_mu; set once the event loop threads are gone
};

}  // namespace vitals::server
