// Channel: one way of telling someone about an alert change. Each route has one.
#pragma once

#include <string>

#include "core/alert.h"
#include "core/status.h"
#include "core/time.h"

namespace vitals::server {

// One alert change as it is delivered.
struct Payload {
  std::string organization_id;
  std::string route_id;
  std::string change;  // "raised", "escalated", "resolved", "reminder", "refresh", ...
  core::Alert alert;
  core::Timestamp sent_at;
};

// The JSON every channel that sends "the alert change" uses (webhook body, command stdin):
// {"change", "organization_id", "route_id", "sent_at", "alert": {views_json's alert}}.
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
