// DeliveryPolicy: decides which routes an incident change (IncidentTracker) goes to, and whether
// it is delivered now or held (maintenance window, an integration the agent depends on is down).
// Pure: no I/O, no clock of its own (callers pass `now`), not thread-safe (the Notifier locks
// around it).
//
// Rules (per incident, issue 15):
//  - An opening or escalation goes to a route when the incident (its severity and source) passes
//    the route's filters. The route then tracks the incident until it resolves.
//  - A resolution goes to every route tracking the incident to which something was delivered
//    (not only held), whatever the filters now say. An incident that was only held on a route
//    resolves there silently: no one was told it opened.
//  - Updates (no notification) refresh the tracked copy: e.g. an incident whose open alerts are
//    all acknowledged is acknowledged.
//  - Reminders: while a tracked incident stays open and unacknowledged, it is repeated to the
//    route every `reminder_interval` after the last thing sent (or held) for it on that route.
//    Acknowledging stops reminders; a new escalation restarts the interval.
//  - Alertmanager routes get a "refresh" of every open incident they were sent every
//    `refresh_interval` (Alertmanager resolves an alert by itself once its endsAt passes, see
//    AlertmanagerChannel). Refreshes only keep Alertmanager's state; they are never held.
//  - Held: an active maintenance window covering the incident's worst cause (core::WorstCause)
//    holds everything, resolutions included; an integration the agent depends on being down
//    holds everything but resolutions.
//  - Each decision carries an idempotency key "<incident id>:<change>:<n>", n counting the
//    decisions for that incident on that route (for an incident seeded after a restart, from the
//    restart's time in milliseconds): a retried delivery keeps its key.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/alert.h"
#include "core/incident.h"
#include "server/notify/channel.h"
#include "server/notify/delivery_route.h"
#include "server/notify/incident_tracker.h"
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
  std::string change;  // "raised", "escalated", "resolved", "reminder", "refresh"
  core::Incident incident;
  DeliveryAction action = DeliveryAction::kDeliver;
  std::string detail;                        // kHold: why, e.g. "maintenance window w1"
  std::string idempotency_key;               // "<incident id>:<change>:<n>"
  std::optional<IncidentLabels> superseded;  // see Payload
};

struct PolicyOptions {
  core::Duration refresh_interval = core::Seconds(60);  // Alertmanager re-posts
};

class DeliveryPolicy final {
 public:
  explicit DeliveryPolicy(PolicyOptions options = {}) : options_(options) {}

  // Inserts or replaces (organization_id, id). A replaced route keeps the incidents it tracks.
  void PutRoute(DeliveryRoute route);
  // False when absent. Forgets what the route tracked.
  bool RemoveRoute(const std::string& organization_id, const std::string& id);
  std::vector<DeliveryRoute> Routes(const std::string& organization_id) const;
  // The organizations that have at least one route, sorted.
  std::vector<std::string> RouteOrganizations() const;

  void PutWindow(MaintenanceWindow window);
  bool RemoveWindow(const std::string& organization_id, const std::string& id);
  std::vector<MaintenanceWindow> Windows(const std::string& organization_id) const;

  void SetIntegrationDown(const std::string& organization_id, const std::string& integration_id,
                          bool down);
  bool IntegrationDown(const std::string& organization_id, const std::string& integration_id) const;

  // The deliveries (and holds) one incident change causes, in route id order.
  std::vector<Decision> OnChange(const IncidentChange& change, const AgentInfo& agent,
                                 core::Timestamp now);
  // After a restart: `incident` was delivered before it, to the routes it matches; they track it
  // again (so its resolution is delivered) without anything being sent now.
  void Seed(const core::Incident& incident, const AgentInfo& agent, core::Timestamp now);
  // Reminders and refreshes that have fallen due by `now`.
  std::vector<Decision> DueRepeats(core::Timestamp now);
  // Drops windows that ended before `now`.
  void PruneWindows(core::Timestamp now);

  size_t tracked() const { return tracked_.size(); }

 private:
  using Key = std::pair<std::string, std::string>;                     // org, id
  using TrackKey = std::tuple<std::string, std::string, std::string>;  // org, route, incident
  struct Tracked {
    core::Incident incident;
    AgentInfo agent;
    core::Timestamp last_sent;
    core::Timestamp last_refresh;
    bool delivered = false;                     // something was delivered (not only held)
    uint64_t sequence = 0;                      // decisions made for it on this route
    std::optional<IncidentLabels> sent_labels;  // of the last delivered decision
  };

  Decision Decide(const DeliveryRoute& route, std::string change, Tracked& t, core::Timestamp now,
                  bool resolution) const;
  // Records a decision that was not a resolution: when it was sent, and whether delivered.
  static void Note(Tracked& t, Decision& d, core::Timestamp now);
  // A delivered decision: marks what it supersedes, remembers its labels.
  static void Label(Tracked& t, Decision& d);

  PolicyOptions options_;
  std::map<Key, DeliveryRoute> routes_;
  std::map<Key, MaintenanceWindow> windows_;
  std::set<Key> down_;
  std::map<TrackKey, Tracked> tracked_;
};

}  // namespace vitals::server
