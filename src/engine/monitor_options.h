// MonitorOptions: everything that configures a Monitor. Defaults follow the seeds.
#pragma once

#include <memory>

#include "core/agent_settings.h"
#include "core/execution_event.h"
#include "core/status.h"
#include "core/time.h"

namespace vitals::engine {

struct MonitorOptions {
  core::WindowConfig windows;
  core::EvaluationPolicy policy;
  core::EventLimits limits;
  // Settings of agents that appear on their first event without being registered.
  core::AgentSettings defaults;

  core::Duration tick_interval = std::chrono::milliseconds(100);  // changed agents and deadlines
  core::Duration sweep_interval = std::chrono::seconds(30);       // every agent (time decay)
  core::Duration update_interval = std::chrono::seconds(1);       // health_update spacing per agent
  core::Duration pause_tolerance = std::chrono::seconds(2);       // tick lateness that is a pause
  int shards = 64;
  int evaluation_threads = 2;  // threads a sweep uses, the ticking one included
  size_t max_agents = 1'000'000;

  core::Status Validate() const;
};

}  // namespace vitals::engine
