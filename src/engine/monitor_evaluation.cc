// Monitor: evaluation and publication (see monitor.h).
#include <algorithm>
#include <cmath>

#include "engine/monitor.h"

namespace vitals::engine {

using core::Timestamp;

namespace {

// Changes when anything a dashboard draws from a health_update changes.
uint64_t Fingerprint(const core::HealthSnapshot& h) {
  uint64_t f = static_cast<uint64_t>(h.status);
  auto mix = [&f](uint64_t v) { f = (f ^ v) * 0x100000001b3ULL; };
  mix(static_cast<uint64_t>(std::llround(h.score * 100)));
  mix(static_cast<uint64_t>(h.executions_5min));
  mix(static_cast<uint64_t>(h.error_count_5min));
  mix(static_cast<uint64_t>(h.executions_1hr));
  mix(static_cast<uint64_t>(h.consecutive_failures));
  mix(h.issues.size());
  mix(h.latency_p95_5min ? static_cast<uint64_t>(std::llround(*h.latency_p95_5min)) : 1);
  return f;
}

}  // namespace

void Monitor::EvaluateEntry(Shard& shard, AgentEntry& e, Timestamp now,
                            std::vector<EngineEvent>& out) {
  if (e.evaluated_tick == tick_) return;
  e.evaluated_tick = tick_;
  core::AgentEvaluation ev =
      e.state.Evaluate(now, pause_total(), options_.policy, [this] { return NextAlertId(); });
  if (ev.next_deadline) shard.Schedule(&e, *ev.next_deadline);

  const std::string& org = e.state.organization_id();
  const std::string& agent = e.state.agent_id();
  if (ev.transition) {
    EngineEvent t;
    t.kind = EngineEventKind::kTransition;
    t.organization_id = org;
    t.agent_id = agent;
    t.health = ev.health;
    t.previous_status = ev.previous_status;
    t.transition = ev.transition;
    t.at = now;
    out.push_back(std::move(t));
  }
  const uint64_t fp = Fingerprint(ev.health);
  if (ev.transition || (fp != e.published_fingerprint)) {
    const bool due =
        !e.last_update || now - *e.last_update >= options_.update_interval || now < *e.last_update;
    if (ev.transition || due) {
      EngineEvent u;
      u.kind = EngineEventKind::kHealthUpdate;
      u.organization_id = org;
      u.agent_id = agent;
      u.health = std::move(ev.health);
      u.at = now;
      out.push_back(std::move(u));
      e.last_update = now;
      e.published_fingerprint = fp;
    } else {
      shard.Schedule(&e, *e.last_update + options_.update_interval);  // publish it then
    }
  }
  for (core::AlertChange& change : ev.alert_changes) {
    EngineEvent a;
    a.kind = EngineEventKind::kAlert;
    a.organization_id = org;
    a.agent_id = agent;
    a.at = now;
    a.alert = std::move(change);
    out.push_back(std::move(a));
  }
}

size_t Monitor::RunEvaluation(bool sweep, Timestamp now) {
  std::vector<EngineEvent> events;
  std::vector<AgentEntry*> work;
  size_t evaluated = 0;
  for (auto& shard_ptr : shards_) {
    Shard& shard = *shard_ptr;
    std::lock_guard lock(shard.mu);
    work.clear();
    shard.PopDue(now, work);
    std::vector<AgentEntry*> dirty = shard.TakeDirty();
    if (sweep) {
      shard.ForEach([&](AgentEntry& e) {
        EvaluateEntry(shard, e, now, events);
        ++evaluated;
      });
      continue;
    }
    work.insert(work.end(), dirty.begin(), dirty.end());
    for (AgentEntry* e : work) {
      if (e->evaluated_tick == tick_) continue;
      EvaluateEntry(shard, *e, now, events);
      ++evaluated;
    }
  }
  Publish(events);
  return evaluated;
}

void Monitor::Tick() {
  const Timestamp now = clock_->Now();
  if (pause_guard_.Observe(now)) {
    pause_total_us_.store(pause_guard_.total().count(), std::memory_order_release);
  }
  ++tick_;
  const bool sweep =
      !last_sweep_ || now - *last_sweep_ >= options_.sweep_interval || now < *last_sweep_;
  if (sweep) last_sweep_ = now;
  RunEvaluation(sweep, now);
}

size_t Monitor::EvaluateAll() {
  ++tick_;
  const Timestamp now = clock_->Now();
  last_sweep_ = now;
  return RunEvaluation(true, now);
}

}  // namespace vitals::engine
