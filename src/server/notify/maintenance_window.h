// MaintenanceWindow: a time range during which matching alerts are not delivered (their state is
// still recorded, and their resolutions after the window are delivered). Pure.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/alert.h"
#include "core/status.h"
#include "core/time.h"

namespace vitals::server {

// What a window or a dependency is matched against: the alert plus what is known of its agent.
struct AlertSubject {
  const core::Alert* alert = nullptr;
  std::string agent_type;               // "" when not an agent alert or unknown
  std::vector<std::string> depends_on;  // integration ids the agent depends on
};

struct MaintenanceWindow {
  std::string organization_id;
  std::string id;
  std::vector<std::string> agents;        // agent ids
  std::vector<std::string> integrations;  // integration ids (also covers agents depending on them)
  // key=value pairs, all of which must hold; keys: source_type, source_id, type, severity,
  // agent_type.
  std::vector<std::pair<std::string, std::string>> labels;
  core::Timestamp starts_at;
  core::Timestamp ends_at;  // exclusive

  bool ActiveAt(core::Timestamp now) const { return starts_at <= now && now < ends_at; }
  // True when any selector matches: the agent is listed, the integration (or one the agent
  // depends on) is listed, or every label holds. A window with no selector covers everything.
  bool Covers(const AlertSubject& subject) const;
  // InvalidArgument naming the field: bad id, ends_at not after starts_at, empty label key.
  core::Status Validate() const;
};

}  // namespace vitals::server
