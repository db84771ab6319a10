#include "engine/monitor.h"

#include <algorithm>
#include <stdexcept>

namespace vitals::engine {

using core::Status;
using core::Timestamp;

namespace {

// Shards use mixed high hash bits; the shard's index uses the low bits, so the two do not
// correlate.
size_t ShardIndex(uint64_t hash, size_t shards) {
  const uint64_t h = (hash ^ (hash >> 31)) * 0xbf58476d1ce4e5b9ULL;
  return static_cast<size_t>(((h >> 32) * shards) >> 32);  // range reduction without a divide
}

Status CheckIds(std::string_view organization_id, std::string_view agent_id,
                const core::EventLimits& limits) {
  if (Status s = core::ValidateId("organization_id", organization_id, limits.max_id_length);
      !s.ok()) {
    return s;
  }
  return core::ValidateAgentId(agent_id, limits.max_id_length);
}

Status NoAgent(std::string_view agent_id) {
  return Status::NotFound("agent '" + std::string(agent_id) + "' not found");
}

}  // namespace

Monitor::Monitor(MonitorOptions options, const core::Clock* clock)
    : options_(std::move(options)),
      clock_(clock),
      default_settings_(std::make_shared<const core::AgentSettings>(options_.defaults)),
      pause_guard_(options_.tick_interval, options_.pause_tolerance),
      conditions_(options_.max_conditions),
      integrations_(options_.integrations, options_.max_integrations),
      sweep_pool_(options_.evaluation_threads) {
  if (Status s = options_.Validate(); !s.ok()) throw std::invalid_argument(s.ToString());
  shards_.reserve(static_cast<size_t>(options_.shards));
  for (int i = 0; i < options_.shards; ++i) shards_.push_back(std::make_unique<Shard>());
}

Monitor::~Monitor() = default;

Shard& Monitor::ShardFor(AgentKeyView key) {
  return *shards_[ShardIndex(AgentKeyHash{}(key), shards_.size())];
}

std::string Monitor::NextAlertId() {
  return "alert_" + std::to_string(next_alert_id_.fetch_add(1, std::memory_order_relaxed));
}

AgentEntry* Monitor::FindOrCreate(Shard& shard, AgentKeyView key, Timestamp now) {
  return FindOrCreate(shard, key, AgentKeyHash{}(key), now);
}

AgentEntry* Monitor::FindOrCreate(Shard& shard, AgentKeyView key, uint64_t hash, Timestamp now) {
  if (AgentEntry* e = shard.Find(key, hash)) return e;
  if (agent_count_.fetch_add(1, std::memory_order_relaxed) >= options_.max_agents) {
    agent_count_.fetch_sub(1, std::memory_order_relaxed);
    return nullptr;
  }
  auto entry = std::make_unique<AgentEntry>(
      core::AgentState(std::string(key.organization_id), std::string(key.agent_id),
                       default_settings_, options_.windows, now, pause_total()));
  return shard.Insert(hash, std::move(entry));
}

Status Monitor::Ingest(const core::ExecutionEvent& event) {
  Status result;
  IngestBatch(std::span<const core::ExecutionEvent>(&event, 1), std::span<Status>(&result, 1));
  return result;
}

void Monitor::IngestBatch(std::span<const core::ExecutionEvent> events, std::span<Status> results,
                          std::span<const int64_t> log_ids) {
  const Timestamp now = clock_->Now();
  const size_t n = events.size();
  // Group valid events by shard (counting sort) so each shard is locked once per batch. The
  // scratch vectors are per thread: a batch allocates nothing once a thread has warmed up.
  thread_local std::vector<uint64_t> hash;
  thread_local std::vector<uint32_t> shard_of, start, order, fill;
  hash.resize(n);
  shard_of.resize(n);
  start.assign(shards_.size() + 1, 0);
  bool any_integration = false;
  for (size_t i = 0; i < n; ++i) {
    Status s = core::ValidateEvent(events[i], options_.limits, now);
    if (!s.ok() || !results[i].ok()) results[i] = std::move(s);  // skip a no-op move of Ok
    if (!results[i].ok()) continue;
    any_integration |= !events[i].integration_id.empty();
    hash[i] = AgentKeyHash{}(AgentKeyView{events[i].organization_id, events[i].agent_id});
    shard_of[i] = static_cast<uint32_t>(ShardIndex(hash[i], shards_.size()));
    ++start[shard_of[i] + 1];
  }
  for (size_t s = 0; s < shards_.size(); ++s) start[s + 1] += start[s];
  order.resize(start.back());
  fill.assign(start.begin(), start.end() - 1);
  for (size_t i = 0; i < n; ++i) {
    if (results[i].ok()) order[fill[shard_of[i]]++] = static_cast<uint32_t>(i);
  }

  // Without a reorder window ids arrive in commit order: a batch's largest id is a floor.
  int64_t log_floor = log_floor_.load(std::memory_order_relaxed);
  if (options_.log_reorder_window.count() == 0 && !log_ids.empty()) {
    log_floor = *std::max_element(log_ids.begin(), log_ids.end());
  }
  uint64_t accepted = 0;
  for (size_t s = 0; s < shards_.size(); ++s) {
    if (start[s] == start[s + 1]) continue;
    Shard& shard = *shards_[s];
    std::lock_guard lock(shard.mu);
    accepted +=
        IngestShardRun(shard, events, std::span(order).subspan(start[s], start[s + 1] - start[s]),
                       hash, results, log_ids, log_floor, now);
  }
  events_ingested_.fetch_add(accepted, std::memory_order_relaxed);
  if (any_integration) integrations_.RecordCalls(events, results, now, log_ids);
  if (!log_ids.empty()) {
    const int64_t top = *std::max_element(log_ids.begin(), log_ids.end());
    int64_t seen = max_log_id_.load(std::memory_order_relaxed);
    while (top > seen && !max_log_id_.compare_exchange_weak(seen, top)) {
    }
  }
}

size_t Monitor::IngestShardRun(Shard& shard, std::span<const core::ExecutionEvent> events,
                               std::span<const uint32_t> run, std::span<const uint64_t> hash,
                               std::span<Status> results, std::span<const int64_t> log_ids,
                               int64_t log_floor, Timestamp now) {
  // A software pipeline over the run, so the cache misses of consecutive events overlap:
  //   stage 1 (k):      prefetch the index slot;
  //   stage 2 (k - 4):  read the slot, prefetch the entry it points to;
  //   stage 3 (k - 8):  verify the key, compute the latency bin, prefetch the pending bin slot;
  //   stage 4 (k - 12): apply the event.
  constexpr size_t kStep = 8;
  constexpr size_t kRing = 32;  // > 3 * kStep
  struct InFlight {
    AgentEntry* entry;
    int32_t bin;
  };
  InFlight ring[kRing];
  const AgentIndex& index = shard.index();
  const core::SketchMapping& mapping = core::SketchMapping::Default();
  size_t accepted = 0;
  const size_t m = run.size();
  for (size_t k = 0; k < m + 3 * kStep; ++k) {
    if (k < m) index.PrefetchSlot(hash[run[k]]);
    if (k >= kStep && k - kStep < m) {
      const size_t j = k - kStep;
      AgentEntry* c = index.Candidate(hash[run[j]]);
      if (c) {
        __builtin_prefetch(c, 1);
        c->state.PrefetchHot();
      }
      ring[j % kRing].entry = c;
    }
    if (k >= 2 * kStep && k - 2 * kStep < m) {
      const size_t j = k - 2 * kStep;
      const core::ExecutionEvent& ev = events[run[j]];
      InFlight& f = ring[j % kRing];
      const AgentKeyView key{ev.organization_id, ev.agent_id};
      if (f.entry &&
          !KeyMatches({f.entry->state.organization_id(), f.entry->state.agent_id()}, key)) {
        f.entry = nullptr;  // a hash collision: resolved by a full lookup when applied
      }
      f.bin = core::SlidingSketch::BinOf(ev.latency_ms, mapping);
      if (f.entry) f.entry->state.PrefetchNextBin();
    }
    if (k >= 3 * kStep) {
      const size_t j = k - 3 * kStep;
      const core::ExecutionEvent& ev = events[run[j]];
      InFlight& f = ring[j % kRing];
      AgentEntry* e = f.entry;
      if (!e) e = FindOrCreate(shard, {ev.organization_id, ev.agent_id}, hash[run[j]], now);
      if (!e) {
        results[run[j]] =
            Status::ResourceExhausted("agent_id: the monitor's agent limit (" +
                                      std::to_string(options_.max_agents) + ") is reached");
        continue;
      }
      core::ExecutionSample sample = core::ExecutionSample::Of(ev);
      if (!log_ids.empty()) sample.log_id = log_ids[run[j]];
      sample.log_floor = log_floor;
      e->state.RecordExecution(sample, f.bin, now);
      shard.MarkDirty(e);
      ++accepted;
    }
  }
  return accepted;
}

Status Monitor::StartExecution(const core::ExecutionEvent& ev) {
  const Timestamp now = clock_->Now();
  if (Status s = CheckIds(ev.organization_id, ev.agent_id, options_.limits); !s.ok()) return s;
  if (Status s = core::ValidateId("execution_id", ev.execution_id, options_.limits.max_id_length);
      !s.ok()) {
    return s;
  }
  if (Status s = core::ValidateTimestamp("timestamp", ev.timestamp, options_.limits, now);
      !s.ok()) {
    return s;
  }
  const AgentKeyView key{ev.organization_id, ev.agent_id};
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  AgentEntry* e = FindOrCreate(shard, key, now);
  if (!e) return Status::ResourceExhausted("agent_id: the monitor's agent limit is reached");
  const std::string_view action = ev.action_name.empty() ? ev.action_type : ev.action_name;
  if (Status s = e->state.StartExecution(ev.execution_id, action, std::min(ev.timestamp, now),
                                         options_.policy.stuck.max_in_flight);
      !s.ok()) {
    return s;
  }
  shard.MarkDirty(e);
  return Status::Ok();
}

Status Monitor::RecordHeartbeat(std::string_view organization_id, std::string_view agent_id,
                                std::optional<Timestamp> reported_at, std::string metadata_json) {
  const Timestamp now = clock_->Now();
  if (Status s = CheckIds(organization_id, agent_id, options_.limits); !s.ok()) return s;
  if (reported_at) {
    if (Status s = core::ValidateTimestamp("timestamp", *reported_at, options_.limits, now);
        !s.ok()) {
      return s;
    }
  }
  if (metadata_json.size() > options_.limits.max_metadata_length) {
    return Status::InvalidArgument("metadata: too long (max " +
                                   std::to_string(options_.limits.max_metadata_length) + " bytes)");
  }
  const AgentKeyView key{organization_id, agent_id};
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  AgentEntry* e = FindOrCreate(shard, key, now);
  if (!e) return Status::ResourceExhausted("agent_id: the monitor's agent limit is reached");
  e->state.RecordHeartbeat(now, reported_at.value_or(now), std::move(metadata_json), pause_total(),
                           options_.policy.default_heartbeat);
  shard.MarkDirty(e);
  return Status::Ok();
}

core::Result<bool> Monitor::RegisterAgent(std::string_view organization_id,
                                          std::string_view agent_id, core::AgentSettings settings) {
  const Timestamp now = clock_->Now();
  if (Status s = CheckIds(organization_id, agent_id, options_.limits); !s.ok()) return s;
  if (Status s = settings.Validate(); !s.ok()) return s;
  for (const std::string& id : settings.depends_on) {
    if (Status s = core::ValidateId("depends_on", id, options_.limits.max_id_length); !s.ok()) {
      return s;
    }
  }
  auto shared = std::make_shared<const core::AgentSettings>(std::move(settings));
  const AgentKeyView key{organization_id, agent_id};
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  if (AgentEntry* e = shard.Find(key)) {
    integrations_.SetDependencies(organization_id, agent_id, shared->depends_on);
    e->state.SetSettings(std::move(shared), now, pause_total());
    shard.MarkDirty(e);
    return false;
  }
  if (agent_count_.fetch_add(1, std::memory_order_relaxed) >= options_.max_agents) {
    agent_count_.fetch_sub(1, std::memory_order_relaxed);
    return Status::ResourceExhausted("agent_id: the monitor's agent limit is reached");
  }
  integrations_.SetDependencies(organization_id, agent_id, shared->depends_on);
  auto entry = std::make_unique<AgentEntry>(
      core::AgentState(std::string(organization_id), std::string(agent_id), std::move(shared),
                       options_.windows, now, pause_total()));
  shard.MarkDirty(shard.Insert(AgentKeyHash{}(key), std::move(entry)));
  return true;
}

Status Monitor::RemoveAgent(std::string_view organization_id, std::string_view agent_id) {
  const AgentKeyView key{organization_id, agent_id};
  Shard& shard = ShardFor(key);
  {
    std::lock_guard lock(shard.mu);
    if (!shard.Erase(key)) return NoAgent(agent_id);
  }
  agent_count_.fetch_sub(1, std::memory_order_relaxed);
  alert_index_.EraseAgent(organization_id, agent_id);
  integrations_.SetDependencies(organization_id, agent_id, {});
  return Status::Ok();
}

Status Monitor::SetPaused(std::string_view organization_id, std::string_view agent_id,
                          bool paused) {
  const AgentKeyView key{organization_id, agent_id};
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  AgentEntry* e = shard.Find(key);
  if (!e) return NoAgent(agent_id);
  if (e->state.settings().paused == paused) return Status::Ok();
  auto settings = std::make_shared<core::AgentSettings>(e->state.settings());
  settings->paused = paused;
  e->state.SetSettings(std::move(settings), clock_->Now(), pause_total());
  shard.MarkDirty(e);
  return Status::Ok();
}

void Monitor::AddListener(MonitorListener* listener) {
  std::lock_guard lock(listeners_mu_);
  listeners_.push_back(listener);
}

void Monitor::RemoveListener(MonitorListener* listener) {
  std::lock_guard lock(listeners_mu_);
  std::erase(listeners_, listener);
}

void Monitor::Publish(std::vector<EngineEvent>& events) {
  if (events.empty()) return;
  alert_index_.Apply(events);
  std::vector<MonitorListener*> listeners;
  {
    std::lock_guard lock(listeners_mu_);
    listeners = listeners_;
  }
  for (MonitorListener* l : listeners) l->OnEvents(events);
}

}  // namespace vitals::engine
