// SqliteStore: the Store on one SQLite database in WAL mode — a Writer thread that group-commits
// everything queued, and a ReadPool of read-only connections. Built by OpenSqliteStore().
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "store/sqlite/execution_tail.h"
#include "store/sqlite/read_pool.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/writer.h"
#include "store/write_queue.h"

namespace vitals::store {

class SqliteStore final : public Store {
 public:
  static core::Result<std::unique_ptr<Store>> Open(const SqliteOptions& options);
  ~SqliteStore() override;

  void AppendExecutions(std::vector<ExecutionWrite> rows,
                        std::function<void(core::Status, std::span<const int64_t>)> done) override;
  void AppendHeartbeats(std::vector<StoredHeartbeat> rows, Done done) override;
  void RecordTransitions(std::vector<TransitionRecord> rows) override;
  void RecordHealth(std::vector<HealthRecord> rows) override;
  void RecordAlerts(std::vector<core::Alert> rows) override;
  void RecordMetrics(std::vector<MetricRecord> rows) override;
  void SaveCheckpoints(std::vector<Checkpoint> rows) override;

  core::Status UpsertAgent(const RegisteredAgent& agent) override;
  core::Status DeleteAgent(std::string_view organization_id, std::string_view agent_id) override;
  core::Status CreateApiKey(const ApiKeyRecord& key) override;
  core::Status RevokeApiKey(std::string_view organization_id, std::string_view key_id,
                            core::Timestamp at) override;

  core::Result<std::vector<StoredExecution>> QueryExecutions(const ExecutionQuery& q) override;
  core::Result<std::vector<StoredExecution>> ExecutionsAfter(int64_t after_id, int limit) override;
  core::Result<std::vector<StoredHeartbeat>> QueryHeartbeats(std::string_view organization_id,
                                                             std::string_view agent_id,
                                                             std::optional<core::Timestamp> from,
                                                             std::optional<core::Timestamp> to,
                                                             int limit) override;
  core::Result<std::vector<StoredHeartbeat>> LatestHeartbeats() override;
  core::Result<std::vector<RegisteredAgent>> LoadAgents() override;
  core::Result<std::vector<core::Alert>> QueryAlerts(const AlertQuery& q) override;
  core::Result<std::optional<core::Alert>> GetAlert(std::string_view organization_id,
                                                    std::string_view alert_id) override;
  core::Result<uint64_t> MaxAlertNumber() override;
  core::Result<std::vector<HistoryPoint>> QueryAgentHistory(std::string_view organization_id,
                                                            std::string_view agent_id,
                                                            core::Timestamp from,
                                                            core::Timestamp to,
                                                            core::Duration bucket) override;
  core::Result<std::vector<TransitionRecord>> QueryTransitions(std::string_view organization_id,
                                                               std::string_view agent_id,
                                                               std::optional<core::Timestamp> from,
                                                               int limit) override;
  core::Result<std::vector<HealthRecord>> LoadHealth() override;
  core::Result<std::vector<MetricRecord>> QueryMetrics(std::string_view organization_id,
                                                       std::string_view resource_type,
                                                       std::string_view resource_id,
                                                       std::string_view metric_name,
                                                       core::Timestamp from, core::Timestamp to,
                                                       int limit) override;
  core::Result<std::vector<ApiKeyRecord>> ListApiKeys(std::string_view organization_id) override;
  core::Result<std::vector<ApiKeyRecord>> ListAllApiKeys() override;
  core::Result<std::optional<ApiKeyRecord>> FindApiKeyByHash(std::string_view secret_hash) override;
  core::Result<bool> HasActiveApiKeys() override;
  core::Result<std::vector<Checkpoint>> LoadCheckpoints() override;
  core::Status PutResource(const ResourceRecord& resource) override;
  core::Status DeleteResource(std::string_view organization_id, std::string_view kind,
                              std::string_view id) override;
  core::Status RecordDelivery(const DeliveryRecord& delivery) override;
  core::Result<size_t> ClaimAgents(
      std::string_view node_id, uint64_t epoch,
      std::span<const std::pair<std::string, std::string>> agents) override;
  core::Result<std::vector<ResourceRecord>> ListResources(std::string_view kind) override;
  core::Result<std::vector<DeliveryRecord>> QueryDeliveries(std::string_view organization_id,
                                                            std::string_view alert_id,
                                                            int limit) override;

  void SetCompletionExecutor(CompletionExecutor executor) override;
  void Flush() override;
  core::Status RunRetention(core::Timestamp cutoff) override;
  StoreStats Stats() const override;
  core::Status Health() const override;

 private:
  explicit SqliteStore(const SqliteOptions& options);
  core::Status Init();
  // Runs `run` inside the next group commit and waits until that commit is durable.
  core::Status RunJob(std::function<core::Status(WriteContext&)> run, bool seal = false);

  const SqliteOptions options_;
  const core::Clock& clock_;
  WriteQueue queue_;
  ExecutionTail tail_;
  std::unique_ptr<Writer> writer_;
  ReadPool readers_;
  std::atomic<uint64_t> retention_deleted_{0};
};

}  // namespace vitals::store
