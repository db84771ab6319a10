// CheckSink: where the check runner reports results. The server forwards them to the engine
// (Monitor::RecordCheckResult) so they feed the agent's or integration's health and history.
#pragma once

#include "server/checks/check_outcome.h"
#include "server/checks/check_spec.h"

namespace vitals::server {

class CheckSink {
 public:
  virtual ~CheckSink() = default;
  // Every result of every check, state changes included (outcome.state_changed). Called on the
  // prober's event-loop threads: must be quick and must not block. Calls for different checks
  // may run concurrently; calls for one check come one at a time, in order. Never called after
  // CheckRunner::Stop() returned.
  virtual void OnCheckResult(const CheckSpec& spec, const CheckOutcome& outcome) = 0;
};

}  // namespace vitals::server
