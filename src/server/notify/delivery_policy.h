// DeliveryPolicy: decides which routes an alert change goes to, and whether it is delivered now
// or held (maintenance window, an integration the agent depends on is down). Pure: no I/O, no
// clock of its own (callers pass `now`), not thread-safe (the Notifier locks around it).
//
// Rules:
//  - A change goes to a route when `notify` is true and the alert passes the route's filters.
//    The route then tracks the alert until it resolves.
//  - A resolution goes to every route tracking the alert (its raise/escalation was delivered or
//    held), whatever `notify` says and whatever the filters now say.
//  - Reminders: while a tracked alert stays open and unacknowledged, it is repeated to the route
//    every `reminder_interval` after the last thing sent (or held) for it on that route.
//    Acknowledging stops reminders; a new escalation restarts the interval.
//  - Alertmanager routes get a "refresh" of every open alert they were sent every
//    `refresh_interval` (Alertmanager resolves an alert by itself once its endsAt passes, see
//    AlertmanagerChannel). Refreshes only keep Alertmanager's state; they are never held.
//  - Held: an active maintenance window covering the alert holds everything, resolutions
//    included; an integration the agent depends on being down holds everything but resolutions.
#pragma once

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/alert.h"
#include "server/notify/delivery_route.h"
#include "server/notify/maintenance_window.h"

namespace vitals::server {

// What the policy knows about the agent an alert is about (empty for non-agent alerts).
struct AgentInfo {
  std::string type;
  std::vector<std::string> depends_on;
};

enum class DeliveryAction { kDeliver, kHold };

struct Decision {
  DeliveryRoute route;
  std::string change;  // "raised", "escalated", "resolved", "reminder", "refresh", ...
  core::Alert alert;
  DeliveryAction action = DeliveryAction::kDeliver;
  std::string detail;  // kHold: why, e.g. "maintenance window w1"
};

struct PolicyOptions {
  core::Duration refresh_interval = core::Seconds(60);  // Alertmanager re-posts
};

class DeliveryPolicy final {
 public:
  explicit DeliveryPolicy(PolicyOptions options = {}) : options_(options) {}

  // Inserts or replaces (organization_id, id). A replaced route keeps the alerts it tracks.
  void PutRoute(DeliveryRoute route);
  // False when absent. Forgets what the route tracked.
  bool RemoveRoute(const std::string& organization_id, const std::string& id);
  std::vector<DeliveryRoute> Routes(const std::string& organization_id) const;

  void PutWindow(MaintenanceWindow window);
  bool RemoveWindow(const std::string& organization_id, const std::string& id);
  std::vector<MaintenanceWindow> Windows(const std::string& organization_id) const;

  void SetIntegrationDown(const std::string& organization_id, const std::string& integration_id,
                          bool down);
  bool IntegrationDown(const std::string& organization_id, const std::string& integration_id) const;

  // The deliveries (and holds) one alert change causes, in route id order.
  std::vector<Decision> OnChange(const core::AlertChange& change, const AgentInfo& agent,
                                 core::Timestamp now);
  // Reminders and refreshes that have fallen due by `now`.
  std::vector<Decision> DueRepeats(core::Timestamp now);
  // Drops windows that ended before `now`.
  void PruneWindows(core::Timestamp now);

  size_t tracked() const { return tracked_.size(); }

 private:
  using Key = std::pair<std::string, std::string>;                     // org, id
  using TrackKey = std::tuple<std::string, std::string, std::string>;  // org, route, alert
  struct Tracked {
    core::Alert alert;
    AgentInfo agent;
    core::Timestamp last_sent;
    core::Timestamp last_refresh;
    bool delivered = false;  // something was delivered (not only held)
  };

  Decision Decide(const DeliveryRoute& route, std::string change, const core::Alert& alert,
                  const AgentInfo& agent, core::Timestamp now, bool resolution) const;

  PolicyOptions options_;
  std::map<Key, DeliveryRoute> routes_;
  std::map<Key, MaintenanceWindow> windows_;
  std::set<Key> down_;
  std::map<TrackKey, Tracked> tracked_;
};

}  // namespace vitals::server
