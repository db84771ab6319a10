// What request handlers work with: the engine, the store, authentication and the limits they
// apply. Handlers are functions of (request, context, services); none sees a socket.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "engine/monitor.h"
#include "server/api/authenticator.h"
#include "server/api/operator_grants.h"
#include "store/store.h"

namespace vitals::collect {
class CollectorRunner;
}

namespace vitals::cluster {
class ClusterNode;
}

namespace vitals::server {

class StreamHub;
class CheckRunner;
class Notifier;

struct ApiLimits {
  size_t max_items_per_request = 100'000;
  int max_ingest_in_flight = 512;    // concurrent ingest requests; beyond: 429
  double store_backlog_ratio = 0.8;  // store queue this full: 503 until it drains
  int default_page_size = 100;
  int max_page_size = 10'000;
};

// Counters for /metrics, updated by handlers. Thread-safe (atomics).
struct ApiCounters {
  std::atomic<uint64_t> executions_accepted{0};
  std::atomic<uint64_t> executions_rejected{0};
  std::atomic<uint64_t> heartbeats_accepted{0};
  std::atomic<uint64_t> heartbeats_rejected{0};
  std::atomic<uint64_t> requests_2xx{0};
  std::atomic<uint64_t> requests_4xx{0};
  std::atomic<uint64_t> requests_5xx{0};
  std::atomic<uint64_t> overload_rejections{0};
  std::atomic<int> ingest_in_flight{0};
};

struct Services {
  engine::Monitor& monitor;
  store::Store& store;
  Authenticator& auth;
  const core::Clock* clock;
  StreamHub* hub = nullptr;  // for stream metrics; may be null in tests
  ApiLimits limits;
  ApiCounters counters;
  std::atomic<bool> ready{false};  // set once restored from storage
  // Optional subsystems (issue 4); null when turned off or in tests that do not need them.
  collect::CollectorRunner* collectors = nullptr;
  CheckRunner* checks = nullptr;
  Notifier* notifier = nullptr;
  // Whose admin keys are the operator's: they (and open mode) see process-wide figures on
  // /metrics, which would tell a tenant about other organizations' traffic.
  std::string operator_organization = std::string(kDefaultOrganization);
  // This node of a cluster (issue 16): acknowledged events go through it to their owners. Null
  // when the server runs alone.
  cluster::ClusterNode* cluster = nullptr;
  // This node's name (issue 16), on /metrics as vitals_node_info{node_id="..."}.
  std::string node_id = std::string();
  // What tenants may ask of the host (tenant_policy.h); set before the first request.
  OperatorGrants grants = {};
};

}  // namespace vitals::server
