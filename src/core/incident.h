// Incident: the alerts of one source (an agent, an integration, the system, a workspace, a
// database) that are open together. People are told about incidents, not alerts: one failing
// agent opens `health`, `error_rate`, `failures`… at once, and that is one thing to act on.
//
// Identity. An incident is named after its first alert: `alert_<n>` opens `incident_<n>`. Alerts
// keep their ids over a restart, so incidents do too, and the grouping below can be recomputed
// from stored alerts (GroupIncidents) to give exactly the incidents the live tracker formed.
//
// Membership. An alert raised while another alert of its source is open joins that incident; the
// incident resolves when its last open alert resolves. An alert raised afterwards opens a new one.
//
// Implied causes. Some causes follow from another one of the same source (a lost heartbeat makes
// health critical; critical health is what failures and a high error rate look like). An alert
// implied by an open alert of at least its severity is listed in the incident but is not its
// cause and does not page by itself: see ImpliedBy for the table.
//
// Pure: no I/O, no clock, not thread-safe (values only).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert.h"
#include "core/time.h"

namespace vitals::core {

struct Incident {
  std::string id;  // "incident_<n>", from its first alert "alert_<n>"
  std::string organization_id;
  AlertSource source_type = AlertSource::kAgent;
  std::string source_id;
  // Highest severity of the open alerts while open; of all its alerts once resolved.
  AlertSeverity severity = AlertSeverity::kWarning;
  std::string cause;  // type of the worst cause (see WorstCause)
  std::string title;  // "<source_type> <source_id>: <worst cause's message>"
  Timestamp opened_at;
  std::optional<Timestamp> resolved_at;
  bool acknowledged = false;  // every open alert acknowledged (for a resolved incident: all were)
  bool flapping = false;      // some open alert is flapping
  std::vector<Alert> alerts;  // oldest raise first

  bool open() const { return !resolved_at.has_value(); }
};

// "incident_<n>" for "alert_<n>"; for an id not of that form, "incident_" + the id.
std::string IncidentIdFor(std::string_view first_alert_id);

// Whether `alert` is implied by another alert of `others` (same source, open, a rule of the
// table, severity >= alert's). The table, by source type:
//   agent:       heartbeat → health;  health → failures, error_rate, slo_burn, low_confidence
//   integration: integration_down → integration_latency
//   database:    database_down → database_round_trip
// `others` may contain `alert` itself (ignored) and alerts of other sources (ignored).
bool ImpliedBy(const Alert& alert, std::span<const Alert> others);

// The alert that names the incident: among open alerts that are not implied, the highest
// severity, then the earliest raised; if every open alert is implied (cannot happen with the
// table above) or none is open, the same over all alerts. nullptr when `alerts` is empty.
const Alert* WorstCause(std::span<const Alert> alerts);

// The highest severity among the open, non-implied alerts (what pages); nullopt when none.
std::optional<AlertSeverity> PagingSeverity(std::span<const Alert> alerts);

// Fills severity, cause, title, acknowledged, flapping, opened_at and resolved_at of `incident`
// from its `alerts` (which must be non-empty, oldest first) — id and source are left as they are.
void Summarize(Incident& incident);

// Groups alerts (any order, any mix of sources and organizations) into incidents, as the live
// grouping does: per (organization, source type, source id), alerts sorted by raise time (ties by
// id number), an alert joins the current incident when it is raised before the incident's last
// open alert resolved (an open alert holds forever). Incidents come back newest opened first.
std::vector<Incident> GroupIncidents(std::vector<Alert> alerts);

}  // namespace vitals::core
