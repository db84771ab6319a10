// Channel: one way of telling someone about an incident change. Each route has one.
#pragma once

#include <optional>
#include <string>

#include "core/alert.h"
#include "core/incident.h"
#include "core/status.h"
#include "core/time.h"

namespace vitals::server {

// What identifies an incident's Alertmanager alert besides its id and source.
struct IncidentLabels {
  core::AlertSeverity severity = core::AlertSeverity::kWarning;
  std::string cause;
  bool operator==(const IncidentLabels&) const = default;
};

// One incident change as it is delivered.
struct Payload {
  std::string organization_id;
  std::string route_id;
  std::string change;  // "raised", "escalated", "resolved", "reminder", "refresh"
  core::Incident incident;
  core::Timestamp sent_at;
  std::string idempotency_key;  // the same for every attempt of one delivery
  // The severity and cause last delivered on this route when they have changed since (an
  // escalation): Alertmanager ends the alert under those labels.
  std::optional<IncidentLabels> superseded;

  // The incident's worst cause (core::WorstCause); an empty alert for an alert-less incident.
  const core::Alert& cause() const;
};

// The JSON every channel that sends "the incident change" uses (webhook body, command stdin):
// {"change", "organization_id", "route_id", "sent_at", "idempotency_key",
//  "incident": {WriteIncident}, "alert": {the worst cause, as in the alerts API}} — "alert" is
// kept for receivers written for per-alert payloads.
std::string PayloadJson(const Payload& payload);

class Channel {
 public:
  virtual ~Channel() = default;
  // Delivers one payload. Blocking, bounded by the route's timeout; thread-safe (no state shared
  // between calls). Ok: delivered, and `detail` says how ("HTTP 200", "exit 0"). kUnavailable:
  // a failure worth retrying (connection error, timeout, 5xx). Any other code: permanent.
  virtual core::Status Deliver(const Payload& payload, std::string* detail) = 0;
};

}  // namespace vitals::server
