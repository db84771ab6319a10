// MonitorOptions: everything that configures a Monitor. Defaults follow the seeds.
#pragma once

#include <memory>

#include "core/agent_settings.h"
#include "core/execution_event.h"
#include "core/integration_state.h"
#include "core/status.h"
#include "core/time.h"

namespace vitals::engine {

struct MonitorOptions {
  core::WindowConfig windows;
  core::EvaluationPolicy policy;
  core::EventLimits limits;
  // Settings of agents that appear on their first event without being registered.
  core::AgentSettings defaults;
  // Integrations' status rule and "integration_latency" threshold (seed 001's
  // ALERT_LATENCY_THRESHOLD).
  core::IntegrationPolicy integrations;
  // Seed 001's ALERT_QUEUE_DEPTH_THRESHOLD: "queue_depth" is a warning above it, critical above
  // twice it. A source that stops reporting is forgotten (and its alert resolved) after
  // queue_depth_stale_after.
  int64_t queue_depth_threshold = 100;
  core::Duration queue_depth_stale_after = std::chrono::minutes(5);

  core::Duration tick_interval = std::chrono::milliseconds(100);  // changed agents and deadlines
  core::Duration sweep_interval = std::chrono::seconds(30);       // every agent (time decay)
  core::Duration update_interval = std::chrono::seconds(1);       // health_update spacing per agent
  core::Duration pause_tolerance = std::chrono::seconds(2);       // tick lateness that is a pause
  // How late a stored execution may reach this monitor behind ones with larger store ids (zero:
  // never; ids arrive in commit order, as on a single node). In a cluster, executions committed
  // by other nodes arrive through streams: each agent then keeps the exact ids it counted above
  // "the largest id known this long ago", so a restore or a redelivery counts each id once.
  core::Duration log_reorder_window{0};
  // With a reorder window: an agent whose checkpoint position is older than this (and the
  // window) is checkpointed again although unchanged, so a restore that starts from its agents'
  // oldest position never replays more than about this much of the log.
  core::Duration checkpoint_refresh = std::chrono::minutes(2);
  int shards = 64;
  int evaluation_threads = 2;  // threads a sweep uses, the ticking one included
  size_t max_agents = 1'000'000;
  size_t max_integrations = 100'000;
  size_t max_conditions = 100'000;  // (source, type) pairs of non-agent alerts

  core::Status Validate() const;
};

}  // namespace vitals::engine
