// Store: where vitals keeps what must survive a restart — the execution log, heartbeats, the
// agent registry, alerts, health history, API keys and engine checkpoints.
//
// Contract for every implementation:
//  - All methods are thread-safe.
//  - Acknowledged writes (AppendExecutions, AppendHeartbeats) are group-committed: many callers'
//    rows go into one transaction; `done` runs once the rows are durable (they survive a kill -9
//    of the process and, with the default durability, a power loss) or have failed. `done` runs
//    on the store's writer thread: it must be short and must not call back into a blocking Store
//    method. Writes are never silently dropped: a full queue is reported through `done` with
//    ResourceExhausted, immediately and on the caller's thread.
//  - Background writes (Record*, SaveCheckpoints) are queued and committed with the next group;
//    a failure is counted in Stats() and logged, never thrown. When the queue is full they are
//    dropped oldest-first and counted (they are derived data the engine can recompute).
//  - UpsertAgent and DeleteAgent take effect after every write queued before them, so a
//    checkpoint saved before a deletion never outlives the registration.
//  - Reads use their own connections and never wait for the writer; they see every write whose
//    `done` has run.
//  - Not-found reads return an empty vector / nullopt, not an error; errors are kIoError.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store_types.h"

namespace vitals::store {

using Done = std::function<void(core::Status)>;

// Runs one group commit's acknowledgement callbacks, all of them, in one call; the store hands
// groups to it in commit order and it must keep that order. Returns false when it cannot take the
// task (shutting down): the store then runs it itself.
using CompletionExecutor = std::function<bool(std::function<void()> task)>;

class Store {
 public:
  virtual ~Store() = default;

  // ---- Acknowledged, group-committed writes ----
  // Appends execution records; assigns each an id (StoredExecution::id). On success `ids`
  // passed to `done_with_ids` holds the ids in the order of `rows`; the span is valid only
  // during the call (it points into the whole group's ids, so no allocation per caller).
  // A row with an execution_id whose (organization, agent, execution_id, start or finish) is
  // already among the store's recent rows is not stored: its id is kDuplicateExecution when its
  // content is the same (a client's retry: acknowledge it, count it nowhere), else
  // kConflictingExecution (refuse it). The start and the finish of an execution are two keys.
  virtual void AppendExecutions(
      std::vector<ExecutionWrite> rows,
      std::function<void(core::Status, std::span<const int64_t> ids)> done_with_ids) = 0;
  virtual void AppendHeartbeats(std::vector<StoredHeartbeat> rows, Done done) = 0;

  // ---- Background writes (see the contract above) ----
  virtual void RecordTransitions(std::vector<TransitionRecord> rows) = 0;
  // Upserts agent_health_realtime and adds the snapshot to the hourly history rollup.
  virtual void RecordHealth(std::vector<HealthRecord> rows) = 0;
  // Upserts alerts by id (and mirrors them into seed 003's health_alerts).
  virtual void RecordAlerts(std::vector<core::Alert> rows) = 0;
  virtual void RecordMetrics(std::vector<MetricRecord> rows) = 0;
  // Replaces each agent's checkpoint.
  virtual void SaveCheckpoints(std::vector<Checkpoint> rows) = 0;

  // ---- Synchronous writes: return once durable ----
  virtual core::Status UpsertAgent(const RegisteredAgent& agent) = 0;
  // NotFound when absent. Deletes the registration and checkpoint, not the agent's history.
  virtual core::Status DeleteAgent(std::string_view organization_id, std::string_view agent_id) = 0;
  // AlreadyExists when the id is taken.
  virtual core::Status CreateApiKey(const ApiKeyRecord& key) = 0;
  // NotFound when no key with this id belongs to the organization.
  virtual core::Status RevokeApiKey(std::string_view organization_id, std::string_view key_id,
                                    core::Timestamp at) = 0;
  // Inserts or replaces the resource (organization_id, kind, id); keeps the first created_at.
  virtual core::Status PutResource(const ResourceRecord& resource) = 0;
  // NotFound when absent.
  virtual core::Status DeleteResource(std::string_view organization_id, std::string_view kind,
                                      std::string_view id) = 0;
  // Appends one delivery attempt to the delivery log.
  virtual core::Status RecordDelivery(const DeliveryRecord& delivery) = 0;

  // ---- Fencing: which cluster node owns an agent (issue 16) ----
  // Records `node_id` as the owner of each agent (organization, agent) under the membership
  // `epoch`, unless the agent is held by a claim of a later epoch, or of the same epoch by another
  // node. Returns how many of the (distinct) agents it claimed. Once a claim is durable, the store
  // refuses the background writes (health, its history, transitions, alerts of the agent,
  // checkpoints) of every other store opened with a different StoreOpenOptions::writer_node:
  // they are dropped and counted in StoreStats::fenced_rows. A write whose statement began before
  // the claim committed may still land. Writers with no writer_node and unclaimed agents are not
  // fenced. Synchronous; FailedPrecondition from a store that cannot be shared (SQLite).
  virtual core::Result<size_t> ClaimAgents(
      std::string_view node_id, uint64_t epoch,
      std::span<const std::pair<std::string, std::string>> agents) = 0;

  // ---- Reads ----
  virtual core::Result<std::vector<StoredExecution>> QueryExecutions(const ExecutionQuery& q) = 0;
  // Executions with id > after_id, ascending, at most `limit`: for replay after a checkpoint.
  virtual core::Result<std::vector<StoredExecution>> ExecutionsAfter(int64_t after_id,
                                                                     int limit) = 0;
  // Newest first (QueryExecutions: by event timestamp, ties by id).
  virtual core::Result<std::vector<StoredHeartbeat>> QueryHeartbeats(
      std::string_view organization_id, std::string_view agent_id,
      std::optional<core::Timestamp> from, std::optional<core::Timestamp> to, int limit) = 0;
  // The newest heartbeat of every agent that has one.
  virtual core::Result<std::vector<StoredHeartbeat>> LatestHeartbeats() = 0;
  virtual core::Result<std::vector<RegisteredAgent>> LoadAgents() = 0;
  virtual core::Result<std::vector<core::Alert>> QueryAlerts(const AlertQuery& q) = 0;
  virtual core::Result<std::optional<core::Alert>> GetAlert(std::string_view organization_id,
                                                            std::string_view alert_id) = 0;
  // The largest n among alert ids "alert_<n>" (0 when none), so ids continue after a restart.
  virtual core::Result<uint64_t> MaxAlertNumber() = 0;
  // Health history of an agent from the hourly rollup, aggregated into buckets of `bucket`
  // (a whole number of hours), oldest first; empty buckets are omitted.
  virtual core::Result<std::vector<HistoryPoint>> QueryAgentHistory(
      std::string_view organization_id, std::string_view agent_id, core::Timestamp from,
      core::Timestamp to, core::Duration bucket) = 0;
  // Newest first.
  virtual core::Result<std::vector<TransitionRecord>> QueryTransitions(
      std::string_view organization_id, std::string_view agent_id,
      std::optional<core::Timestamp> from, int limit) = 0;
  virtual core::Result<std::vector<HealthRecord>> LoadHealth() = 0;
  // Metrics of one resource and metric name in [from, to], oldest first, at most `limit`.
  virtual core::Result<std::vector<MetricRecord>> QueryMetrics(std::string_view organization_id,
                                                               std::string_view resource_type,
                                                               std::string_view resource_id,
                                                               std::string_view metric_name,
                                                               core::Timestamp from,
                                                               core::Timestamp to, int limit) = 0;
  virtual core::Result<std::vector<ApiKeyRecord>> ListApiKeys(std::string_view organization_id) = 0;
  // Every organization's keys, ordered by (organization_id, created_at, id): the operator's view
  // (`vitals keys list --db FILE`); never reachable over HTTP.
  virtual core::Result<std::vector<ApiKeyRecord>> ListAllApiKeys() = 0;
  virtual core::Result<std::optional<ApiKeyRecord>> FindApiKeyByHash(
      std::string_view secret_hash) = 0;
  // True when at least one key exists that is not revoked.
  virtual core::Result<bool> HasActiveApiKeys() = 0;
  virtual core::Result<std::vector<Checkpoint>> LoadCheckpoints() = 0;
  // Every resource of `kind`, of every organization, ordered by (organization_id, id).
  virtual core::Result<std::vector<ResourceRecord>> ListResources(std::string_view kind) = 0;
  // The organization's delivery log, newest first; only `alert_id`'s when it is not empty.
  virtual core::Result<std::vector<DeliveryRecord>> QueryDeliveries(
      std::string_view organization_id, std::string_view alert_id, int limit) = 0;

  // Where the `done` callbacks of AppendExecutions and AppendHeartbeats run: by default on the
  // store's writer thread; with an executor, wherever it runs them, so the writer can start the
  // next group commit while the last one is answered. Other callbacks (jobs behind synchronous
  // calls) always run on the writer: a synchronous caller may be the executor's own thread.
  // A group commit's acknowledgements reach the executor before its jobs complete, so after
  // Flush() returns those of everything appended before it have been handed over (not run).
  // Thread-safe; takes effect from the next group commit.
  virtual void SetCompletionExecutor(CompletionExecutor executor) = 0;

  // ---- Maintenance ----
  // Blocks until everything queued before the call is durable (or failed).
  virtual void Flush() = 0;
  // Deletes data older than `cutoff` in small steps that never hold the writer long.
  virtual core::Status RunRetention(core::Timestamp cutoff) = 0;
  virtual StoreStats Stats() const = 0;
  // Whether the store can take acknowledged writes now: Ok while its last group commit
  // succeeded; else the failure (kIoError: the disk failed, e.g. full; kUnavailable: the database
  // file was deleted or replaced, for good until a restart), its message fit for clients (no
  // path). After a failure the store retries by itself (the next group, or a small probe write
  // about every 250 ms), so this turns Ok again once a commit succeeds. Thread-safe, never waits
  // for the writer.
  virtual core::Status Health() const = 0;
};

}  // namespace vitals::store
