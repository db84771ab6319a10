// Subsystems: issue 4's parts of `vitals serve` — collectors (system, workspaces, databases),
// active checks and alert delivery — built from the configuration and bridged to the engine:
// collector levels and check results become engine conditions and alerts; the engine's alert
// events go to delivery, which learns from them which integrations are down.
//
// Lifetime: construct after the Monitor and the Store; Prepare() before the HTTP server starts
// (handlers find the subsystems in Services from the first request on); Start() once it listens
// (the checks run on its I/O threads); Stop() before it stops. Not thread-safe itself.
#pragma once

#include <memory>

#include "collect/collector_runner.h"
#include "collect/metrics_sink.h"
#include "engine/monitor.h"
#include "server/api/services.h"
#include "server/app/server_config.h"
#include "server/checks/check_runner.h"
#include "server/http/http_server.h"
#include "server/http/probe_client.h"
#include "server/notify/notifier.h"
#include "store/store.h"

namespace vitals::server {

class Subsystems {
 public:
  Subsystems(const ServerConfig& config, engine::Monitor& monitor, store::Store& store,
             const core::Clock* clock);
  ~Subsystems();
  Subsystems(const Subsystems&) = delete;
  Subsystems& operator=(const Subsystems&) = delete;

  // Builds each subsystem that is turned on, loads its registered workspaces, databases, checks,
  // routes and windows, and sets its pointer in `services`. Stored specs that no longer validate
  // are logged and skipped.
  core::Status Prepare(Services& services);
  // Starts the collectors, the checks (on `http`'s threads) and delivery.
  core::Status Start(HttpServer& http);
  void Stop();

 private:
  class CollectBridge;
  class CheckBridge;
  class DownTracker;

  const ServerConfig& config_;
  engine::Monitor& monitor_;
  store::Store& store_;
  const core::Clock* clock_;
  std::unique_ptr<CollectBridge> collect_bridge_;
  std::unique_ptr<collect::MetricsSink> metrics_sink_;
  std::unique_ptr<collect::CollectorRunner> collectors_;
  std::unique_ptr<CheckBridge> check_bridge_;
  std::unique_ptr<CheckRunner> checks_;
  std::unique_ptr<ProbeClient> prober_;
  std::unique_ptr<Notifier> notifier_;
  std::unique_ptr<DownTracker> down_tracker_;
  bool started_ = false;
};

}  // namespace vitals::server
