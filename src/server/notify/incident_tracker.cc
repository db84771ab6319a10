#include "server/notify/incident_tracker.h"

#include <algorithm>

namespace vitals::server {

std::string_view IncidentChangeName(IncidentChangeKind kind) {
  switch (kind) {
    case IncidentChangeKind::kOpened:
      return "raised";
    case IncidentChangeKind::kEscalated:
      return "escalated";
    case IncidentChangeKind::kResolved:
      return "resolved";
    case IncidentChangeKind::kUpdated:
      return "updated";
  }
  return "updated";
}

std::vector<IncidentChange> IncidentTracker::OnChanges(std::span<const core::AlertChange> changes,
                                                       core::Timestamp now,
                                                       const DependentAgents& dependents) {
  std::vector<IncidentChange> out;
  for (const core::AlertChange& c : changes) Apply(c, now, dependents, &out);
  std::vector<IncidentChange> due = Due(now);
  out.insert(out.end(), std::make_move_iterator(due.begin()), std::make_move_iterator(due.end()));
  return out;
}

void IncidentTracker::Apply(const core::AlertChange& change, core::Timestamp now,
                            const DependentAgents& dependents, std::vector<IncidentChange>* out) {
  const core::Alert& a = change.alert;
  const SourceKey key{a.organization_id, a.source_type, a.source_id};
  auto it = open_.find(key);
  if (it == open_.end()) {
    if (change.kind == core::AlertChangeKind::kResolved || !a.open()) return;
    Open o;
    o.incident.id = core::IncidentIdFor(a.id);
    o.incident.organization_id = a.organization_id;
    o.incident.source_type = a.source_type;
    o.incident.source_id = a.source_id;
    // From the change's own time (not when the dispatcher got to it), never later than now.
    const bool dependent = a.source_type == core::AlertSource::kAgent &&
                           dependents.contains({a.organization_id, a.source_id});
    o.due = std::min(now, a.updated_at) +
            (dependent ? std::max(options_.window, options_.dependency_wait) : options_.window);
    it = open_.emplace(key, std::move(o)).first;
  }
  Open& o = it->second;
  std::vector<core::Alert>& alerts = o.incident.alerts;
  auto member = std::find_if(alerts.begin(), alerts.end(),
                             [&](const core::Alert& m) { return m.id == a.id; });
  if (member == alerts.end()) {
    alerts.push_back(a);
  } else {
    *member = a;
  }
  if (change.kind == core::AlertChangeKind::kRaised && change.notify) {
    o.notified_raises.insert(a.id);
  }
  core::Summarize(o.incident);
  if (!o.incident.open()) {
    if (o.phase == Phase::kOpened) Emit(key, o, IncidentChangeKind::kResolved, now, out);
    last_closed_[key] = now;
    open_.erase(it);
    return;
  }
  switch (o.phase) {
    case Phase::kPending:
      return;
    case Phase::kSilent: {
      const bool settled =
          change.kind == core::AlertChangeKind::kFlappingStopped && !o.incident.flapping;
      if (settled || Steady(key, o, now)) Emit(key, o, IncidentChangeKind::kOpened, now, out);
      return;
    }
    case Phase::kOpened: {
      // Only a rise above the highest severity already sent pages: an incident that swings
      // between warning and critical while open (a crash loop) escalates once.
      const std::optional<core::AlertSeverity> paging = core::PagingSeverity(alerts);
      if (paging && (!o.sent || *paging > *o.sent)) {
        Emit(key, o, IncidentChangeKind::kEscalated, now, out);
      } else {
        out->push_back(IncidentChange{IncidentChangeKind::kUpdated, o.incident});
      }
      return;
    }
  }
}

bool IncidentTracker::Pages(const Open& o) const {
  const std::vector<core::Alert>& alerts = o.incident.alerts;
  return std::any_of(alerts.begin(), alerts.end(), [&](const core::Alert& a) {
    return a.open() && o.notified_raises.contains(a.id) && !core::ImpliedBy(a, alerts);
  });
}

std::optional<core::Timestamp> IncidentTracker::CooledAt(const SourceKey& key,
                                                         const Open& o) const {
  if (o.incident.flapping) return std::nullopt;
  // Steady means open for a whole cooldown, and a cooldown since the source was last notified:
  // a source that keeps reopening short incidents (a crash loop the per-alert flap detector does
  // not see, because each cycle is a new alert) stays silent until one of them lasts.
  const core::Timestamp lasted = o.incident.opened_at + options_.cooldown;
  auto last = last_notified_.find(key);
  if (last == last_notified_.end()) return lasted;
  return std::max(lasted, last->second + options_.cooldown);
}

bool IncidentTracker::Reopened(const SourceKey& key, const Open& o) const {
  auto closed = last_closed_.find(key);
  return closed != last_closed_.end() && o.incident.opened_at - closed->second < options_.cooldown;
}

bool IncidentTracker::Steady(const SourceKey& key, const Open& o, core::Timestamp now) const {
  if (o.incident.flapping) return false;
  if (Pages(o) && !Reopened(key, o)) return true;
  const std::optional<core::Timestamp> cooled = CooledAt(key, o);
  return cooled && *cooled <= now;
}

void IncidentTracker::Emit(const SourceKey& key, Open& o, IncidentChangeKind kind,
                           core::Timestamp now, std::vector<IncidentChange>* out) {
  if (kind == IncidentChangeKind::kOpened) o.phase = Phase::kOpened;
  const std::optional<core::AlertSeverity> paging = core::PagingSeverity(o.incident.alerts);
  if (paging && (!o.sent || *paging > *o.sent)) o.sent = paging;
  last_notified_[key] = now;
  out->push_back(IncidentChange{kind, o.incident});
}

std::vector<IncidentChange> IncidentTracker::Due(core::Timestamp now) {
  std::vector<IncidentChange> out;
  for (auto& [key, o] : open_) {
    if (o.phase == Phase::kPending) {
      if (o.due > now) continue;
      o.phase = Phase::kSilent;
      if (Pages(o) && !Reopened(key, o)) {
        Emit(key, o, IncidentChangeKind::kOpened, now, &out);
        continue;
      }
    }
    if (o.phase == Phase::kSilent && Steady(key, o, now)) {
      Emit(key, o, IncidentChangeKind::kOpened, now, &out);
    }
  }
  // A source's last notification matters only within the cooldown.
  std::erase_if(last_notified_, [&](const auto& kv) {
    return kv.second + options_.cooldown <= now && !open_.contains(kv.first);
  });
  std::erase_if(last_closed_, [&](const auto& kv) { return kv.second + options_.cooldown <= now; });
  return out;
}

std::vector<IncidentChange> IncidentTracker::FlushOpenings(core::Timestamp now) {
  for (auto& [key, o] : open_) {
    if (o.phase == Phase::kPending) o.due = std::min(o.due, now);
  }
  return Due(now);
}

std::optional<core::Timestamp> IncidentTracker::NextDue() const {
  std::optional<core::Timestamp> next;
  auto consider = [&](core::Timestamp t) { next = next ? std::min(*next, t) : t; };
  for (const auto& [key, o] : open_) {
    if (o.phase == Phase::kPending) {
      consider(o.due);
    } else if (o.phase == Phase::kSilent) {
      if (const std::optional<core::Timestamp> cooled = CooledAt(key, o)) consider(*cooled);
    }
  }
  return next;
}

size_t IncidentTracker::pending_openings() const {
  return static_cast<size_t>(std::count_if(open_.begin(), open_.end(), [](const auto& kv) {
    return kv.second.phase == Phase::kPending;
  }));
}

std::vector<core::Incident> IncidentTracker::Seed(std::vector<core::Alert> open_alerts,
                                                  core::Timestamp now) {
  std::erase_if(open_alerts, [](const core::Alert& a) { return !a.open(); });
  std::vector<core::Incident> opened;
  for (core::Incident& incident : core::GroupIncidents(std::move(open_alerts))) {
    const SourceKey key{incident.organization_id, incident.source_type, incident.source_id};
    Open o;
    o.phase = Phase::kSilent;
    o.due = now;
    for (const core::Alert& a : incident.alerts) {
      if (!a.last_notified_at) continue;
      o.phase = Phase::kOpened;
      o.notified_raises.insert(a.id);
      auto& last = last_notified_[key];
      last = std::max(last, *a.last_notified_at);
    }
    o.sent = core::PagingSeverity(incident.alerts);
    o.incident = std::move(incident);
    if (o.phase == Phase::kOpened) opened.push_back(o.incident);
    open_[key] = std::move(o);
  }
  return opened;
}

}  // namespace vitals::server
