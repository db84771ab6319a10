// MergeSystemSummaries: GET /api/health/system across a cluster (issue 16). Each node judges
// its own agents, so the fleet's counts are the sum of every member's; the machine's figures
// (cpu, memory, disks...) and the integrations (which every node sees a part of) stay those of
// the node asked. Pure: no network, testable alone.
#pragma once

#include <span>
#include <string>

#include "core/status.h"

namespace vitals::server {

// `bodies`: GET /api/health/system bodies, the node asked first. Returns the first body with
// active_operations, queue_depth, total_agents, active_agents, every count under "alerts" and
// "fleet" summed over all bodies, and "queues" the union of their sources (sorted by
// source_id). InvalidArgument naming the body that is not such an object.
core::Result<std::string> MergeSystemSummaries(std::span<const std::string> bodies);

}  // namespace vitals::server
