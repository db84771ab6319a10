// Monitor: checkpoints and start-up restore (see monitor.h).
#include "engine/monitor.h"

namespace vitals::engine {

using core::Status;
using core::Timestamp;

std::vector<Monitor::AgentCheckpoint> Monitor::CollectCheckpoints(bool all, int64_t* replay_from) {
  const bool reorder = options_.log_reorder_window.count() > 0;
  // Read before collecting: executions ingested meanwhile have larger ids and are replayed (the
  // agent's own log position inside its checkpoint keeps a replay from counting anything twice).
  *replay_from = reorder ? log_floor_.load(std::memory_order_acquire)
                         : max_log_id_.load(std::memory_order_acquire);
  const int64_t refresh = reorder ? refresh_floor_.load(std::memory_order_acquire) : 0;
  std::vector<AgentCheckpoint> out;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    shard->ForEach([&](AgentEntry& e) {
      if (!all && !e.checkpoint_dirty && e.state.log_position().floor() >= refresh) return;
      e.checkpoint_dirty = false;
      if (reorder) e.state.RaiseLogFloor(*replay_from);
      out.push_back({e.state.organization_id(), e.state.agent_id(), e.state.EncodeCheckpoint(),
                     reorder ? e.state.log_position().floor() : *replay_from});
    });
  }
  return out;
}

void Monitor::MarkLogPosition(Timestamp now) {
  const core::Duration window = options_.log_reorder_window;
  if (window.count() == 0) return;
  std::lock_guard lock(log_marks_mu_);
  if (log_marks_.empty() || now - log_marks_.back().first >= std::chrono::seconds(1)) {
    log_marks_.emplace_back(now, max_log_id_.load(std::memory_order_acquire));
  }
  // The position at `at`: the newest mark taken at or before it (0: none that old).
  const auto position_at = [this](Timestamp at) {
    int64_t position = 0;
    for (const auto& [t, id] : log_marks_) {
      if (t > at) break;
      position = id;
    }
    return position;
  };
  const Timestamp refresh_at = now - window - options_.checkpoint_refresh;
  while (log_marks_.size() > 1 && log_marks_[1].first <= refresh_at) log_marks_.pop_front();
  log_floor_.store(std::max(log_floor_.load(), position_at(now - window)),
                   std::memory_order_release);
  refresh_floor_.store(position_at(refresh_at), std::memory_order_release);
}

std::vector<std::pair<std::string, std::string>> Monitor::AgentKeys() {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    shard->ForEach(
        [&](AgentEntry& e) { out.emplace_back(e.state.organization_id(), e.state.agent_id()); });
  }
  return out;
}

std::vector<Monitor::IntegrationCheckpoint> Monitor::CollectIntegrationCheckpoints(bool all) {
  return integrations_.CollectCheckpoints(all);
}

Status Monitor::RestoreIntegration(std::string_view organization_id,
                                   std::string_view integration_id, std::string_view blob) {
  if (Status s = integrations_.Restore(organization_id, integration_id, blob); !s.ok()) {
    return Status(s.code(), "integration '" + std::string(integration_id) + "': " + s.message());
  }
  return Status::Ok();
}

Status Monitor::RestoreAgent(std::string_view organization_id, std::string_view agent_id,
                             const core::AgentSettings* settings, const std::string* blob,
                             core::Duration downtime) {
  const core::Timestamp now = clock_->Now();
  const AgentKeyView key{organization_id, agent_id};
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  AgentEntry* e = shard.Find(key);
  if (!e) {
    if (agent_count_.fetch_add(1, std::memory_order_relaxed) >= options_.max_agents) {
      agent_count_.fetch_sub(1, std::memory_order_relaxed);
      return Status::ResourceExhausted("agent limit reached while restoring");
    }
    auto shared =
        settings ? std::make_shared<const core::AgentSettings>(*settings) : default_settings_;
    e = shard.Insert(AgentKeyHash{}(key),
                     std::make_unique<AgentEntry>(core::AgentState(
                         std::string(organization_id), std::string(agent_id), std::move(shared),
                         options_.windows, now, pause_total())));
  } else if (settings) {
    e->state.SetSettings(std::make_shared<const core::AgentSettings>(*settings), now,
                         pause_total());
  }
  if (settings && !settings->depends_on.empty()) {
    integrations_.SetDependencies(organization_id, agent_id, settings->depends_on);
  }
  if (blob) {
    if (Status s = e->state.RestoreCheckpoint(*blob, downtime, pause_total(),
                                              options_.policy.default_heartbeat);
        !s.ok()) {
      return Status(s.code(), "agent '" + std::string(agent_id) + "': " + s.message());
    }
    for (int t = 0; t < core::kAgentAlertTypeCount; ++t) {
      if (const core::Alert* a =
              e->state.alert_slot(static_cast<core::AgentAlertType>(t)).open_alert()) {
        alert_index_.Put(*a);
      }
    }
  }
  e->checkpoint_dirty = false;
  shard.MarkDirty(e);
  e->checkpoint_dirty = blob == nullptr;
  return Status::Ok();
}

void Monitor::Replay(const core::ExecutionEvent& ev, int64_t log_id, bool started_only) {
  const core::Timestamp now = clock_->Now();
  if (!started_only && !ev.integration_id.empty()) {
    // The integration's checkpoint (its last log id) keeps a call from counting twice.
    const Status ok;
    integrations_.RecordCalls(std::span(&ev, 1), std::span(&ok, 1), now, std::span(&log_id, 1),
                              /*replay=*/true);
  }
  const AgentKeyView key{ev.organization_id, ev.agent_id};
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  AgentEntry* e = FindOrCreate(shard, key, now);
  if (!e || e->state.log_position().Contains(log_id)) return;
  if (started_only) {
    const std::string_view action = ev.action_name.empty() ? ev.action_type : ev.action_name;
    (void)e->state.StartExecution(ev.execution_id, action, std::min(ev.timestamp, now),
                                  options_.policy.stuck.max_in_flight);
  } else {
    core::ExecutionSample sample = core::ExecutionSample::Of(ev, log_id);
    // Replayed in id order: without a reorder window everything before it is counted.
    if (options_.log_reorder_window.count() == 0) sample.log_floor = log_id;
    e->state.RecordExecution(sample, now);
    events_ingested_.fetch_add(1, std::memory_order_relaxed);
  }
  shard.MarkDirty(e);
  SetReplayedThrough(log_id);
}

bool Monitor::Counted(std::string_view organization_id, std::string_view agent_id, int64_t log_id) {
  const AgentKeyView key{organization_id, agent_id};
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  const AgentEntry* e = shard.Find(key);
  return e && e->state.log_position().Contains(log_id);
}

void Monitor::SetReplayedThrough(int64_t log_id) {
  int64_t seen = max_log_id_.load(std::memory_order_relaxed);
  while (log_id > seen && !max_log_id_.compare_exchange_weak(seen, log_id)) {
  }
}

void Monitor::RestoreHeartbeat(std::string_view organization_id, std::string_view agent_id,
                               core::Timestamp received_at, core::Duration downtime) {
  const AgentKeyView key{organization_id, agent_id};
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  AgentEntry* e = FindOrCreate(shard, key, clock_->Now());
  if (!e) return;
  e->state.RestoreLastHeartbeat(received_at, downtime, pause_total(),
                                options_.policy.default_heartbeat);
  shard.MarkDirty(e);
}

}  // namespace vitals::engine
