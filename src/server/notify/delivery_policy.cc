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

Decision DeliveryPolicy::Decide(const DeliveryRoute& route, std::string change,
                                const core::Alert& alert, const AgentInfo& agent,
                                core::Timestamp now, bool resolution) const {
  Decision d{route, std::move(change), alert, DeliveryAction::kDeliver, {}};
  const AlertSubject subject{&alert, agent.type, agent.depends_on};
  for (auto it = windows_.lower_bound({alert.organization_id, std::string()});
       it != windows_.end() && it->first.first == alert.organization_id; ++it) {
    if (it->second.ActiveAt(now) && it->second.Covers(subject)) {
      d.action = DeliveryAction::kHold;
      d.detail = "held: maintenance window " + it->second.id;
      return d;
    }
  }
  if (resolution) return d;
  for (const std::string& dep : agent.depends_on) {
    if (IntegrationDown(alert.organization_id, dep)) {
      d.action = DeliveryAction::kHold;
      d.detail = "held: depends on integration " + dep + " which is down";
      return d;
    }
  }
  return d;
}

std::vector<Decision> DeliveryPolicy::OnChange(const core::AlertChange& change,
                                               const AgentInfo& agent, core::Timestamp now) {
  std::vector<Decision> out;
  const core::Alert& a = change.alert;
  const std::string name(core::AlertChangeKindName(change.kind));
  for (auto it = routes_.lower_bound({a.organization_id, std::string()});
       it != routes_.end() && it->first.first == a.organization_id; ++it) {
    const DeliveryRoute& route = it->second;
    const TrackKey key{a.organization_id, route.id, a.id};
    auto tracked = tracked_.find(key);
    if (change.kind == core::AlertChangeKind::kResolved || !a.open()) {
      if (tracked == tracked_.end()) continue;
      out.push_back(Decide(route, "resolved", a, agent, now, /*resolution=*/true));
      tracked_.erase(tracked);
      continue;
    }
    if (tracked != tracked_.end()) {
      tracked->second.alert = a;
      tracked->second.agent = agent;
    }
    if (!change.notify || !route.Matches(a)) continue;
    Decision d = Decide(route, name, a, agent, now, /*resolution=*/false);
    Tracked& t = tracked_[key];
    t.alert = a;
    t.agent = agent;
    t.last_sent = now;
    if (d.action == DeliveryAction::kDeliver) {
      t.delivered = true;
      t.last_refresh = now;
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<Decision> DeliveryPolicy::DueRepeats(core::Timestamp now) {
  std::vector<Decision> out;
  for (auto& [key, t] : tracked_) {
    auto route = routes_.find({std::get<0>(key), std::get<1>(key)});
    if (route == routes_.end()) continue;
    const DeliveryRoute& r = route->second;
    if (r.reminder_interval.count() > 0 && !t.alert.acknowledged() &&
        now - t.last_sent >= r.reminder_interval) {
      Decision d = Decide(r, "reminder", t.alert, t.agent, now, /*resolution=*/false);
      t.last_sent = now;
      if (d.action == DeliveryAction::kDeliver) {
        t.delivered = true;
        t.last_refresh = now;
      }
      out.push_back(std::move(d));
      continue;
    }
    if (r.kind == ChannelKind::kAlertmanager && t.delivered &&
        now - t.last_refresh >= options_.refresh_interval) {
      t.last_refresh = now;
      out.push_back(Decision{r, "refresh", t.alert, DeliveryAction::kDeliver, {}});
    }
  }
  return out;
}

void DeliveryPolicy::PruneWindows(core::Timestamp now) {
  std::erase_if(windows_, [now](const auto& kv) { return kv.second.ends_at <= now; });
}

}  // namespace vitals::server
