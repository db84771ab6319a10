// The query of the alert and incident lists: the same parameters with the same meaning on
// GET /api/health/alerts and GET /api/health/incidents.
#pragma once

#include <optional>
#include <string>

#include "core/alert.h"
#include "core/incident.h"
#include "core/status.h"
#include "core/time.h"
#include "server/api/services.h"
#include "server/http/http_types.h"

namespace vitals::server {

struct AlertFilter {
  std::string state = "open";  // open | resolved | all
  std::optional<core::AlertSeverity> severity;
  std::optional<core::AlertSource> source_type;
  std::optional<std::string> source_id;
  std::optional<bool> acknowledged;
  std::optional<core::Timestamp> since;  // raised (alerts) or opened (incidents) at or after
  int limit = 100;

  bool WantsOpen() const { return state != "resolved"; }
  bool WantsResolved() const { return state != "open"; }
  bool Matches(const core::Alert& a) const;
  // By the incident's own severity, source, acknowledgement, state and opening time.
  bool Matches(const core::Incident& i) const;
};

// state, severity, source_type, source_id, acknowledged, since, limit; InvalidArgument naming
// the parameter when one is malformed.
core::Result<AlertFilter> ParseAlertFilter(const HttpRequest& req, const ApiLimits& limits);

}  // namespace vitals::server
