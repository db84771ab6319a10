#include "cluster/agent_restorer.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_map>

namespace vitals::cluster {
namespace {

using core::Status;

std::string Key(std::string_view org, std::string_view agent) {
  std::string k(org);
  k += '\x1f';
  k += agent;
  return k;
}

void Warn(const std::string& what, const Status& s) {
  std::fprintf(stderr, "vitals restore: %s: %s\n", what.c_str(), s.message().c_str());
}

}  // namespace

core::Result<RestoreResult> RestoreAgents(store::Store& store, engine::Monitor& monitor,
                                          const core::Clock& clock, const AgentFilter& take,
                                          std::optional<core::Duration> downtime) {
  auto agents = store.LoadAgents();
  if (!agents.ok()) return agents.status();
  auto checkpoints = store.LoadCheckpoints();
  if (!checkpoints.ok()) return checkpoints.status();
  auto heartbeats = store.LatestHeartbeats();
  if (!heartbeats.ok()) return heartbeats.status();
  const auto taken = [&take](std::string_view org, std::string_view agent) {
    return !take || take(org, agent);
  };
  // The monitor's own absence since it was last seen alive is not held against any agent.
  std::optional<core::Timestamp> alive_at;
  // With a reorder window each checkpoint is exact about what it holds above its own floor, so
  // the replay starts at the oldest floor; without one, every agent of the writer has counted
  // everything up to its newest floor.
  const bool per_agent = monitor.options().log_reorder_window.count() > 0;
  std::optional<int64_t> floor;
  std::unordered_map<std::string, const store::Checkpoint*> blob_of;
  std::vector<const store::Checkpoint*> integration_blobs;
  for (const store::Checkpoint& c : *checkpoints) {
    alive_at = std::max(alive_at.value_or(c.taken_at), c.taken_at);
    if (c.kind == store::CheckpointKind::kIntegration) {
      if (!take) integration_blobs.push_back(&c);
      continue;
    }
    if (!taken(c.organization_id, c.agent_id)) continue;
    blob_of[Key(c.organization_id, c.agent_id)] = &c;
    floor = !floor      ? c.last_execution_id
            : per_agent ? std::min(*floor, c.last_execution_id)
                        : std::max(*floor, c.last_execution_id);
  }
  int64_t replay_from = floor.value_or(0);
  for (const store::StoredHeartbeat& h : *heartbeats) {
    alive_at = std::max(alive_at.value_or(h.received_at), h.received_at);
  }
  RestoreResult out;
  const core::Timestamp now = clock.Now();
  out.downtime = downtime   ? *downtime
                 : alive_at ? std::max(core::Duration(0), now - *alive_at)
                            : core::Duration(0);
  for (const store::RegisteredAgent& a : *agents) {
    if (!taken(a.organization_id, a.agent_id)) continue;
    auto it = blob_of.find(Key(a.organization_id, a.agent_id));
    const std::string* blob = it == blob_of.end() ? nullptr : &it->second->blob;
    if (Status s =
            monitor.RestoreAgent(a.organization_id, a.agent_id, &a.settings, blob, out.downtime);
        !s.ok()) {
      Warn("agent " + a.organization_id + "/" + a.agent_id + " restored without its checkpoint", s);
      (void)monitor.RestoreAgent(a.organization_id, a.agent_id, &a.settings, nullptr, out.downtime);
    }
    if (it != blob_of.end()) blob_of.erase(it);
    ++out.agents;
  }
  for (const auto& [key, c] : blob_of) {  // agents that appeared on their own
    if (Status s =
            monitor.RestoreAgent(c->organization_id, c->agent_id, nullptr, &c->blob, out.downtime);
        !s.ok()) {
      Warn("agent " + c->organization_id + "/" + c->agent_id, s);
    }
    ++out.agents;
  }
  for (const store::Checkpoint* c : integration_blobs) {
    if (Status s = monitor.RestoreIntegration(c->organization_id, c->agent_id, c->blob); !s.ok()) {
      Warn("integration " + c->organization_id + "/" + c->agent_id + " not restored", s);
    }
  }
  for (;;) {
    auto rows = store.ExecutionsAfter(replay_from, 10'000);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) break;
    for (const store::StoredExecution& e : *rows) {
      if (taken(e.event.organization_id, e.event.agent_id)) {
        monitor.Replay(e.event, e.id, e.started_only);
        ++out.replayed;
      }
      replay_from = e.id;
    }
  }
  out.replayed_through = replay_from;
  monitor.SetReplayedThrough(replay_from);
  for (const store::StoredHeartbeat& h : *heartbeats) {
    if (!taken(h.organization_id, h.agent_id)) continue;
    monitor.RestoreHeartbeat(h.organization_id, h.agent_id, h.received_at, out.downtime);
  }
  return out;
}

core::Result<size_t> CatchUp(store::Store& store, engine::Monitor& monitor, const AgentFilter& take,
                             int64_t after) {
  size_t replayed = 0;
  for (;;) {
    auto rows = store.ExecutionsAfter(after, 10'000);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) break;
    for (const store::StoredExecution& e : *rows) {
      after = e.id;
      if (!take(e.event.organization_id, e.event.agent_id)) continue;
      if (monitor.Counted(e.event.organization_id, e.event.agent_id, e.id)) continue;
      monitor.Replay(e.event, e.id, e.started_only);
      ++replayed;
    }
  }
  return replayed;
}

}  // namespace vitals::cluster
