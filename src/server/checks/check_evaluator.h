// CheckEvaluator: decides whether one probe result is a success for its check, and says why not.
// Pure: no clock, no state.
#pragma once

#include <string>

#include "server/checks/check_spec.h"
#include "server/http/probe_client.h"

namespace vitals::server {

struct CheckVerdict {
  bool success = false;
  // Failure: what was wrong ("status 503, expected 200-399", "keyword 'ok' not found",
  // "json field status is \"down\", expected == \"up\"", "connect: Connection refused",
  // "timeout after 2000 ms"). Success: "status 200" or "connected".
  std::string reason;
};

class CheckEvaluator final {
 public:
  // Checks in order: the transport (error), the status, the keyword, the JSON condition; the
  // first that fails is the reason. Thread-safe.
  static CheckVerdict Evaluate(const CheckSpec& spec, const ProbeResult& result);
};

}  // namespace vitals::server
