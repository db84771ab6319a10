#include "server/app/server_app.h"

#include <spdlog/spdlog.h>

#include "cluster/agent_restorer.h"
#include "cluster/cluster_node.h"
#include "server/api/metric_history.h"
#include "store/open_store.h"

namespace vitals::server {
namespace {

using core::Status;
using Clock = std::chrono::steady_clock;

}  // namespace

ServerApp::ServerApp(ServerConfig config, const core::Clock* clock)
    : config_(std::move(config)), clock_(clock) {}

ServerApp::~ServerApp() { Stop(); }

uint16_t ServerApp::port() const { return http_ ? http_->port() : 0; }

Status ServerApp::Start() {
  if (Status s = ValidateConfig(config_); !s.ok()) return s;
  if (Status s = OpenTheStore(); !s.ok()) return s;

  monitor_ = std::make_unique<engine::Monitor>(MonitorOptionsFor(config_), clock_);
  auth_ = std::make_unique<Authenticator>(*store_, clock_);
  hub_ = std::make_unique<StreamHub>(StreamHubOptionsFor(config_), *auth_, *monitor_, clock_);
  recorder_ = std::make_unique<HealthRecorder>(*store_);
  services_ = std::unique_ptr<Services>(
      new Services{*monitor_, *store_, *auth_, clock_, hub_.get(), ApiLimits{}, {}});
  services_->operator_organization = config_.system_organization;
  services_->node_id = config_.NodeId();
  monitor_->AddListener(hub_.get());
  monitor_->AddListener(recorder_.get());
  if (!config_.redis.empty()) StartClusterParts();
  subsystems_ = std::make_unique<Subsystems>(config_, *monitor_, *store_, clock_);
  if (Status s = subsystems_->Prepare(*services_); !s.ok()) return s;
  api_ = std::make_unique<ApiServer>(*services_, config_.web_root);
  http_ = std::make_unique<HttpServer>(HttpOptionsFor(config_), *api_, *hub_);
  if (Status s = http_->Start(); !s.ok()) return s;
  if (Status s = DecideOpenMode(); !s.ok()) {
    http_->Stop();
    return s;
  }
  // Acknowledgements leave the writer thread: it starts the next group commit while an event loop
  // thread updates the engine and answers this one's requests.
  store_->SetCompletionExecutor(http_->NewSerialExecutor());
  spdlog::info("listening on {}:{} ({}) store={} node={}{} mode={}", config_.host(), http_->port(),
               http_->bound_address(), store::RedactStoreUrl(config_.StoreUrl()), config_.NodeId(),
               config_.redis.empty() ? "" : " redis=" + store::RedactStoreUrl(config_.redis),
               auth_->open() ? "open (organization \"default\")" : "api-keys");

  if (cluster_) {
    if (Status s = cluster_->Start(config_.host() + ":" + std::to_string(http_->port())); !s.ok()) {
      http_->Stop();
      return s;
    }
    fanout_->Start();
  }
  if (Status s = Restore(); !s.ok()) {
    http_->Stop();
    return s;
  }
  ticker_ = std::make_unique<engine::Ticker>(*monitor_, monitor_->options().tick_interval);
  ticker_->Start();
  if (Status s = subsystems_->Start(*http_); !s.ok()) {
    http_->Stop();
    return s;
  }
  services_->ready.store(true, std::memory_order_release);
  maintenance_ = std::thread([this] { Maintain(); });
  return Status::Ok();
}

// The cluster's parts exist before the server listens, so every handler sees them; they join
// the cluster once the listening address is known.
void ServerApp::StartClusterParts() {
  cluster::ClusterNodeOptions o;
  o.redis_url = config_.redis;
  o.node_id = config_.NodeId();
  cluster_ = std::make_unique<cluster::ClusterNode>(o, *monitor_, *store_, *clock_);
  services_->cluster = cluster_.get();
  // ValidateClusterConfig has checked the URL.
  auto endpoint = cluster::RedisEndpoint::FromUrl(config_.redis);
  fanout_ = std::make_unique<cluster::EventFanout>(
      endpoint.ok() ? *endpoint : cluster::RedisEndpoint{}, config_.NodeId(),
      [this](const cluster::RelayedMessage& m) {
        hub_->InjectRemote(m.organization_id, m.type, m.agent_id, m.data_json);
      });
  hub_->SetRelay([this](std::vector<cluster::RelayedMessage> messages) {
    fanout_->Publish(std::move(messages));
  });
}

// The store's errors say what failed (the file; host and port); the URL, redacted, says which
// store was meant.
Status ServerApp::OpenTheStore() {
  const std::string url = config_.StoreUrl();
  auto location = store::ParseStoreUrl(url);
  if (!location.ok()) return location.status();
  auto opened = store::OpenStore(*location, StoreOptionsFor(config_, clock_));
  if (!opened.ok()) {
    return Status(opened.status().code(), "cannot open the store " + store::RedactStoreUrl(url) +
                                              ": " + opened.status().message());
  }
  store_ = std::move(*opened);
  return Status::Ok();
}

// Open mode needs no active key at start and either a loopback address — the one actually bound,
// not the name given — or --insecure. Until this allows it, requests are refused.
Status ServerApp::DecideOpenMode() {
  if (!auth_->starts_open()) return Status::Ok();
  if (!http_->loopback()) {
    if (!config_.insecure) {
      return Status::FailedPrecondition(
          "refusing to listen on " + config_.listen + " (bound to " + http_->bound_address() +
          ", not a loopback address) without API keys: anyone could read and write. Create a "
          "key (vitals keys create) or pass --insecure");
    }
    spdlog::warn("listening on {} with no API keys (--insecure): the API is open to anyone",
                 config_.listen);
  }
  auth_->PermitOpenMode();
  return Status::Ok();
}

Status ServerApp::Restore() {
  const auto started = Clock::now();
  auto max_alert = store_->MaxAlertNumber();
  cluster::AgentFilter owned;
  if (cluster_)
    owned = [this](std::string_view org, std::string_view agent) {
      return cluster_->Owns(org, agent);
    };
  auto restored = max_alert.ok()
                      ? cluster::RestoreAgents(*store_, *monitor_, *clock_, owned, std::nullopt)
                      : core::Result<cluster::RestoreResult>(max_alert.status());
  if (!restored.ok()) {
    return Status(restored.status().code(), "restoring from " +
                                                store::RedactStoreUrl(config_.StoreUrl()) + ": " +
                                                restored.status().message());
  }
  if (cluster_) cluster_->Restored();
  // A cluster's nodes number alerts in blocks of their own, so their ids never collide.
  monitor_->SetNextAlertId(cluster_ ? cluster_->FirstAlertNumber(*max_alert + 1) : *max_alert + 1);
  // Alerts of other sources (system, workspaces, databases, integrations) come back open, so a
  // condition that still holds is neither raised nor notified again.
  store::AlertQuery open_alerts;
  open_alerts.all_organizations = true;
  open_alerts.open = true;
  open_alerts.limit = 1'000'000;
  auto open = store_->QueryAlerts(open_alerts);
  if (!open.ok()) return open.status();
  for (const core::Alert& a : *open) {
    if (a.source_type == core::AlertSource::kAgent) continue;  // back with their checkpoints
    if (Status s = monitor_->RestoreConditionAlert(a); !s.ok()) {
      spdlog::warn("alert {} not restored: {}", a.id, s.message());
    }
  }
  // Checkpointed at once and durably: a server that crashes again sooner than the checkpoint
  // interval still starts its next replay from here, so crash loops do not grow the replay.
  Checkpoint(false);
  store_->Flush();
  spdlog::info(
      "restored {} agents from checkpoints, replayed {} executions, downtime {:.1f}s, in {} ms",
      restored->agents, restored->replayed, core::ToSecondsF(restored->downtime),
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count());
  return Status::Ok();
}

void ServerApp::Checkpoint(bool all) {
  int64_t replay_from = 0;
  std::vector<engine::Monitor::AgentCheckpoint> collected =
      monitor_->CollectCheckpoints(all, &replay_from);
  std::vector<engine::Monitor::IntegrationCheckpoint> integrations =
      monitor_->CollectIntegrationCheckpoints(all);
  if (collected.empty() && integrations.empty()) return;
  const core::Timestamp now = clock_->Now();
  std::vector<store::Checkpoint> rows;
  rows.reserve(collected.size() + integrations.size());
  for (auto& c : collected) {
    rows.push_back(store::Checkpoint{std::move(c.organization_id), std::move(c.agent_id),
                                     std::move(c.blob), replay_from, now});
  }
  for (auto& c : integrations) {
    rows.push_back(store::Checkpoint{std::move(c.organization_id), std::move(c.integration_id),
                                     std::move(c.blob), replay_from, now,
                                     store::CheckpointKind::kIntegration});
  }
  store_->SaveCheckpoints(std::move(rows));
}

void ServerApp::RecordResourceHistory() {
  const core::Timestamp now = clock_->Now();
  std::vector<store::MetricRecord> rows;
  for (const core::IntegrationView& v : monitor_->ListAllIntegrations()) {
    for (store::MetricRecord& r : IntegrationMetricRows(v, now)) rows.push_back(std::move(r));
  }
  const int64_t threshold = monitor_->options().queue_depth_threshold;
  for (auto& [organization_id, total] : monitor_->QueueDepthTotals()) {
    rows.push_back(QueueDepthRow(std::move(organization_id), total, threshold, now));
  }
  if (!rows.empty()) store_->RecordMetrics(std::move(rows));
}

void ServerApp::Maintain() {
  auto next_checkpoint = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                            core::Seconds(config_.checkpoint_interval_s));
  auto next_summary = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                         core::Seconds(config_.health_polling_interval_s));
  auto next_history = Clock::now() + std::chrono::seconds(10);
  auto next_retention = Clock::now() + std::chrono::minutes(1);
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::milliseconds(500));
    if (stopping_) break;
    lock.unlock();
    auth_->Poll();
    hub_->Revalidate();
    const auto now = Clock::now();
    if (now >= next_history) {
      recorder_->Flush();
      RecordResourceHistory();
      next_history = now + std::chrono::seconds(10);
    }
    if (now >= next_checkpoint) {
      Checkpoint(false);
      next_checkpoint = now + std::chrono::duration_cast<Clock::duration>(
                                  core::Seconds(config_.checkpoint_interval_s));
    }
    if (config_.health_polling_enabled && now >= next_summary) {
      hub_->PublishSummaries();
      next_summary = now + std::chrono::duration_cast<Clock::duration>(
                               core::Seconds(config_.health_polling_interval_s));
    }
    if (now >= next_retention) {
      const core::Timestamp cutoff =
          clock_->Now() - std::chrono::hours(24) * config_.retention_days;
      if (Status s = store_->RunRetention(cutoff); !s.ok()) {
        spdlog::error("retention: {}", s.message());
      }
      next_retention = now + std::chrono::hours(1);
    }
    lock.lock();
  }
}

void ServerApp::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || !store_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (subsystems_) subsystems_->Stop();
  if (http_) http_->Stop();
  if (maintenance_.joinable()) maintenance_.join();
  if (cluster_) cluster_->Stop();
  if (fanout_) fanout_->Stop();
  if (ticker_) ticker_->Stop();
  if (monitor_ && services_ && services_->ready.load()) {
    recorder_->Flush();
    Checkpoint(false);
  }
  store_->Flush();
  if (monitor_) {
    monitor_->RemoveListener(hub_.get());
    monitor_->RemoveListener(recorder_.get());
  }
  spdlog::info("stopped");
}

}  // namespace vitals::server
