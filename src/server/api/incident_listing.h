// What the incident endpoints compute from alerts, without I/O: the alerts to group (the
// engine's open ones and the store's recent ones, each once) and the incidents a query asks for.
// Pure: values only, not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert.h"
#include "core/incident.h"
#include "server/api/alert_filter.h"

namespace vitals::server {

// Each alert id once: the engine's copy of an open alert wins over the store's. A stored alert
// still marked open that the engine does not hold open is left out, as in the alerts list (the
// engine is the authority on what is open; the store's copy of a resolve may lag behind).
std::vector<core::Alert> AlertsForIncidents(std::vector<core::Alert> engine_open,
                                            std::vector<core::Alert> stored);

// The incidents of `alerts` (core::GroupIncidents) that match `f`, newest opened first, at most
// f.limit of them.
std::vector<core::Incident> SelectIncidents(std::vector<core::Alert> alerts, const AlertFilter& f);

// The incident named `incident_id` among the incidents of `alerts`, if any.
std::optional<core::Incident> FindIncident(std::vector<core::Alert> alerts,
                                           std::string_view incident_id);

// The ids the first alert of `incident_id` may have (core::IncidentIdFor backwards):
// "incident_7" → {"alert_7", "7"}; empty when `incident_id` does not start with "incident_".
std::vector<std::string> FirstAlertIdCandidates(std::string_view incident_id);

}  // namespace vitals::server
