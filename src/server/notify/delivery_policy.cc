#include "server/notify/delivery_policy.h"

namespace vitals::server {

void DeliveryPolicy::PutRoute(DeliveryRoute route) {
  Key key{route.organization_id, route.id};
  routes_[key] = std::move(route);
}

bool DeliveryPolicy::RemoveRoute(const std::string& organization_id, const std::string& id) {
  if (routes_.erase({organization_id, id}) == 0) return false;
  auto it = tracked_.lower_bound({organization_id, id, std::string()});
  while (it != tracked_.end() && std::get<0>(it->first) == organization_id &&
         std::get<1>(it->first) == id) {
    it = tracked_.erase(it);
  }
  return true;
}

std::vector<DeliveryRoute> DeliveryPolicy::Routes(const std::string& organization_id) const {
  std::vector<DeliveryRoute> out;
  for (auto it = routes_.lower_bound({organization_id, std::string()});
       it != routes_.end() && it->first.first == organization_id; ++it) {
    out.push_back(it->second);
  }
  return out;
}

std::vector<std::string> DeliveryPolicy::RouteOrganizations() const {
  std::vector<std::string> out;
  for (const auto& [key, route] : routes_) {
    if (out.empty() || out.back() != key.first) out.push_back(key.first);
  }
  return out;
}

void DeliveryPolicy::PutWindow(MaintenanceWindow window) {
  Key key{window.organization_id, window.id};
  windows_[key] = std::move(window);
}

bool DeliveryPolicy::RemoveWindow(const std::string& organization_id, const std::string& id) {
  return windows_.erase({organization_id, id}) > 0;
}

std::vector<MaintenanceWindow> DeliveryPolicy::Windows(const std::string& organization_id) const {
  std::vector<MaintenanceWindow> out;
  for (auto it = windows_.lower_bound({organization_id, std::string()});
       it != windows_.end() && it->first.first == organization_id; ++it) {
    out.push_back(it->second);
  }
  return out;
}

void DeliveryPolicy::SetIntegrationDown(const std::string& organization_id,
                                        const std::string& integration_id, bool down) {
  if (down) {
    down_.insert({organization_id, integration_id});
  } else {
    down_.erase({organization_id, integration_id});
  }
}

bool DeliveryPolicy::IntegrationDown(const std::string& organization_id,
                                     const std::string& integration_id) const {
  return down_.contains({organization_id, integration_id});
}

Decision DeliveryPolicy::Decide(const DeliveryRoute& route, std::string change, Tracked& t,
                                core::Timestamp now, bool resolution) const {
  const core::Incident& incident = t.incident;
  Decision d{route, std::move(change), incident, DeliveryAction::kDeliver, {}, {}, {}};
  d.idempotency_key = incident.id + ":" + d.change + ":" + std::to_string(++t.sequence);
  const core::Alert* worst = core::WorstCause(incident.alerts);
  if (!worst) return d;
  const AlertSubject subject{worst, t.agent.type, t.agent.depends_on};
  for (auto it = windows_.lower_bound({incident.organization_id, std::string()});
       it != windows_.end() && it->first.first == incident.organization_id; ++it) {
    if (it->second.ActiveAt(now) && it->second.Covers(subject)) {
      d.action = DeliveryAction::kHold;
      d.detail = "held: maintenance window " + it->second.id;
      return d;
    }
  }
  if (resolution) return d;
  for (const std::string& dep : t.agent.depends_on) {
    if (IntegrationDown(incident.organization_id, dep)) {
      d.action = DeliveryAction::kHold;
      d.detail = "held: depends on integration " + dep + " which is down";
      return d;
    }
  }
  return d;
}

void DeliveryPolicy::Note(Tracked& t, Decision& d, core::Timestamp now) {
  t.last_sent = now;
  if (d.action == DeliveryAction::kDeliver) {
    t.delivered = true;
    t.last_refresh = now;
    Label(t, d);
  }
}

void DeliveryPolicy::Label(Tracked& t, Decision& d) {
  const IncidentLabels labels{d.incident.severity, d.incident.cause};
  if (t.sent_labels && *t.sent_labels != labels) d.superseded = t.sent_labels;
  t.sent_labels = labels;
}

std::vector<Decision> DeliveryPolicy::OnChange(const IncidentChange& change, const AgentInfo& agent,
                                               core::Timestamp now) {
  std::vector<Decision> out;
  const core::Incident& incident = change.incident;
  const std::string name(IncidentChangeName(change.kind));
  for (auto it = routes_.lower_bound({incident.organization_id, std::string()});
       it != routes_.end() && it->first.first == incident.organization_id; ++it) {
    const DeliveryRoute& route = it->second;
    const TrackKey key{incident.organization_id, route.id, incident.id};
    auto tracked = tracked_.find(key);
    if (tracked != tracked_.end()) {
      tracked->second.incident = incident;
      tracked->second.agent = agent;
    }
    switch (change.kind) {
      case IncidentChangeKind::kUpdated:
        continue;
      case IncidentChangeKind::kResolved:
        if (tracked == tracked_.end()) continue;
        if (tracked->second.delivered) {
          Decision d = Decide(route, name, tracked->second, now, /*resolution=*/true);
          if (d.action == DeliveryAction::kDeliver) Label(tracked->second, d);
          out.push_back(std::move(d));
        }
        tracked_.erase(tracked);
        continue;
      case IncidentChangeKind::kOpened:
      case IncidentChangeKind::kEscalated:
        break;
    }
    if (!route.Matches(incident)) continue;
    Tracked& t = tracked_[key];
    t.incident = incident;
    t.agent = agent;
    Decision d = Decide(route, name, t, now, /*resolution=*/false);
    Note(t, d, now);
    out.push_back(std::move(d));
  }
  return out;
}

void DeliveryPolicy::Seed(const core::Incident& incident, const AgentInfo& agent,
                          core::Timestamp now) {
  for (auto it = routes_.lower_bound({incident.organization_id, std::string()});
       it != routes_.end() && it->first.first == incident.organization_id; ++it) {
    if (!it->second.Matches(incident)) continue;
    Tracked& t = tracked_[{incident.organization_id, it->second.id, incident.id}];
    t.incident = incident;
    t.agent = agent;
    t.last_sent = now;
    t.last_refresh = now;
    t.delivered = true;
    t.sent_labels = IncidentLabels{incident.severity, incident.cause};
    // Keys go on from the restart's time (ms), so none repeats one sent before it.
    t.sequence = static_cast<uint64_t>(core::ToMicros(now) / 1000);
  }
}

std::vector<Decision> DeliveryPolicy::DueRepeats(core::Timestamp now) {
  std::vector<Decision> out;
  for (auto& [key, t] : tracked_) {
    auto route = routes_.find({std::get<0>(key), std::get<1>(key)});
    if (route == routes_.end()) continue;
    const DeliveryRoute& r = route->second;
    if (r.reminder_interval.count() > 0 && !t.incident.acknowledged &&
        now - t.last_sent >= r.reminder_interval) {
      Decision d = Decide(r, "reminder", t, now, /*resolution=*/false);
      Note(t, d, now);
      out.push_back(std::move(d));
      continue;
    }
    if (r.kind == ChannelKind::kAlertmanager && t.delivered &&
        now - t.last_refresh >= options_.refresh_interval) {
      t.last_refresh = now;
      Decision d{r, "refresh", t.incident, DeliveryAction::kDeliver, {}, {}, {}};
      d.idempotency_key = t.incident.id + ":refresh:" + std::to_string(++t.sequence);
      Label(t, d);
      out.push_back(std::move(d));
    }
  }
  return out;
}

void DeliveryPolicy::PruneWindows(core::Timestamp now) {
  std::erase_if(windows_, [now](const auto& kv) { return kv.second.ends_at <= now; });
}

}  // namespace vitals::server
