// ClusterNode: one `vitals serve` node of a cluster sharing a PostgreSQL store and a Redis
// (issue 16). It keeps this node in the membership, decides which agents it owns (rendezvous
// hashing over the live members), sends the events of agents owned elsewhere to their owners'
// inboxes once the store has them, applies the events other nodes send it, and moves agents when
// the members change: agents it gains are restored from the store (checkpoints and the log after
// them, the hand-over time credited to their heartbeat trackers); agents it loses leave its
// engine, so an agent is judged by one node.
//
// Fencing: the agents a node restores (at start, at a hand-over) are claimed in the store under
// the membership epoch of the view it restored them for (Store::ClaimAgents), so a deposed owner
// that has not seen the change yet — cut off from Redis, paused — has its health, alert and
// checkpoint writes for them refused. A node that finds it had to register again (its key
// expired: it was out of the cluster, its agents may have been judged elsewhere and given back)
// restores and claims every agent it owns afresh. Before the others drop a cut-off node (up to a
// TTL and a renewal), it stays the owner and judges on what it has: fencing starts with the claim.
//
// Thread-safe. Owns four threads: membership, the inbox receiver, the forwarder, the hand-over.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "cluster/agent_restorer.h"
#include "cluster/forwarded_event.h"
#include "cluster/ingest_streams.h"
#include "cluster/membership.h"
#include "cluster/realtime_counters.h"
#include "engine/monitor.h"
#include "store/store.h"

namespace vitals::cluster {

struct ClusterNodeOptions {
  std::string redis_url;
  std::string node_id;
  int ttl_ms = 3000;
  int renew_ms = 1000;
  size_t max_forward_queue = 1'000'000;  // events waiting for Redis; beyond: dropped, counted
  int counters_interval_ms = 1000;       // how often seed 000's counters reach Redis
};

struct ClusterNodeStats {
  uint64_t forwarded = 0;        // events sent to their owners' inboxes
  uint64_t forward_dropped = 0;  // events dropped because the forward queue was full
  uint64_t forward_errors = 0;   // failed sends (retried)
  uint64_t received = 0;         // events from other nodes applied here
  uint64_t skipped = 0;          // received events already counted (redelivered or restored)
  uint64_t caught_up = 0;        // executions a member that left never forwarded, replayed
  bool liveness_held = false;    // no conviction for silence: membership cannot be renewed
  uint64_t handovers = 0;        // membership changes that moved agents
  uint64_t agents_gained = 0;
  uint64_t agents_lost = 0;
  uint64_t reloads = 0;         // agents restored afresh at another node's request
  uint64_t claims = 0;          // agents claimed in the store (fencing the others' writes)
  uint64_t claims_refused = 0;  // claims the store refused: a later epoch's owner holds them
  RealtimeCountersStats counters;
};

class ClusterNode final {
 public:
  ClusterNode(ClusterNodeOptions options, engine::Monitor& monitor, store::Store& store,
              const core::Clock& clock);
  ~ClusterNode();
  ClusterNode(const ClusterNode&) = delete;
  ClusterNode& operator=(const ClusterNode&) = delete;

  // Joins the membership, its record naming `advertise` (this node's HTTP address, host:port),
  // and waits (up to 2 TTLs) for a first view that includes this node. InvalidArgument for a bad
  // URL or node id; Unavailable when Redis cannot be reached. Before it, Owns() is true for
  // every agent and healthy() false.
  core::Status Start(const std::string& advertise);
  // After the start-up restore (which restored the agents Owns() accepted): starts applying
  // events from other nodes and moving agents.
  void Restored();
  void Stop();

  bool Owns(std::string_view organization_id, std::string_view agent_id) const;
  // The first alert number of a block of 10^9 claimed from Redis (at least `at_least`), so nodes
  // never give two alerts one id.
  uint64_t FirstAlertNumber(uint64_t at_least);

  // Acknowledged (durable) events, in ingest order: the owned ones go to the engine, the others
  // to their owners. Never blocks on Redis.
  void RouteExecutions(std::span<const core::ExecutionEvent> events,
                       std::span<const int64_t> log_ids, bool starts);
  // `depths[k]`: the queue depth heartbeat k reported, if any.
  void RouteHeartbeats(std::span<const store::StoredHeartbeat> rows,
                       std::span<const std::optional<double>> depths);

  // The owner of an agent and its HTTP address (host:port) from its membership record; nullopt
  // when this node owns it or the address is unknown. Blocks on Redis for an address not yet
  // cached.
  struct Owner {
    std::string node_id;
    std::string address;
  };
  std::optional<Owner> RemoteOwner(std::string_view organization_id, std::string_view agent_id);
  // The HTTP address (host:port) of member `node_id` from its membership record; nullopt when
  // unknown. Blocks on Redis for an address not yet cached.
  std::optional<std::string> AddressOf(const std::string& node_id);
  // Drops the cached address of `node_id` (it did not answer there: it may have restarted on
  // another port), so the next RemoteOwner reads its membership record again.
  void ForgetAddress(const std::string& node_id);

  MembershipView View() const;
  bool healthy() const;  // the last membership renewal reached Redis
  ClusterNodeStats stats() const;
  const std::string& node_id() const { return options_.node_id; }

 private:
  std::string OwnerOf(std::string_view organization_id, std::string_view agent_id) const;
  void Forward(std::string owner, ForwardedEvent event);
  void ForwardLoop();
  void Receive(std::vector<ForwardedEvent>& batch);
  void Apply(const ForwardedEvent& e);
  // Applies an execution the agent has not counted (by log id: the engine's LogPosition) and
  // counts a finished one into seed 000's Redis counters: only the owner counts an agent, once
  // per log id, so each agent's keys are written by one node and a redelivery or an execution
  // a restore already replayed counts nothing twice.
  void ApplyExecution(const core::ExecutionEvent& e, int64_t log_id, bool start);
  using AgentKeys = std::vector<std::pair<std::string, std::string>>;
  struct PendingView {
    std::vector<std::string> members;
    uint64_t epoch = 0;
    bool missed = false;  // this node was out of the cluster since the last view applied
  };
  void OnChange(const MembershipView& view);
  void HandOverLoop();
  // Moves agents from `before` to `view`'s members; with view.missed every owned agent is
  // restored afresh, not only those gained.
  void HandOver(const std::vector<std::string>& before, const PendingView& view);
  // Restores `agents` afresh from the store.
  void Reload(AgentKeys agents);
  // Restores what `take` accepts after dropping those agents' engine state; the agents' log ids
  // through the replay's end count as applied; `restored` gets their keys. Under the exclusive
  // apply lock.
  core::Result<RestoreResult> RestoreFresh(const AgentFilter& take, AgentKeys* restored);
  // Claims `agents` in the store under `epoch` (see Fencing above). Blocks on the store.
  void Claim(const AgentKeys& agents, uint64_t epoch);

  const ClusterNodeOptions options_;
  engine::Monitor& monitor_;
  store::Store& store_;
  const core::Clock& clock_;
  RedisEndpoint endpoint_;
  std::unique_ptr<Membership> membership_;
  std::unique_ptr<InboxSender> sender_;
  std::unique_ptr<InboxReceiver> receiver_;
  std::unique_ptr<RealtimeCounters> counters_;

  // Shared by everything that feeds the engine; a hand-over holds it alone, so no event reaches
  // an agent while it is being restored.
  std::shared_mutex apply_mu_;
  mutable std::shared_mutex view_mu_;
  std::vector<std::string> members_;  // guarded by view_mu_: whom ownership is computed over
  uint64_t seen_joins_ = 0;           // guarded by view_mu_: the last view's joins
  std::atomic<bool> healthy_{false};
  std::mutex addresses_mu_;
  std::unordered_map<std::string, std::string> addresses_;  // guarded by addresses_mu_

  std::mutex forward_mu_;
  std::condition_variable forward_cv_;
  std::deque<std::pair<std::string, ForwardedEvent>> forward_queue_;  // guarded by forward_mu_
  bool stopping_ = false;                                             // guarded by forward_mu_

  std::mutex handover_mu_;
  std::condition_variable handover_cv_;
  std::optional<PendingView> pending_view_;   // guarded by handover_mu_
  std::vector<std::string> applied_members_;  // the hand-over thread's: last moved to
  uint64_t applied_epoch_ = 0;                // the hand-over thread's: the epoch claims carry
  bool restored_ = false;                     // guarded by handover_mu_
  AgentKeys reloads_;                         // guarded by handover_mu_

  std::atomic<uint64_t> forwarded_{0}, forward_dropped_{0}, forward_errors_{0}, received_{0},
      skipped_{0}, handovers_{0}, gained_{0}, lost_{0}, reloaded_{0}, caught_up_{0}, claims_{0},
      claims_refused_{0};
  std::thread forwarder_;
  std::thread handover_;
};

}  // namespace vitals::cluster
