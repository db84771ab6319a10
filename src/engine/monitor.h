// Monitor: every agent of every organization, fed from many threads, judged continuously.
//
// Agents live in shards (one mutex each), keyed by (organization, agent). Ingest touches only the
// agent's shard and marks the agent dirty. Tick() — called every tick_interval by a Ticker, or
// directly by tests with a fake clock — evaluates the agents that changed and those whose
// deadline (heartbeat state boundary, execution becoming stuck) has come, plus every agent once
// per sweep_interval for time decay, then publishes health updates, transitions and alert
// changes to listeners with no lock held. Evaluation is never a scan of all agents except in the
// sweep.
//
// Thread-safety: all public methods are thread-safe. Tick() must not run concurrently with
// itself (the Ticker guarantees it).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/agent_view.h"
#include "core/clock.h"
#include "core/execution_event.h"
#include "core/pause_guard.h"
#include "core/status.h"
#include "engine/agent_key.h"
#include "engine/alert_index.h"
#include "engine/condition_table.h"
#include "engine/engine_event.h"
#include "engine/fleet_summary.h"
#include "engine/integration_registry.h"
#include "engine/monitor_options.h"
#include "engine/shard.h"
#include "engine/worker_pool.h"

namespace vitals::engine {

class Monitor {
 public:
  // REQUIRES: options.Validate().ok() (throws std::invalid_argument otherwise: start-up error);
  // `clock` outlives the Monitor.
  Monitor(MonitorOptions options, const core::Clock* clock);
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  // ---- Ingest ----
  // Validates and counts one finished execution (creating the agent on first sight).
  core::Status Ingest(const core::ExecutionEvent& event);
  // The same for a batch; results[i] is event i's outcome. Locks each touched shard once.
  // `log_ids`, when not empty, are the store's ids of the events (recorded for checkpoints).
  // REQUIRES: results.size() == events.size(); log_ids empty or of the same size.
  void IngestBatch(std::span<const core::ExecutionEvent> events, std::span<core::Status> results,
                   std::span<const int64_t> log_ids = {});
  // First half of two-part reporting: the execution is in flight until its finished record
  // (same execution_id) arrives.
  core::Status StartExecution(const core::ExecutionEvent& event);
  // A heartbeat; `reported_at` is the agent's own timestamp, if it sent one.
  core::Status RecordHeartbeat(std::string_view organization_id, std::string_view agent_id,
                               std::optional<core::Timestamp> reported_at,
                               std::string metadata_json);

  // ---- Other sources (system, workspaces, databases, integrations, active checks) ----
  // The latest result of an active check, after the check runner's own retries. For an agent
  // (created if unknown): a down result caps its score at critical and raises "check_failed"
  // until the same check reports up. For an integration (created if unknown): feeds its status,
  // connection and latency. InvalidArgument for other source types or bad ids. `pending`: a
  // failure the check has not confirmed yet (no verdict): it keeps the check's last verdict (up
  // for a check never seen), so a check restored down stays down, with its alert, until it has
  // a verdict again.
  core::Status RecordCheckResult(std::string_view organization_id, core::AlertSource source_type,
                                 std::string_view source_id, std::string_view check_id, bool up,
                                 double latency_ms, std::string detail, core::Timestamp at,
                                 bool pending = false);
  // A condition on a source that is not an agent (system, workspace, database, integration):
  // `severity` set = the condition holds at that severity, nullopt = it has cleared. One
  // AlertSlot per (organization, source type, source id, type), so raise / escalate / resolve,
  // cooldown and flapping behave as for agents; the changes are published on the next tick, to
  // the same listeners, with ids from the same counter. InvalidArgument for an agent source (an
  // agent's alerts come from its own evaluation) or bad fields.
  core::Status SetCondition(std::string_view organization_id, core::AlertSource source_type,
                            std::string_view source_id, std::string_view type,
                            std::optional<core::AlertSeverity> severity, std::string message,
                            std::string metadata_json);
  // A queue depth reported by `source_id` (an agent or an orchestrator): kept as the source's
  // latest reading, and the "queue_depth" condition (source type system, source id the reporter)
  // set from options().queue_depth_threshold: warning above it, critical above twice it.
  core::Status RecordQueueDepth(std::string_view organization_id, std::string_view source_id,
                                int64_t depth, core::Timestamp at);
  // The latest reading of every source that reported within queue_depth_stale_after.
  QueueDepthSummary QueueDepths(std::string_view organization_id);
  // Every organization with a fresh queue-depth reading, and its total (as QueueDepths gives it).
  std::vector<std::pair<std::string, int64_t>> QueueDepthTotals();
  // Creates an integration ahead of its first call or check, or gives it a display name.
  core::Status RegisterIntegration(std::string_view organization_id,
                                   std::string_view integration_id, std::string name);
  // Seed 001's integration health, one per integration of the organization (sorted by id).
  std::vector<core::IntegrationView> ListIntegrations(std::string_view organization_id);
  // Every organization's integrations (for periodic history rows; integrations are few).
  std::vector<core::IntegrationView> ListAllIntegrations();
  core::Result<core::IntegrationView> GetIntegration(std::string_view organization_id,
                                                     std::string_view integration_id);
  // Integrations of the organization with an open "integration_down" alert (sorted), for
  // delivery's dependency attribution. The same is published as alert events (source type
  // integration, type integration_down) for listeners that track it themselves.
  std::vector<std::string> DownIntegrations(std::string_view organization_id);
  // Re-opens a non-agent alert loaded from the store's open alerts at start-up, so that a
  // condition still holding after a restart is not raised (nor notified) again. Nothing is
  // published. InvalidArgument for an agent's alert (those come back with its checkpoint).
  core::Status RestoreConditionAlert(const core::Alert& alert);

  // ---- Registry ----
  // Registers the agent, or updates its settings. Returns true when it was created.
  core::Result<bool> RegisterAgent(std::string_view organization_id, std::string_view agent_id,
                                   core::AgentSettings settings);
  core::Status RemoveAgent(std::string_view organization_id, std::string_view agent_id);
  core::Status SetPaused(std::string_view organization_id, std::string_view agent_id, bool paused);

  // ---- Reads ----
  core::Result<core::AgentView> GetAgent(std::string_view organization_id,
                                         std::string_view agent_id);
  // One row per agent of the organization, in no particular order.
  std::vector<AgentSummary> ListAgents(std::string_view organization_id);
  // Every agent of every organization, as (organization_id, agent_id): for a cluster node to
  // find the agents it no longer owns.
  std::vector<std::pair<std::string, std::string>> AgentKeys();
  FleetSummary Summary(std::string_view organization_id);
  std::vector<core::Alert> OpenAlerts(std::string_view organization_id);
  // Heartbeat history (bounded, newest kept) of one agent, from <= timestamp <= to.
  core::Result<std::vector<core::HeartbeatRecord>> HeartbeatHistory(
      std::string_view organization_id, std::string_view agent_id,
      std::optional<core::Timestamp> from, std::optional<core::Timestamp> to);
  core::Result<core::Alert> AcknowledgeAlert(std::string_view organization_id,
                                             std::string_view alert_id, std::string by);

  // ---- Evaluation ----
  // Evaluates what changed or fell due, and every agent when a sweep is due; publishes.
  void Tick();
  // Evaluates every agent now; publishes. Returns how many were evaluated.
  size_t EvaluateAll();

  void AddListener(MonitorListener* listener);
  void RemoveListener(MonitorListener* listener);

  // ---- Introspection ----
  size_t agent_count() const { return agent_count_.load(std::memory_order_relaxed); }
  uint64_t events_ingested() const { return events_ingested_.load(std::memory_order_relaxed); }
  core::Duration pause_total() const {
    return core::Duration(pause_total_us_.load(std::memory_order_acquire));
  }
  const MonitorOptions& options() const { return options_; }
  // While held, time passes for no agent's liveness: heartbeat and stuck-execution deadlines
  // stand still (as during a pause the monitor notices itself). A cluster node holds it while it
  // cannot renew its membership: the others may be taking its agents' heartbeats, so its
  // silence is not theirs. Thread-safe; takes effect at the next tick.
  void HoldLiveness(bool held) { liveness_held_.store(held, std::memory_order_release); }
  bool liveness_held() const { return liveness_held_.load(std::memory_order_acquire); }
  const core::Clock* clock() const { return clock_; }
  // Alert ids continue from here (after a restart the store sets it past the largest it has).
  void SetNextAlertId(uint64_t next) { next_alert_id_.store(next); }

  // ---- Checkpoint and restore ----
  struct AgentCheckpoint {
    std::string organization_id;
    std::string agent_id;
    std::string blob;
    // Every store id at or below it is counted in this checkpoint or an earlier one of the
    // agent, or (with no reorder window) of any agent of this monitor.
    int64_t log_floor = 0;
  };
  // Checkpoints of the agents changed since their last one (all of them with `all`; with a
  // reorder window also those due for a refresh), and `*replay_from`: every execution with a
  // store id at or below it is presumed counted. Without a reorder window a restore replays the
  // ids above the largest of its checkpoints' floors; with one, above the smallest (each
  // checkpoint lists the ids above its floor that it holds).
  std::vector<AgentCheckpoint> CollectCheckpoints(bool all, int64_t* replay_from);
  // Checkpoints of the integrations changed since their last one (all of them with `all`). Take
  // them after CollectCheckpoints, with its `replay_from`: the integrations' own last log ids
  // keep a replay from counting a call twice.
  using IntegrationCheckpoint = IntegrationRegistry::Checkpoint;
  std::vector<IntegrationCheckpoint> CollectIntegrationCheckpoints(bool all);
  core::Status RestoreIntegration(std::string_view organization_id, std::string_view integration_id,
                                  std::string_view blob);
  // Recreates an agent at start-up from its registration (`settings`, may be null: defaults) and
  // its checkpoint (`blob`, may be null). `downtime`: how long the monitor was away.
  core::Status RestoreAgent(std::string_view organization_id, std::string_view agent_id,
                            const core::AgentSettings* settings, const std::string* blob,
                            core::Duration downtime);
  // With a reorder window: every store id at or below it is presumed counted by now (0 without).
  int64_t log_floor() const { return log_floor_.load(std::memory_order_acquire); }
  // Whether the agent has counted the stored execution `log_id` (false for an unknown agent).
  // A redelivered execution is skipped on this.
  bool Counted(std::string_view organization_id, std::string_view agent_id, int64_t log_id);
  // Replays a stored execution (or start) unless the agent's checkpoint already includes it.
  void Replay(const core::ExecutionEvent& event, int64_t log_id, bool started_only);
  // Raises the log position checkpoints are tagged with (see CollectCheckpoints) to `log_id`:
  // after a restore, to where the replay ended, so that a checkpoint taken before anything new
  // is ingested does not send the next restore back to an older position.
  void SetReplayedThrough(int64_t log_id);
  // A heartbeat newer than the agent's checkpoint, received before the restart.
  void RestoreHeartbeat(std::string_view organization_id, std::string_view agent_id,
                        core::Timestamp received_at, core::Duration downtime);

 private:
  Shard& ShardFor(AgentKeyView key);
  // Finds the agent, creating it with the default settings. nullptr when the agent cap is hit.
  // REQUIRES: shard.mu held.
  AgentEntry* FindOrCreate(Shard& shard, AgentKeyView key, core::Timestamp now);
  AgentEntry* FindOrCreate(Shard& shard, AgentKeyView key, uint64_t hash, core::Timestamp now);
  // Applies the valid events `run` (indexes into `events`) of one shard. REQUIRES: shard.mu held.
  size_t IngestShardRun(Shard& shard, std::span<const core::ExecutionEvent> events,
                        std::span<const uint32_t> run, std::span<const uint64_t> hash,
                        std::span<core::Status> results, std::span<const int64_t> log_ids,
                        int64_t log_floor, core::Timestamp now);
  // With a reorder window: samples the largest store id seen, so that "the largest id known a
  // window ago" (log_floor_) and the refresh position move. Called by the ticking thread.
  void MarkLogPosition(core::Timestamp now);
  void EvaluateEntry(Shard& shard, AgentEntry& e, core::Timestamp now,
                     std::vector<EngineEvent>& out);
  size_t RunEvaluation(bool sweep, core::Timestamp now);
  // Evaluates `work` (agents of `shard`) in a prefetch pipeline. REQUIRES: shard.mu held.
  size_t EvaluateWork(Shard& shard, std::vector<AgentEntry*>& work, core::Timestamp now,
                      std::vector<EngineEvent>& out);
  void Publish(std::vector<EngineEvent>& events);
  // Evaluates integrations (changed ones, or all on a sweep), forgets stale queue depths on a
  // sweep, and appends the non-agent alert changes queued since the last tick to `out`.
  void CollectSourceEvents(bool sweep, core::Timestamp now, std::vector<EngineEvent>& out);
  core::Status SetConditionAt(const ConditionKey& key, std::optional<core::AlertSeverity> severity,
                              std::string message, std::string metadata_json, core::Timestamp now);
  core::Status RecordAgentCheck(std::string_view organization_id, std::string_view agent_id,
                                std::string_view check_id, bool up, std::string_view detail,
                                bool pending);
  std::string NextAlertId();

  const MonitorOptions options_;
  const core::Clock* clock_;
  const std::shared_ptr<const core::AgentSettings> default_settings_;
  std::vector<std::unique_ptr<Shard>> shards_;

  std::atomic<size_t> agent_count_{0};
  std::atomic<uint64_t> events_ingested_{0};
  std::atomic<uint64_t> next_alert_id_{1};
  std::atomic<int64_t> pause_total_us_{0};
  std::atomic<bool> liveness_held_{false};
  std::atomic<int64_t> max_log_id_{0};     // the largest store id ingested
  std::atomic<int64_t> log_floor_{0};      // with a reorder window: max_log_id_ a window ago
  std::atomic<int64_t> refresh_floor_{0};  // ... and a refresh before that
  std::mutex log_marks_mu_;
  std::deque<std::pair<core::Timestamp, int64_t>> log_marks_;  // guarded by log_marks_mu_

  // Tick state: touched only by the ticking thread.
  core::PauseGuard pause_guard_;
  uint64_t tick_ = 0;
  std::optional<core::Timestamp> last_sweep_;

  AlertIndex alert_index_;
  ConditionTable conditions_;
  IntegrationRegistry integrations_;

  std::mutex queue_mu_;
  std::map<std::pair<std::string, std::string>, QueueDepthReading> queue_depths_;
  WorkerPool sweep_pool_;

  std::mutex listeners_mu_;
  std::vector<MonitorListener*> listeners_;
};

}  // namespace vitals::engine
