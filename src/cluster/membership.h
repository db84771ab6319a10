// Membership: which nodes of the cluster are alive, as every node sees it through Redis (issue 16).
//
// Each node keeps a key `vitals:node:<id>` (value: its info, TTL ttl_ms) and renews it every
// renew_ms; a node that stops renewing (killed, paused, cut off) drops out after its TTL, one that
// calls Stop() at once. The live list is read back at every renewal together with a cluster-wide
// epoch that counts its changes, so ownership (rendezvous.h over View().members) can be fenced by
// the epoch under which it was computed.
//
// Layout in Redis (other tools may read it; only Membership writes it):
//   vitals:node:<id>        string, PX ttl_ms: the node's info ("" → {"node_id":"<id>"})
//   vitals:members          sorted set: node id → expiry (ms, Redis server clock); an index of the
//                           node keys so that no one SCANs the keyspace
//   vitals:epoch            integer: the epoch, never reset by Membership
//   vitals:epoch:members    the member list the epoch was last bumped for
//
// Epoch and races: one renewal is one Lua script, atomic in Redis. It refreshes this node's key
// and index entry, drops index entries whose key is gone (expired, or deleted by an operator to
// evict a node), compares the resulting member set with vitals:epoch:members and, only when it
// differs, increments vitals:epoch and records the set. For each change of the member set
// exactly one script run — the first to observe it, from whichever node — bumps the epoch; every
// node reads the list and the epoch as one pair, so nodes that see the same members see the same
// epoch, and the epoch strictly increases with every change. Nodes can disagree for up to
// renew_ms (one renewed after the change, another not yet); a member that appears and vanishes
// between two renewals of anyone is never seen and bumps nothing. If Redis loses its data, a node
// passes the highest epoch it saw and the script continues above it: epochs never go back for a
// node that lived through it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cluster/redis_client.h"
#include "core/status.h"

namespace vitals::cluster {

std::string NodeKey(std::string_view node_id);  // "vitals:node:<id>"
inline constexpr std::string_view kMembersKey = "vitals:members";
inline constexpr std::string_view kEpochKey = "vitals:epoch";
inline constexpr std::string_view kEpochMembersKey = "vitals:epoch:members";

struct MembershipOptions {
  RedisEndpoint endpoint;  // its timeout_ms bounds each renewal and Stop()
  std::string node_id;     // non-empty, printable, no spaces, quotes or backslashes
  std::string info;        // value of NodeKey(node_id); "" → {"node_id":"<id>"}
  int ttl_ms = 3000;
  int renew_ms = 1000;  // < ttl_ms: a node must renew before its key expires
};

struct MembershipView {
  std::vector<std::string> members;  // sorted, unique; includes this node when healthy
  uint64_t epoch = 0;                // 0 until the first successful renewal
  bool healthy = false;              // the last renewal reached Redis
  // How often this node registered: 1 after its first renewal, one more each time a renewal
  // found its key gone (it had expired, or an operator evicted the node) — while it was out,
  // other nodes may have taken its agents over.
  uint64_t joins = 0;

  bool operator==(const MembershipView&) const = default;
};

struct MembershipStats {
  uint64_t renewals = 0;  // successful
  uint64_t failures = 0;  // Redis unreachable or refusing
};

// Thread-safe. Owns one thread and its own RedisClient.
class Membership final {
 public:
  // Called on the membership thread, without locks held (it may call View()), whenever members,
  // epoch or healthy change. Must not block for long: it delays the next renewal.
  using ChangeCallback = std::function<void(const MembershipView&)>;

  Membership(MembershipOptions options, ChangeCallback on_change = {});
  ~Membership();  // Stop()
  Membership(const Membership&) = delete;
  Membership& operator=(const Membership&) = delete;

  // Starts the thread, which registers at once and then renews every renew_ms. Non-blocking:
  // Redis unreachable is no error here (healthy stays false, retried at every renewal).
  // InvalidArgument for bad options; FailedPrecondition when already started.
  core::Status Start();

  // Graceful leave: stops renewing, deletes this node's key and index entry (the others see it
  // gone at their next renewal) and joins. Blocks up to about the endpoint's timeout. Idempotent.
  // View() keeps the last view afterwards; on_change is not called any more.
  void Stop();

  // The latest view. Redis unreachable: the last members and epoch with healthy=false — a node
  // cut off from Redis declares nobody dead.
  MembershipView View() const;
  MembershipStats stats() const;

  // Test hooks: Pause() stops renewing without leaving (as a SIGSTOPped process would: the key
  // expires after ttl_ms); Resume() renews at once, re-registering the node if its key expired.
  void Pause();
  void Resume();

 private:
  void Run();
  // One renewal ("join") or the leave ("leave"): the script, and the view it returns.
  core::Result<MembershipView> Exchange(std::string_view mode, uint64_t known_epoch);
  void Publish(MembershipView view);

  const MembershipOptions options_;
  const ChangeCallback on_change_;
  RedisClient client_;  // used by the thread, and by Stop() after the join

  std::mutex lifecycle_mu_;  // serialises Start() and Stop()
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;    // guarded by mu_
  bool paused_ = false;  // guarded by mu_
  MembershipView view_;  // guarded by mu_
  std::thread thread_;
  std::atomic<uint64_t> renewals_{0}, failures_{0};
};

}  // namespace vitals::cluster
