// The Notifier's configuration side: routes, windows and dependencies, and their restoration
// from the store.
#include "engine/monitor.h"
#include "server/notify/notifier.h"
#include "server/notify/spec_json.h"

namespace vitals::server {
AgentLookup MonitorAgentLookup(engine::Monitor& monitor) {
  return [&monitor](const std::string& org, const std::string& agent) {
    AgentInfo info;
    auto view = monitor.GetAgent(org, agent);
    if (view.ok()) {
      info.type = view->settings.type;
      info.depends_on = view->settings.depends_on;
    }
    return info;
  };
}

Notifier::Notifier(store::Store& store, const core::Clock* clock, NotifierOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      policy_(options_.policy),
      tracker_(IncidentTrackerOptions{options_.incident_window, options_.cooldown,
                                      options_.dependency_wait}) {}

Notifier::~Notifier() { Stop(); }

void Notifier::SetAgentLookup(AgentLookup lookup) { lookup_ = std::move(lookup); }

core::Status Notifier::LoadFrom(store::Store& store) {
  std::string errors;
  auto routes = store.ListResources(kRouteKind);
  if (!routes.ok()) return routes.status();
  for (const store::ResourceRecord& r : *routes) {
    auto route = ParseRouteSpec(r.spec_json, r.organization_id);
    if (route.ok()) {
      PutRoute(std::move(route.value()));
    } else {
      errors += " route " + r.organization_id + "/" + r.id + ": " + route.status().message() + ";";
    }
  }
  auto windows = store.ListResources(kWindowKind);
  if (!windows.ok()) return windows.status();
  for (const store::ResourceRecord& r : *windows) {
    auto window = ParseWindowSpec(r.spec_json, r.organization_id);
    if (window.ok()) {
      PutWindow(std::move(window.value()));
    } else {
      errors +=
          " window " + r.organization_id + "/" + r.id + ": " + window.status().message() + ";";
    }
  }
  if (!errors.empty()) return core::Status::InvalidArgument("skipped:" + errors);
  return core::Status::Ok();
}

void Notifier::Seed(std::vector<core::Alert> open_alerts) {
  const core::Timestamp now = clock_->Now();
  std::vector<core::Incident> opened;
  {
    std::lock_guard<std::mutex> p(policy_mu_);
    opened = tracker_.Seed(std::move(open_alerts), now);
  }
  for (const core::Incident& incident : opened) {
    AgentInfo agent;  // looked up outside policy_mu_, as the dispatcher does
    if (lookup_ && incident.source_type == core::AlertSource::kAgent) {
      agent = lookup_(incident.organization_id, incident.source_id);
    }
    std::lock_guard<std::mutex> p(policy_mu_);
    policy_.Seed(incident, agent, now);
  }
}

std::vector<std::string> Notifier::RouteOrganizations() const {
  std::lock_guard<std::mutex> p(policy_mu_);
  return policy_.RouteOrganizations();
}

void Notifier::PutRoute(DeliveryRoute route) {
  std::lock_guard<std::mutex> p(policy_mu_);
  policy_.PutRoute(std::move(route));
}

bool Notifier::RemoveRoute(const std::string& organization_id, const std::string& id) {
  std::lock_guard<std::mutex> p(policy_mu_);
  return policy_.RemoveRoute(organization_id, id);
}

std::vector<DeliveryRoute> Notifier::ListRoutes(const std::string& organization_id) const {
  std::lock_guard<std::mutex> p(policy_mu_);
  return policy_.Routes(organization_id);
}

void Notifier::PutWindow(MaintenanceWindow window) {
  std::lock_guard<std::mutex> p(policy_mu_);
  policy_.PutWindow(std::move(window));
}

bool Notifier::RemoveWindow(const std::string& organization_id, const std::string& id) {
  std::lock_guard<std::mutex> p(policy_mu_);
  return policy_.RemoveWindow(organization_id, id);
}

std::vector<MaintenanceWindow> Notifier::ListWindows(const std::string& organization_id) const {
  std::lock_guard<std::mutex> p(policy_mu_);
  return policy_.Windows(organization_id);
}

void Notifier::SetIntegrationDown(const std::string& organization_id,
                                  const std::string& integration_id, bool down) {
  std::lock_guard<std::mutex> p(policy_mu_);
  policy_.SetIntegrationDown(organization_id, integration_id, down);
}

}  // namespace vitals::server
