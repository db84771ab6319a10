// IntegrationRegistry: every integration of every organization, created on the first execution
// or check that names it, on registration, or when an agent declares it depends on it.
//
// Integrations are few (tens per organization) next to agents, so one mutex guards them all; the
// ingest path takes it once per batch, and only for batches that name an integration.
//
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/execution_event.h"
#include "core/integration_state.h"
#include "core/status.h"

namespace vitals::engine {

class IntegrationRegistry {
 public:
  // REQUIRES: policy.Validate().ok(), max_integrations >= 1.
  IntegrationRegistry(core::IntegrationPolicy policy, size_t max_integrations);

  // Counts the calls of the accepted events (results[i].ok()) that name an integration.
  // `log_ids`: the store's ids of the events, or empty; with `replay`, calls an integration's
  // checkpoint already counted are skipped. REQUIRES: log_ids empty or events' size.
  void RecordCalls(std::span<const core::ExecutionEvent> events,
                   std::span<const core::Status> results, core::Timestamp now,
                   std::span<const int64_t> log_ids = {}, bool replay = false);
  // `pending`: see IntegrationState::RecordCheck.
  core::Status RecordCheck(std::string_view organization_id, std::string_view integration_id,
                           std::string_view check_id, bool up, double latency_ms,
                           std::string_view detail, core::Timestamp at, core::Timestamp now,
                           bool pending = false);
  // Creates the integration (or renames it).
  core::Status Register(std::string_view organization_id, std::string_view integration_id,
                        std::string name);
  // Makes `agent_id` a dependent of exactly `integration_ids` in its organization.
  void SetDependencies(std::string_view organization_id, std::string_view agent_id,
                       std::span<const std::string> integration_ids);

  struct Evaluated {
    std::string organization_id;
    std::string integration_id;
    core::IntegrationEvaluation evaluation;
  };
  // Evaluates the integrations changed since the last call (all of them with `all`).
  std::vector<Evaluated> Evaluate(bool all, core::Timestamp now, core::Duration trend_spacing);

  std::vector<core::IntegrationView> List(std::string_view organization_id, core::Timestamp now);
  // Every organization's integrations, by (organization, id).
  std::vector<core::IntegrationView> ListAll(core::Timestamp now);
  core::Result<core::IntegrationView> Get(std::string_view organization_id,
                                          std::string_view integration_id, core::Timestamp now);
  struct Checkpoint {
    std::string organization_id;
    std::string integration_id;
    std::string blob;
  };
  // Checkpoints of the integrations changed since their last one (all of them with `all`).
  std::vector<Checkpoint> CollectCheckpoints(bool all);
  // Restores one integration's checkpoint (creating it). Its first evaluation then judges the
  // restored evidence, so an alert restored open stays open while its condition holds.
  core::Status Restore(std::string_view organization_id, std::string_view integration_id,
                       std::string_view blob);

  // (total, healthy) integrations of the organization, by their last evaluated status.
  std::pair<int64_t, int64_t> Counts(std::string_view organization_id) const;

 private:
  struct Entry {
    core::IntegrationState state;
    bool dirty = true;
    bool checkpoint_dirty = true;
  };
  using Key = std::pair<std::string, std::string>;  // (organization, integration)
  // nullptr when the cap is hit. REQUIRES: mu_ held.
  Entry* FindOrCreate(std::string_view organization_id, std::string_view integration_id);

  const core::IntegrationPolicy policy_;
  const size_t max_integrations_;
  mutable std::mutex mu_;
  std::map<Key, Entry, std::less<>> entries_;
};

}  // namespace vitals::engine
