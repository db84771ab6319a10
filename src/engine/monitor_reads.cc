// Monitor: reads and acknowledgements (see monitor.h).
#include <iterator>
#include <tuple>

#include "engine/monitor.h"

namespace vitals::engine {

using core::Status;
using core::Timestamp;

namespace {

AgentSummary Summarize(const core::AgentState& s, Timestamp now, core::Duration pause_total) {
  AgentSummary r;
  r.agent_id = s.agent_id();
  r.name = s.settings().name.empty() ? s.agent_id() : s.settings().name;
  r.type = s.settings().type;
  const core::HealthSnapshot& h = s.last_health();
  r.status = h.status;
  r.score = h.score;
  r.activity = s.Activity();
  r.success_rate_5min = h.success_rate_5min;
  r.latency_p95_ms = h.latency_p95_5min;
  r.executions_1hr = h.executions_1hr;
  r.last_active = s.last_active();
  r.trend = s.Trend();
  if (const core::HeartbeatTracker* hb = s.heartbeat()) r.heartbeat = hb->StateAt(now, pause_total);
  for (int t = 0; t < core::kAgentAlertTypeCount; ++t) {
    if (s.alert_slot(static_cast<core::AgentAlertType>(t)).open_alert()) ++r.open_alerts;
  }
  r.in_flight = s.in_flight_count();
  return r;
}

}  // namespace

core::Result<core::AgentView> Monitor::GetAgent(std::string_view organization_id,
                                                std::string_view agent_id) {
  const AgentKeyView key{organization_id, agent_id};
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  AgentEntry* e = shard.Find(key);
  if (!e) return Status::NotFound("agent '" + std::string(agent_id) + "' not found");
  return e->state.View(clock_->Now(), pause_total(), options_.policy);
}

std::vector<AgentSummary> Monitor::ListAgents(std::string_view organization_id) {
  const Timestamp now = clock_->Now();
  std::vector<AgentSummary> out;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    shard->ForEach([&](AgentEntry& e) {
      if (e.state.organization_id() == organization_id) {
        out.push_back(Summarize(e.state, now, pause_total()));
      }
    });
  }
  return out;
}

FleetSummary Monitor::Summary(std::string_view organization_id) {
  const Timestamp now = clock_->Now();
  FleetSummary f;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    shard->ForEach([&](AgentEntry& e) {
      const core::AgentState& s = e.state;
      if (s.organization_id() != organization_id) return;
      ++f.total_agents;
      ++f.by_status[static_cast<size_t>(s.last_health().status)];
      const core::ActivityStatus activity = s.Activity();
      ++f.by_activity[static_cast<size_t>(activity)];
      if (activity != core::ActivityStatus::kPaused &&
          (s.in_flight_count() > 0 || s.last_health().success_rate_5min)) {
        ++f.active_agents;
      }
      if (const core::HeartbeatTracker* hb = s.heartbeat()) {
        ++f.by_heartbeat[static_cast<size_t>(hb->StateAt(now, pause_total()))];
        f.total_heartbeats += hb->total_heartbeats();
      }
      f.executions_in_flight += static_cast<int64_t>(s.in_flight_count());
      for (int t = 0; t < core::kAgentAlertTypeCount; ++t) {
        if (const core::Alert* a =
                s.alert_slot(static_cast<core::AgentAlertType>(t)).open_alert()) {
          ++f.open_alerts[static_cast<size_t>(a->severity)];
        }
      }
    });
  }
  const std::array<int64_t, 3> others = conditions_.OpenCounts(organization_id);
  for (size_t i = 0; i < others.size(); ++i) f.open_alerts[i] += others[i];
  f.queue_depth = QueueDepths(organization_id).total;
  std::tie(f.total_integrations, f.healthy_integrations) = integrations_.Counts(organization_id);
  return f;
}

std::vector<core::Alert> Monitor::OpenAlerts(std::string_view organization_id) {
  std::vector<core::Alert> out;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    shard->ForEach([&](AgentEntry& e) {
      if (e.state.organization_id() != organization_id) return;
      for (int t = 0; t < core::kAgentAlertTypeCount; ++t) {
        if (const core::Alert* a =
                e.state.alert_slot(static_cast<core::AgentAlertType>(t)).open_alert()) {
          out.push_back(*a);
        }
      }
    });
  }
  std::vector<core::Alert> others = conditions_.OpenAlerts(organization_id);
  out.insert(out.end(), std::make_move_iterator(others.begin()),
             std::make_move_iterator(others.end()));
  return out;
}

core::Result<std::vector<core::HeartbeatRecord>> Monitor::HeartbeatHistory(
    std::string_view organization_id, std::string_view agent_id, std::optional<Timestamp> from,
    std::optional<Timestamp> to) {
  const AgentKeyView key{organization_id, agent_id};
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  AgentEntry* e = shard.Find(key);
  if (!e) return Status::NotFound("agent '" + std::string(agent_id) + "' not found");
  const core::HeartbeatTracker* hb = e->state.heartbeat();
  return hb ? hb->History(from, to) : std::vector<core::HeartbeatRecord>{};
}

core::Result<core::Alert> Monitor::AcknowledgeAlert(std::string_view organization_id,
                                                    std::string_view alert_id, std::string by) {
  const auto location = alert_index_.Find(alert_id);
  const Status not_found =
      Status::NotFound("alert '" + std::string(alert_id) + "' not found among open alerts");
  const auto type = location ? core::ParseAgentAlertType(location->type) : std::nullopt;
  if (!location || location->organization_id != organization_id || !type) {
    // Not an agent's: a condition's (published on the next tick, in order with its raise).
    return conditions_.Acknowledge(organization_id, alert_id, std::move(by), clock_->Now());
  }

  std::vector<EngineEvent> events;
  core::Alert result;
  {
    const AgentKeyView key{location->organization_id, location->agent_id};
    Shard& shard = ShardFor(key);
    std::lock_guard lock(shard.mu);
    AgentEntry* e = shard.Find(key);
    if (!e) return not_found;
    core::AlertSlot& slot = e->state.mutable_alert_slot(*type);
    const core::Alert* open = slot.open_alert();
    if (!open || open->id != alert_id) return not_found;
    if (open->acknowledged()) return *open;  // acknowledging twice changes nothing
    auto change = slot.Acknowledge(std::move(by), clock_->Now());
    result = change->alert;
    EngineEvent ev;
    ev.kind = EngineEventKind::kAlert;
    ev.organization_id = location->organization_id;
    ev.agent_id = location->agent_id;
    ev.at = change->alert.updated_at;
    ev.alert = std::make_shared<const core::AlertChange>(std::move(*change));
    events.push_back(std::move(ev));
  }
  Publish(events);
  return result;
}

}  // namespace vitals::engine
