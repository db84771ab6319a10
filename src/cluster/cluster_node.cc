#include "cluster/cluster_node.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <unordered_set>

#include "cluster/rendezvous.h"

namespace vitals::cluster {
namespace {

using core::Status;
constexpr uint64_t kAlertBlock = 1'000'000'000;
constexpr size_t kForwardBatch = 2000;
constexpr std::string_view kAlertBlockKey = "vitals:alert_block";

std::string Key(std::string_view org, std::string_view agent) {
  std::string k(org);
  k += '\x1f';
  k += agent;
  return k;
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

ClusterNode::ClusterNode(ClusterNodeOptions options, engine::Monitor& monitor, store::Store& store,
                         const core::Clock& clock)
    : options_(std::move(options)), monitor_(monitor), store_(store), clock_(clock) {}

ClusterNode::~ClusterNode() { Stop(); }

Status ClusterNode::Start(const std::string& advertise) {
  auto endpoint = RedisEndpoint::FromUrl(options_.redis_url);
  if (!endpoint.ok()) return endpoint.status();
  endpoint_ = *endpoint;
  MembershipOptions m;
  m.endpoint = endpoint_;
  m.node_id = options_.node_id;
  m.info = "{\"node_id\":\"" + options_.node_id + "\",\"advertise\":\"" + advertise + "\"}";
  m.ttl_ms = options_.ttl_ms;
  m.renew_ms = options_.renew_ms;
  membership_ = std::make_unique<Membership>(m, [this](const MembershipView& v) { OnChange(v); });
  if (Status s = membership_->Start(); !s.ok()) return s;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(2 * options_.ttl_ms);
  MembershipView view = membership_->View();
  while (!(view.healthy && Contains(view.members, options_.node_id))) {
    if (std::chrono::steady_clock::now() > deadline) {
      membership_->Stop();
      return Status::Unavailable("cannot join the cluster through Redis at " +
                                 endpoint_.Describe());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    view = membership_->View();
  }
  {
    std::unique_lock lock(view_mu_);
    members_ = view.members;
    seen_joins_ = view.joins;
  }
  applied_members_ = view.members;
  applied_epoch_ = view.epoch;
  healthy_ = true;
  IngestStreamOptions streams;
  streams.endpoint = endpoint_;
  streams.node_id = options_.node_id;
  sender_ = std::make_unique<InboxSender>(streams);
  receiver_ = std::make_unique<InboxReceiver>(
      streams, [this](std::vector<ForwardedEvent>& batch) { Receive(batch); });
  RealtimeCountersOptions counters;
  counters.endpoint = endpoint_;
  counters.interval_ms = options_.counters_interval_ms;
  counters_ = std::make_unique<RealtimeCounters>(counters, clock_);
  counters_->Start();
  forwarder_ = std::thread([this] { ForwardLoop(); });
  handover_ = std::thread([this] { HandOverLoop(); });
  return Status::Ok();
}

void ClusterNode::Restored() {
  Claim(monitor_.AgentKeys(), applied_epoch_);  // the hand-over thread waits for restored_
  {
    std::lock_guard lock(handover_mu_);
    restored_ = true;
  }
  handover_cv_.notify_all();
  if (receiver_) receiver_->Start();
}

void ClusterNode::Stop() {
  {
    std::lock_guard lock(forward_mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  forward_cv_.notify_all();
  {
    std::lock_guard lock(handover_mu_);
    restored_ = true;  // wakes the hand-over thread
  }
  handover_cv_.notify_all();
  if (receiver_) receiver_->Stop();
  if (forwarder_.joinable()) forwarder_.join();
  if (handover_.joinable()) handover_.join();
  if (counters_) counters_->Stop();
  if (membership_) membership_->Stop();
}

std::string ClusterNode::OwnerOf(std::string_view org, std::string_view agent) const {
  std::shared_lock lock(view_mu_);
  if (members_.empty()) return options_.node_id;
  return std::string(cluster::OwnerOf(org, agent, members_));
}

bool ClusterNode::Owns(std::string_view org, std::string_view agent) const {
  return OwnerOf(org, agent) == options_.node_id;
}

std::optional<ClusterNode::Owner> ClusterNode::RemoteOwner(std::string_view org,
                                                           std::string_view agent) {
  std::string owner = OwnerOf(org, agent);
  if (owner == options_.node_id) return std::nullopt;
  auto address = AddressOf(owner);
  if (!address) return std::nullopt;
  return Owner{std::move(owner), std::move(*address)};
}

std::optional<std::string> ClusterNode::AddressOf(const std::string& node_id) {
  {
    std::lock_guard lock(addresses_mu_);
    auto it = addresses_.find(node_id);
    if (it != addresses_.end()) return it->second;
  }
  RedisClient redis(endpoint_);
  auto record = redis.Command({"GET", NodeKey(node_id)});
  if (!record.ok() || record->is_nil() || record->is_error()) return std::nullopt;
  // {"node_id":"...","advertise":"host:port"}, as Start() wrote it.
  const std::string_view json = record->str;
  constexpr std::string_view kField = "\"advertise\":\"";
  const size_t at = json.find(kField);
  if (at == std::string_view::npos) return std::nullopt;
  const size_t from = at + kField.size();
  const size_t end = json.find('"', from);
  if (end == std::string_view::npos || end == from) return std::nullopt;
  std::string address(json.substr(from, end - from));
  std::lock_guard lock(addresses_mu_);
  addresses_[node_id] = address;
  return address;
}

void ClusterNode::ForgetAddress(const std::string& node_id) {
  std::lock_guard lock(addresses_mu_);
  addresses_.erase(node_id);
}

MembershipView ClusterNode::View() const {
  return membership_ ? membership_->View() : MembershipView{};
}

bool ClusterNode::healthy() const { return healthy_.load(std::memory_order_acquire); }

ClusterNodeStats ClusterNode::stats() const {
  ClusterNodeStats s;
  s.forwarded = forwarded_.load();
  s.forward_dropped = forward_dropped_.load();
  s.forward_errors = forward_errors_.load();
  s.received = received_.load();
  s.skipped = skipped_.load();
  s.caught_up = caught_up_.load();
  s.liveness_held = monitor_.liveness_held();
  s.handovers = handovers_.load();
  s.agents_gained = gained_.load();
  s.agents_lost = lost_.load();
  s.reloads = reloaded_.load();
  s.claims = claims_.load();
  s.claims_refused = claims_refused_.load();
  if (counters_) s.counters = counters_->stats();
  return s;
}

uint64_t ClusterNode::FirstAlertNumber(uint64_t at_least) {
  RedisClient redis(endpoint_);
  auto block = redis.Command({"INCR", std::string(kAlertBlockKey)});
  uint64_t n = block.ok() && !block->is_error() ? static_cast<uint64_t>(block->integer) : 0;
  if (n == 0) {
    std::fprintf(stderr, "vitals cluster: no alert id block from Redis; ids may collide\n");
    return at_least;
  }
  return std::max(at_least, n * kAlertBlock);
}

// ---- Routing ----

void ClusterNode::ApplyExecution(const core::ExecutionEvent& e, int64_t log_id, bool start) {
  if (monitor_.Counted(e.organization_id, e.agent_id, log_id)) {
    skipped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (start) {
    (void)monitor_.StartExecution(e);
    return;
  }
  Status result;
  monitor_.IngestBatch(std::span(&e, 1), std::span(&result, 1), std::span(&log_id, 1));
  if (counters_) counters_->Add(std::span(&e, 1));
}

void ClusterNode::RouteExecutions(std::span<const core::ExecutionEvent> events,
                                  std::span<const int64_t> log_ids, bool starts) {
  std::shared_lock apply(apply_mu_);
  for (size_t k = 0; k < events.size(); ++k) {
    const core::ExecutionEvent& e = events[k];
    const int64_t id = k < log_ids.size() ? log_ids[k] : 0;
    std::string owner = OwnerOf(e.organization_id, e.agent_id);
    if (owner == options_.node_id) {
      ApplyExecution(e, id, starts);
      continue;
    }
    ForwardedEvent f;
    f.kind = starts ? ForwardedKind::kExecutionStart : ForwardedKind::kExecution;
    f.log_id = id;
    f.event = e;
    Forward(std::move(owner), std::move(f));
  }
}

void ClusterNode::RouteHeartbeats(std::span<const store::StoredHeartbeat> rows,
                                  std::span<const std::optional<double>> depths) {
  std::shared_lock apply(apply_mu_);
  for (size_t k = 0; k < rows.size(); ++k) {
    const store::StoredHeartbeat& h = rows[k];

    ForwardedEvent f;
    f.kind = ForwardedKind::kHeartbeat;
    f.event.organization_id = h.organization_id;
    f.event.agent_id = h.agent_id;
    f.event.timestamp = h.timestamp;
    f.event.metadata_json = h.metadata_json;
    if (k < depths.size() && depths[k].has_value()) {
      f.has_queue_depth = true;
      f.queue_depth = static_cast<int64_t>(depths[k].value());
    }
    std::string owner = OwnerOf(h.organization_id, h.agent_id);
    if (owner == options_.node_id) {
      Apply(f);
    } else {
      Forward(std::move(owner), std::move(f));
    }
  }
}

void ClusterNode::Apply(const ForwardedEvent& f) {
  const core::ExecutionEvent& e = f.event;
  switch (f.kind) {
    case ForwardedKind::kExecution:
    case ForwardedKind::kExecutionStart:
      ApplyExecution(e, f.log_id, f.kind == ForwardedKind::kExecutionStart);
      break;
    case ForwardedKind::kReload: {
      {
        std::lock_guard lock(handover_mu_);
        reloads_.emplace_back(e.organization_id, e.agent_id);
      }
      handover_cv_.notify_all();
      break;
    }
    case ForwardedKind::kHeartbeat:
      if (f.has_queue_depth) {
        (void)monitor_.RecordQueueDepth(e.organization_id, e.agent_id, f.queue_depth, e.timestamp);
      }
      (void)monitor_.RecordHeartbeat(e.organization_id, e.agent_id, e.timestamp, e.metadata_json);
      break;
  }
}

// Events for agents this node no longer owns go on to the owner it sees now: views agree again
// within a renewal, and the log id keeps a second delivery from counting twice.
void ClusterNode::Receive(std::vector<ForwardedEvent>& batch) {
  std::shared_lock apply(apply_mu_);
  for (ForwardedEvent& f : batch) {
    std::string owner = OwnerOf(f.event.organization_id, f.event.agent_id);
    if (owner != options_.node_id) {
      Forward(std::move(owner), std::move(f));
      continue;
    }
    Apply(f);
    received_.fetch_add(1, std::memory_order_relaxed);
  }
}

void ClusterNode::Forward(std::string owner, ForwardedEvent event) {
  {
    std::lock_guard lock(forward_mu_);
    if (forward_queue_.size() >= options_.max_forward_queue) {
      forward_dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    forward_queue_.emplace_back(std::move(owner), std::move(event));
  }
  forward_cv_.notify_one();
}

void ClusterNode::ForwardLoop() {
  pthread_setname_np(pthread_self(), "vitals-forward");
  std::vector<std::pair<std::string, ForwardedEvent>> taken;
  for (;;) {
    {
      std::unique_lock lock(forward_mu_);
      forward_cv_.wait(lock, [this] { return stopping_ || !forward_queue_.empty(); });
      if (stopping_ && forward_queue_.empty()) return;
      const size_t n = std::min(kForwardBatch, forward_queue_.size());
      taken.assign(std::make_move_iterator(forward_queue_.begin()),
                   std::make_move_iterator(forward_queue_.begin() + static_cast<long>(n)));
      forward_queue_.erase(forward_queue_.begin(), forward_queue_.begin() + static_cast<long>(n));
    }
    std::unordered_map<std::string, std::vector<ForwardedEvent>> by_owner;
    for (auto& [owner, e] : taken) by_owner[owner].push_back(std::move(e));
    for (auto& [owner, events] : by_owner) {
      for (int attempt = 0;; ++attempt) {
        if (sender_->Send(owner, events).ok()) {
          forwarded_.fetch_add(events.size(), std::memory_order_relaxed);
          break;
        }
        forward_errors_.fetch_add(1, std::memory_order_relaxed);
        {
          std::lock_guard lock(forward_mu_);
          if (stopping_) return;
        }
        std::this_thread::sleep_for(
            std::chrono::milliseconds(std::min(2000, 100 << std::min(attempt, 4))));
      }
    }
  }
}

// ---- Hand-over ----

void ClusterNode::OnChange(const MembershipView& view) {
  healthy_.store(view.healthy, std::memory_order_release);
  // Cut off, this node may still be the owner in its own view while the others take the
  // agents' heartbeats: no conviction for silence until it is back and has restored them.
  if (!view.healthy) monitor_.HoldLiveness(true);
  // While Redis is unreachable the last members stand: nobody is declared dead for it.
  if (!view.healthy || view.members.empty()) return;
  bool missed = false;
  bool unchanged = false;
  {
    std::unique_lock lock(view_mu_);
    // Registered again: this node was out of the cluster (its key expired while it was cut off
    // or paused), so its agents may have been judged and claimed elsewhere meanwhile.
    // (0: Start() has not taken its first view yet, and restores everything after it anyway.)
    missed = seen_joins_ != 0 && view.joins > seen_joins_;
    seen_joins_ = view.joins;
    unchanged = members_ == view.members && !missed;
    if (!unchanged) members_ = view.members;
  }
  if (!missed) {  // back without having been dropped: what it judged stands
    std::lock_guard pending(handover_mu_);
    if (!(pending_view_ && pending_view_->missed)) monitor_.HoldLiveness(false);
  }
  if (unchanged) return;
  {
    std::lock_guard lock(handover_mu_);
    const bool missed_before = pending_view_.has_value() && pending_view_->missed;
    pending_view_ = PendingView{view.members, view.epoch, missed || missed_before};
  }
  handover_cv_.notify_all();
}

void ClusterNode::HandOverLoop() {
  pthread_setname_np(pthread_self(), "vitals-handover");
  for (;;) {
    std::optional<PendingView> view;
    AgentKeys reloads;
    {
      std::unique_lock lock(handover_mu_);
      handover_cv_.wait(lock, [this] {
        std::lock_guard stop(forward_mu_);
        return stopping_ || (restored_ && (pending_view_.has_value() || !reloads_.empty()));
      });
      {
        std::lock_guard stop(forward_mu_);
        if (stopping_) return;
      }
      reloads.swap(reloads_);
      view.swap(pending_view_);
    }
    if (view) {
      HandOver(applied_members_, *view);
      applied_members_ = std::move(view->members);
    }
    if (!reloads.empty()) Reload(std::move(reloads));
  }
}

void ClusterNode::HandOver(const std::vector<std::string>& before, const PendingView& view) {
  const std::string& self = options_.node_id;
  const std::vector<std::string>& after = view.members;
  std::unique_lock apply(apply_mu_);
  // Agents that left: out of the engine, and their new owner asked to restore them afresh, since
  // this node may have applied their events while its view was behind (the owner then missed
  // them; the store has them all).
  size_t lost = 0;
  for (const auto& [org, agent] : monitor_.AgentKeys()) {
    const std::string_view owner = cluster::OwnerOf(org, agent, after);
    if (owner == self) continue;
    if (!monitor_.RemoveAgent(org, agent).ok()) continue;
    ++lost;
    ForwardedEvent reload;
    reload.kind = ForwardedKind::kReload;
    reload.event.organization_id = org;
    reload.event.agent_id = agent;
    Forward(std::string(owner), std::move(reload));
  }
  const AgentFilter take = [&](std::string_view org, std::string_view agent) {
    return cluster::OwnerOf(org, agent, after) == self &&
           (view.missed || cluster::OwnerOf(org, agent, before) != self);
  };
  AgentKeys moved;
  auto restored = RestoreFresh(take, &moved);
  if (!restored.ok()) return;
  if (view.missed) monitor_.HoldLiveness(false);  // judged afresh from here
  applied_epoch_ = view.epoch;
  Claim(moved, view.epoch);
  // A member that left may have committed executions it never forwarded: the agents kept here
  // take them from the store while the reorder window still covers them.
  size_t caught_up = 0;
  const bool member_left = std::any_of(before.begin(), before.end(), [&](const std::string& m) {
    return std::find(after.begin(), after.end(), m) == after.end();
  });
  if (member_left && !view.missed) {
    const AgentFilter kept = [&](std::string_view org, std::string_view agent) {
      return cluster::OwnerOf(org, agent, after) == self &&
             cluster::OwnerOf(org, agent, before) == self;
    };
    auto replayed = CatchUp(store_, monitor_, kept, monitor_.log_floor());
    if (replayed.ok()) {
      caught_up = *replayed;
      caught_up_.fetch_add(caught_up, std::memory_order_relaxed);
    } else {
      std::fprintf(stderr, "vitals cluster: catching up after a member left failed: %s\n",
                   replayed.status().message().c_str());
    }
  }
  const size_t gained = moved.size();
  handovers_.fetch_add(1, std::memory_order_relaxed);
  gained_.fetch_add(restored->agents, std::memory_order_relaxed);
  lost_.fetch_add(lost, std::memory_order_relaxed);
  std::fprintf(stderr,
               "vitals cluster: members now %zu (epoch %llu); %zu agents %s here (%zu log rows "
               "replayed), %zu moved away, %zu unforwarded executions caught up\n",
               after.size(), static_cast<unsigned long long>(view.epoch), gained,
               view.missed ? "restored afresh after missed views" : "moved", restored->replayed,
               lost, caught_up);
}

void ClusterNode::Reload(AgentKeys agents) {
  std::unordered_set<std::string> keys;
  for (const auto& [org, agent] : agents) {
    if (Owns(org, agent)) keys.insert(Key(org, agent));
  }
  if (keys.empty()) return;
  std::unique_lock apply(apply_mu_);
  AgentKeys restored_keys;
  auto restored =
      RestoreFresh([&keys](std::string_view org,
                           std::string_view agent) { return keys.count(Key(org, agent)) != 0; },
                   &restored_keys);
  if (!restored.ok()) return;
  reloaded_.fetch_add(keys.size(), std::memory_order_relaxed);
  Claim(restored_keys, applied_epoch_);
}

void ClusterNode::Claim(const AgentKeys& agents, uint64_t epoch) {
  if (agents.empty()) return;
  auto claimed = store_.ClaimAgents(options_.node_id, epoch, agents);
  if (!claimed.ok()) {
    std::fprintf(stderr, "vitals cluster: claiming %zu agents failed: %s\n", agents.size(),
                 claimed.status().message().c_str());
    return;
  }
  claims_.fetch_add(*claimed, std::memory_order_relaxed);
  if (*claimed < agents.size()) {
    const size_t refused = agents.size() - *claimed;
    claims_refused_.fetch_add(refused, std::memory_order_relaxed);
    std::fprintf(stderr,
                 "vitals cluster: %zu agents are claimed under an epoch after %llu; this node's "
                 "view is behind\n",
                 refused, static_cast<unsigned long long>(epoch));
  }
}

core::Result<RestoreResult> ClusterNode::RestoreFresh(const AgentFilter& take,
                                                      AgentKeys* restored_keys) {
  // What the engine holds of them (events applied before the hand-over) is dropped: the restore
  // replays every stored execution after their checkpoints, those included.
  for (const auto& [org, agent] : monitor_.AgentKeys()) {
    if (take(org, agent)) (void)monitor_.RemoveAgent(org, agent);
  }
  std::unordered_set<std::string> seen;
  restored_keys->clear();
  const AgentFilter record = [&](std::string_view org, std::string_view agent) {
    if (!take(org, agent)) return false;
    if (seen.insert(Key(org, agent)).second) restored_keys->emplace_back(org, agent);
    return true;
  };
  // Nobody judged the moved agents since their owner's last renewal, at most a TTL ago.
  const core::Duration credit = std::chrono::duration_cast<core::Duration>(
      std::chrono::milliseconds(options_.ttl_ms + options_.renew_ms));
  auto restored = RestoreAgents(store_, monitor_, clock_, record, credit);
  if (!restored.ok()) {
    std::fprintf(stderr, "vitals cluster: restore of moved agents failed: %s\n",
                 restored.status().message().c_str());
  }
  return restored;
}

}  // namespace vitals::cluster
