// Monitor: evaluation and publication (see monitor.h).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <iterator>

#include "engine/monitor.h"

namespace vitals::engine {

using core::Timestamp;

namespace {

// Changes when anything a dashboard draws from a health_update changes — the issues' text too
// (a silent agent's "no heartbeat for 6.1s" must not stay in agent_health_realtime for minutes).
uint64_t Fingerprint(const core::HealthSnapshot& h) {
  uint64_t f = static_cast<uint64_t>(h.status);
  auto mix = [&f](uint64_t v) { f = (f ^ v) * 0x100000001b3ULL; };
  mix(static_cast<uint64_t>(std::llround(h.score * 100)));
  mix(static_cast<uint64_t>(h.executions_5min));
  mix(static_cast<uint64_t>(h.error_count_5min));
  mix(static_cast<uint64_t>(h.executions_1hr));
  mix(static_cast<uint64_t>(h.consecutive_failures));
  mix(h.issues.size());
  for (const std::string& issue : h.issues) mix(std::hash<std::string_view>{}(issue));
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
  if (ev.transition || !ev.alert_changes.empty()) e.checkpoint_dirty = true;

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
    a.alert = std::make_shared<const core::AlertChange>(std::move(change));
    out.push_back(std::move(a));
  }
}

size_t Monitor::EvaluateWork(Shard& shard, std::vector<AgentEntry*>& work, Timestamp now,
                             std::vector<EngineEvent>& out) {
  // A pipeline over the agents, so the cache misses of one overlap the evaluation of another:
  // fetch agent k's object, then (kStep later) what it points to, then (kStep later) evaluate.
  constexpr size_t kStep = 8;
  size_t evaluated = 0;
  const size_t n = work.size();
  for (size_t k = 0; k < n + 2 * kStep; ++k) {
    if (k < n) work[k]->state.PrefetchForEvaluate(0);
    if (k >= kStep && k - kStep < n) work[k - kStep]->state.PrefetchForEvaluate(1);
    if (k < 2 * kStep) continue;
    AgentEntry* e = work[k - 2 * kStep];
    if (e->evaluated_tick == tick_) continue;
    EvaluateEntry(shard, *e, now, out);
    ++evaluated;
  }
  return evaluated;
}

size_t Monitor::RunEvaluation(bool sweep, Timestamp now) {
  std::vector<EngineEvent> events;
  CollectSourceEvents(sweep, now, events);
  size_t evaluated = 0;
  if (!sweep) {
    std::vector<AgentEntry*> work;
    for (auto& shard_ptr : shards_) {
      Shard& shard = *shard_ptr;
      std::lock_guard lock(shard.mu);
      work.clear();
      shard.PopDue(now, work);
      std::vector<AgentEntry*> dirty = shard.TakeDirty();
      work.insert(work.end(), dirty.begin(), dirty.end());
      evaluated += EvaluateWork(shard, work, now, events);
    }
    Publish(events);
    return evaluated;
  }
  // A sweep evaluates everyone, shards spread over the pool's threads.
  const int workers = sweep_pool_.size();
  std::vector<std::vector<EngineEvent>> per_worker(static_cast<size_t>(workers));
  std::vector<std::vector<AgentEntry*>> scratch(static_cast<size_t>(workers));
  std::atomic<size_t> total{0};
  sweep_pool_.Run(shards_.size(), [&](size_t s, int w) {
    Shard& shard = *shards_[s];
    std::vector<AgentEntry*>& work = scratch[static_cast<size_t>(w)];
    std::lock_guard lock(shard.mu);
    work.clear();
    shard.PopDue(now, work);
    (void)shard.TakeDirty();
    work.clear();  // due and dirty agents are evaluated with everyone else
    shard.ForEach([&](AgentEntry& e) { work.push_back(&e); });
    std::sort(work.begin(), work.end());  // memory order: hardware prefetchers help
    total.fetch_add(EvaluateWork(shard, work, now, per_worker[static_cast<size_t>(w)]));
  });
  for (auto& v : per_worker) {
    events.insert(events.end(), std::make_move_iterator(v.begin()),
                  std::make_move_iterator(v.end()));
  }
  Publish(events);
  return total.load();
}

void Monitor::Tick() {
  const Timestamp now = clock_->Now();
  if (pause_guard_.Observe(now, liveness_held_.load(std::memory_order_acquire))) {
    pause_total_us_.store(pause_guard_.total().count(), std::memory_order_release);
  }
  ++tick_;
  const bool sweep =
      !last_sweep_ || now - *last_sweep_ >= options_.sweep_interval || now < *last_sweep_;
  if (sweep) last_sweep_ = now;
  MarkLogPosition(now);
  RunEvaluation(sweep, now);
}

size_t Monitor::EvaluateAll() {
  ++tick_;
  const Timestamp now = clock_->Now();
  last_sweep_ = now;
  return RunEvaluation(true, now);
}

}  // namespace vitals::engine
