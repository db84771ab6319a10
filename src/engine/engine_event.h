// EngineEvent: what the Monitor publishes to its listeners after evaluating agents.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/alert.h"
#include "core/health_calculator.h"
#include "core/health_status.h"

namespace vitals::engine {

enum class EngineEventKind {
  kHealthUpdate,  // an agent's verdict (seed 000's health_update), at most once per update_interval
  kTransition,    // the status changed (seed 000's health_transition), always published at once
  kAlert,  // an alert was raised, escalated, acknowledged, resolved, started/stopped flapping
};

struct EngineEvent {
  EngineEventKind kind = EngineEventKind::kHealthUpdate;
  std::string organization_id;
  std::string agent_id;                               // the source; for alerts also alert.source_id
  core::HealthSnapshot health;                        // kHealthUpdate, kTransition
  std::optional<core::HealthStatus> previous_status;  // kTransition
  std::optional<core::TransitionKind> transition;     // kTransition
  std::shared_ptr<const core::AlertChange> alert;     // kAlert (shared: events are copied around)
  core::Timestamp at;
};

// Receives published events. OnEvents runs on the evaluating thread with no Monitor lock held:
// it may read from the Monitor, must not block for long, and must copy what it keeps.
class MonitorListener {
 public:
  virtual ~MonitorListener() = default;
  virtual void OnEvents(std::span<const EngineEvent> events) = 0;
};

}  // namespace vitals::engine
