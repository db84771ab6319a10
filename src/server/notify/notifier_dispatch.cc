// The Notifier's dispatcher thread: alert changes → incident changes (IncidentTracker) →
// decisions (DeliveryPolicy) → route queues; it also wakes when a grouping window or a cooldown
// ends, and for reminders and refreshes.
#include <algorithm>

#include "server/notify/notifier.h"

namespace vitals::server {

using SteadyClock = std::chrono::steady_clock;

SteadyClock::time_point Notifier::NextIncidentWake() {
  std::optional<core::Timestamp> due;
  {
    std::lock_guard<std::mutex> p(policy_mu_);
    due = tracker_.NextDue();
  }
  if (!due) return SteadyClock::time_point::max();
  const core::Duration wait = std::max(core::Duration(0), *due - clock_->Now());
  return SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(wait);
}

void Notifier::DispatchLoop() {
  auto next_repeat = SteadyClock::now() + options_.repeat_check;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    lock.unlock();
    const auto wake = std::min(next_repeat, NextIncidentWake());
    lock.lock();
    work_cv_.wait_until(lock, wake, [this] { return stopping_ || !inbox_.empty(); });
    std::vector<Batch> batches(std::make_move_iterator(inbox_.begin()),
                               std::make_move_iterator(inbox_.end()));
    inbox_.clear();
    inbox_changes_ = 0;
    const auto steady_now = SteadyClock::now();
    const bool repeat_due = steady_now >= next_repeat;
    if (batches.empty() && !repeat_due && steady_now < wake) {
      if (stopping_) break;
      continue;
    }
    dispatching_ = true;
    lock.unlock();
    Dispatch(batches, /*flush=*/false);
    if (repeat_due) {
      const core::Timestamp now = clock_->Now();
      std::vector<Decision> due;
      {
        std::lock_guard<std::mutex> p(policy_mu_);
        due = policy_.DueRepeats(now);
        policy_.PruneWindows(now);
      }
      Enqueue(std::move(due));
      next_repeat = SteadyClock::now() + options_.repeat_check;
    }
    size_t awaiting = 0;
    {
      std::lock_guard<std::mutex> p(policy_mu_);
      awaiting = tracker_.pending_openings();
    }
    lock.lock();
    awaiting_openings_ = awaiting;
    dispatching_ = false;
    idle_cv_.notify_all();
    if (stopping_ && inbox_.empty()) break;
  }
  // Stopping: an opening still in its window goes now. After a restart its alerts count as
  // notified (their last_notified_at), so it would never be sent otherwise.
  lock.unlock();
  Dispatch({}, /*flush=*/true);
  lock.lock();
  dispatcher_done_ = true;
  awaiting_openings_ = 0;
  work_cv_.notify_all();
  idle_cv_.notify_all();
}

void Notifier::Dispatch(const std::vector<Batch>& batches, bool flush) {
  // The tracker and the policy under policy_mu_; the agent lookups (the Monitor's locks) outside.
  std::vector<IncidentChange> changes;
  const core::Timestamp now = clock_->Now();
  DependentAgents dependents;  // of the agents raising alerts, those with depends_on
  if (lookup_) {
    for (const Batch& batch : batches) {
      for (const auto& c : batch) {
        const core::Alert& a = c->alert;
        if (c->kind != core::AlertChangeKind::kRaised ||
            a.source_type != core::AlertSource::kAgent ||
            dependents.contains({a.organization_id, a.source_id})) {
          continue;
        }
        if (!lookup_(a.organization_id, a.source_id).depends_on.empty()) {
          dependents.emplace(a.organization_id, a.source_id);
        }
      }
    }
  }
  {
    std::lock_guard<std::mutex> p(policy_mu_);
    for (const Batch& batch : batches) {
      std::vector<core::AlertChange> alert_changes;
      alert_changes.reserve(batch.size());
      for (const auto& c : batch) alert_changes.push_back(*c);
      std::vector<IncidentChange> out = tracker_.OnChanges(alert_changes, now, dependents);
      changes.insert(changes.end(), std::make_move_iterator(out.begin()),
                     std::make_move_iterator(out.end()));
    }
    if (batches.empty()) changes = flush ? tracker_.FlushOpenings(now) : tracker_.Due(now);
  }
  if (changes.empty()) return;
  std::vector<AgentInfo> agents(changes.size());
  for (size_t i = 0; i < changes.size(); ++i) {
    const core::Incident& incident = changes[i].incident;
    if (lookup_ && incident.source_type == core::AlertSource::kAgent) {
      agents[i] = lookup_(incident.organization_id, incident.source_id);
    }
  }
  std::vector<Decision> decisions;
  {
    std::lock_guard<std::mutex> p(policy_mu_);
    for (size_t i = 0; i < changes.size(); ++i) {
      std::vector<Decision> d = policy_.OnChange(changes[i], agents[i], now);
      decisions.insert(decisions.end(), std::make_move_iterator(d.begin()),
                       std::make_move_iterator(d.end()));
    }
  }
  Enqueue(std::move(decisions));
}

}  // namespace vitals::server
