// MergeAgentPages: GET /api/health/agents across a cluster (issue 16). Each node holds its own
// agents; the node asked gathers, from every member, the first offset+limit agents in the
// request's order and merges them into the fleet's page. Pure: no network, testable alone.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vitals::server {

struct AgentPageOrder {
  std::string_view sort = "agent_id";  // one of GET /api/health/agents' sort keys
  bool desc = false;
  int64_t offset = 0;
  int64_t limit = 50;
};

// `pages`: bodies of GET /api/health/agents ({"total":N,"agents":[...]}), one per node, each
// holding at least its first offset+limit agents (or all of them) in `order`. Returns the body of
// the page [offset, offset+limit) of their union in `order` (ties by agent_id), with total the
// sum of the totals. InvalidArgument naming the page that is not such a body.
core::Result<std::string> MergeAgentPages(std::span<const std::string> pages,
                                          const AgentPageOrder& order);

}  // namespace vitals::server
