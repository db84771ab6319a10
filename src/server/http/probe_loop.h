// The event loop under a ProbeClient. Internal to src/server/http.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "server/http/asio_types.h"
#include "server/http/probe_client.h"

namespace vitals::server {

// Either borrowed (the HTTP server's io_context, kept alive by an aliasing shared_ptr to the
// server's state) or private (own io_context and threads, stopped and joined on destruction).
struct ProbeClient::Loop {
  std::shared_ptr<net::io_context> io;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;

  ~Loop();
};

// A client on an io_context whose threads someone else runs.
std::unique_ptr<ProbeClient> NewProbeClientOn(std::shared_ptr<net::io_context> io);

}  // namespace vitals::server
