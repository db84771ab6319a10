#include "engine/integration_registry.h"

#include <algorithm>

namespace vitals::engine {

using core::Status;

IntegrationRegistry::IntegrationRegistry(core::IntegrationPolicy policy, size_t max_integrations)
    : policy_(std::move(policy)), max_integrations_(max_integrations) {}

IntegrationRegistry::Entry* IntegrationRegistry::FindOrCreate(std::string_view organization_id,
                                                              std::string_view integration_id) {
  const Key key{std::string(organization_id), std::string(integration_id)};
  auto it = entries_.find(key);
  if (it != entries_.end()) return &it->second;
  if (entries_.size() >= max_integrations_) return nullptr;
  Entry e{core::IntegrationState(key.first, key.second, policy_)};
  return &entries_.emplace(key, std::move(e)).first->second;
}

void IntegrationRegistry::RecordCalls(std::span<const core::ExecutionEvent> events,
                                      std::span<const Status> results, core::Timestamp now,
                                      std::span<const int64_t> log_ids, bool replay) {
  std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
  Entry* e = nullptr;  // consecutive events usually name the same integration: no lookup
  for (size_t i = 0; i < events.size(); ++i) {
    const core::ExecutionEvent& ev = events[i];
    if (ev.integration_id.empty() || !results[i].ok()) continue;
    if (!lock.owns_lock()) lock.lock();
    if (!e || e->state.integration_id() != ev.integration_id ||
        e->state.organization_id() != ev.organization_id) {
      e = FindOrCreate(ev.organization_id, ev.integration_id);
    }
    if (!e) continue;
    const int64_t log_id = log_ids.empty() ? 0 : log_ids[i];
    if (replay && e->state.Counted(log_id)) continue;
    e->state.RecordCall(ev.timestamp, ev.latency_ms, ev.IsSuccess(), ev.agent_id, now, log_id);
    e->dirty = true;
    e->checkpoint_dirty = true;
  }
}

Status IntegrationRegistry::RecordCheck(std::string_view organization_id,
                                        std::string_view integration_id, std::string_view check_id,
                                        bool up, double latency_ms, std::string_view detail,
                                        core::Timestamp at, core::Timestamp now, bool pending) {
  std::lock_guard lock(mu_);
  Entry* e = FindOrCreate(organization_id, integration_id);
  if (!e) return Status::ResourceExhausted("integration_id: the integration limit is reached");
  e->state.RecordCheck(check_id, up, latency_ms, detail, at, now, pending);
  e->dirty = true;
  e->checkpoint_dirty = true;
  return Status::Ok();
}

Status IntegrationRegistry::Register(std::string_view organization_id,
                                     std::string_view integration_id, std::string name) {
  std::lock_guard lock(mu_);
  Entry* e = FindOrCreate(organization_id, integration_id);
  if (!e) return Status::ResourceExhausted("integration_id: the integration limit is reached");
  e->state.SetName(std::move(name));
  e->checkpoint_dirty = true;
  return Status::Ok();
}

void IntegrationRegistry::SetDependencies(std::string_view organization_id,
                                          std::string_view agent_id,
                                          std::span<const std::string> integration_ids) {
  std::lock_guard lock(mu_);
  for (auto& [key, e] : entries_) {
    if (key.first != organization_id) continue;
    const bool depends = std::find(integration_ids.begin(), integration_ids.end(), key.second) !=
                         integration_ids.end();
    e.state.SetDependent(agent_id, depends);
  }
  for (const std::string& id : integration_ids) {
    if (Entry* e = FindOrCreate(organization_id, id)) e->state.SetDependent(agent_id, true);
  }
}

std::vector<IntegrationRegistry::Evaluated> IntegrationRegistry::Evaluate(
    bool all, core::Timestamp now, core::Duration trend_spacing) {
  std::lock_guard lock(mu_);
  std::vector<Evaluated> out;
  for (auto& [key, e] : entries_) {
    if (!all && !e.dirty) continue;
    e.dirty = false;
    out.push_back({key.first, key.second, e.state.Evaluate(now, policy_, trend_spacing)});
  }
  return out;
}

std::vector<core::IntegrationView> IntegrationRegistry::List(std::string_view organization_id,
                                                             core::Timestamp now) {
  std::lock_guard lock(mu_);
  std::vector<core::IntegrationView> out;
  for (auto it = entries_.lower_bound(Key{std::string(organization_id), std::string()});
       it != entries_.end() && it->first.first == organization_id; ++it) {
    out.push_back(it->second.state.View(now, policy_));
  }
  return out;
}

std::vector<core::IntegrationView> IntegrationRegistry::ListAll(core::Timestamp now) {
  std::lock_guard lock(mu_);
  std::vector<core::IntegrationView> out;
  out.reserve(entries_.size());
  for (auto& [key, entry] : entries_) out.push_back(entry.state.View(now, policy_));
  return out;
}

core::Result<core::IntegrationView> IntegrationRegistry::Get(std::string_view organization_id,
                                                             std::string_view integration_id,
                                                             core::Timestamp now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(Key{std::string(organization_id), std::string(integration_id)});
  if (it == entries_.end()) {
    return Status::NotFound("integration '" + std::string(integration_id) + "' not found");
  }
  return it->second.state.View(now, policy_);
}

std::vector<IntegrationRegistry::Checkpoint> IntegrationRegistry::CollectCheckpoints(bool all) {
  std::lock_guard lock(mu_);
  std::vector<Checkpoint> out;
  for (auto& [key, e] : entries_) {
    if (!all && !e.checkpoint_dirty) continue;
    e.checkpoint_dirty = false;
    out.push_back({key.first, key.second, e.state.EncodeCheckpoint()});
  }
  return out;
}

Status IntegrationRegistry::Restore(std::string_view organization_id,
                                    std::string_view integration_id, std::string_view blob) {
  std::lock_guard lock(mu_);
  Entry* e = FindOrCreate(organization_id, integration_id);
  if (!e) return Status::ResourceExhausted("integration_id: the integration limit is reached");
  if (Status s = e->state.RestoreCheckpoint(blob); !s.ok()) return s;
  e->dirty = true;
  e->checkpoint_dirty = false;
  return Status::Ok();
}

std::pair<int64_t, int64_t> IntegrationRegistry::Counts(std::string_view organization_id) const {
  std::lock_guard lock(mu_);
  int64_t total = 0, healthy = 0;
  for (auto it = entries_.lower_bound(Key{std::string(organization_id), std::string()});
       it != entries_.end() && it->first.first == organization_id; ++it) {
    ++total;
    if (it->second.state.last_status() == core::IntegrationStatus::kHealthy) ++healthy;
  }
  return {total, healthy};
}

}  // namespace vitals::engine
