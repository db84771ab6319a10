// ServerApp: `vitals serve` — opens the store, restores the engine from it, serves the API and
// the streams, and keeps checkpoints, history and retention going until stopped.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "cluster/cluster_node.h"
#include "cluster/event_fanout.h"
#include "core/clock.h"
#include "engine/monitor.h"
#include "engine/ticker.h"
#include "server/api/api_server.h"
#include "server/api/authenticator.h"
#include "server/api/stream_hub.h"
#include "server/app/health_recorder.h"
#include "server/app/server_config.h"
#include "server/app/subsystems.h"
#include "server/http/http_server.h"
#include "store/store.h"

namespace vitals::server {

class ServerApp {
 public:
  ServerApp(ServerConfig config, const core::Clock* clock = core::SystemClock::Instance());
  ~ServerApp();

  // Opens the store (config.StoreUrl()), refuses an unsafe configuration, starts serving, restores
  // state (the server answers /healthz meanwhile; /readyz and ingest say 503 until restored).
  // Errors name what failed: the store (its URL without the password), the listen address, the
  // configuration.
  core::Status Start();
  // Graceful: stops serving, writes a final checkpoint and history, flushes the store.
  void Stop();
  uint16_t port() const;
  // The settings it runs with; the cluster subsystems (issue 16) take `redis` and NodeId() here.
  const ServerConfig& config() const { return config_; }

 private:
  core::Status OpenTheStore();
  core::Status DecideOpenMode();
  void StartClusterParts();
  core::Status Restore();
  void Maintain();  // the maintenance thread: checkpoints, history, summaries, retention
  void Checkpoint(bool all);
  // Integration and queue-depth rows of health_metrics, which only these histories need: every
  // 10 s with the health history, so GET /api/health/history/{integration,system} has points.
  void RecordResourceHistory();

  ServerConfig config_;
  const core::Clock* clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<engine::Monitor> monitor_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<StreamHub> hub_;
  std::unique_ptr<HealthRecorder> recorder_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<ApiServer> api_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<engine::Ticker> ticker_;
  std::unique_ptr<Subsystems> subsystems_;
  std::unique_ptr<cluster::ClusterNode> cluster_;  // with --redis
  std::unique_ptr<cluster::EventFanout> fanout_;   // with --redis

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread maintenance_;
};

}  // namespace vitals::server
