// Monitor: sources other than agents' executions and heartbeats — active checks, conditions on
// system / workspace / database / integration sources, queue depths, integrations (see
// monitor.h).
#include <algorithm>
#include <string>

#include "engine/monitor.h"

namespace vitals::engine {

using core::Status;
using core::Timestamp;

namespace {

constexpr size_t kMaxTypeLength = 64;

std::string QueueMetadata(int64_t depth, int64_t threshold) {
  return "{\"depth\":" + std::to_string(depth) + ",\"threshold\":" + std::to_string(threshold) +
         "}";
}

}  // namespace

Status Monitor::RecordCheckResult(std::string_view organization_id, core::AlertSource source_type,
                                  std::string_view source_id, std::string_view check_id, bool up,
                                  double latency_ms, std::string detail, Timestamp at,
                                  bool pending) {
  const Timestamp now = clock_->Now();
  const core::EventLimits& limits = options_.limits;
  if (Status s = core::ValidateId("organization_id", organization_id, limits.max_id_length);
      !s.ok()) {
    return s;
  }
  if (Status s = core::ValidateId("source_id", source_id, limits.max_id_length); !s.ok()) return s;
  if (Status s = core::ValidateId("check_id", check_id, limits.max_id_length); !s.ok()) return s;
  if (!(latency_ms >= 0) || latency_ms > limits.max_latency_ms) {
    return Status::InvalidArgument("latency_ms: must be between 0 and a week");
  }
  if (detail.size() > limits.max_text_length) detail.resize(limits.max_text_length);
  switch (source_type) {
    case core::AlertSource::kAgent:
      return RecordAgentCheck(organization_id, source_id, check_id, up, detail, pending);
    case core::AlertSource::kIntegration:
      return integrations_.RecordCheck(organization_id, source_id, check_id, up, latency_ms, detail,
                                       std::min(at, now), now, pending);
    default:
      return Status::InvalidArgument("source_type: checks belong to an agent or an integration");
  }
}

Status Monitor::RecordAgentCheck(std::string_view organization_id, std::string_view agent_id,
                                 std::string_view check_id, bool up, std::string_view detail,
                                 bool pending) {
  const AgentKeyView key{organization_id, agent_id};
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  AgentEntry* e = FindOrCreate(shard, key, clock_->Now());
  if (!e) return Status::ResourceExhausted("agent_id: the monitor's agent limit is reached");
  if (pending) return Status::Ok();  // no verdict: a failing check stays failing, an up one up
  e->state.RecordCheckResult(check_id, up, detail);
  e->checkpoint_dirty = true;
  shard.MarkDirty(e);
  return Status::Ok();
}

Status Monitor::SetCondition(std::string_view organization_id, core::AlertSource source_type,
                             std::string_view source_id, std::string_view type,
                             std::optional<core::AlertSeverity> severity, std::string message,
                             std::string metadata_json) {
  const core::EventLimits& limits = options_.limits;
  if (source_type == core::AlertSource::kAgent) {
    return Status::InvalidArgument(
        "source_type: an agent's alerts come from its evaluation (use RecordCheckResult)");
  }
  if (Status s = core::ValidateId("organization_id", organization_id, limits.max_id_length);
      !s.ok()) {
    return s;
  }
  if (Status s = core::ValidateId("source_id", source_id, limits.max_id_length); !s.ok()) return s;
  if (Status s = core::ValidateId("type", type, kMaxTypeLength); !s.ok()) return s;
  if (message.size() > limits.max_text_length) {
    return Status::InvalidArgument("message: too long");
  }
  if (metadata_json.size() > limits.max_metadata_length) {
    return Status::InvalidArgument("metadata: too long");
  }
  const ConditionKey key{std::string(organization_id), source_type, std::string(source_id),
                         std::string(type)};
  return SetConditionAt(key, severity, std::move(message), std::move(metadata_json), clock_->Now());
}

Status Monitor::SetConditionAt(const ConditionKey& key, std::optional<core::AlertSeverity> severity,
                               std::string message, std::string metadata_json, Timestamp now) {
  core::AlertCondition c;
  c.active = severity.has_value();
  c.severity = severity.value_or(core::AlertSeverity::kWarning);
  c.message = std::move(message);
  c.metadata_json = metadata_json.empty() ? "{}" : std::move(metadata_json);
  return conditions_.Set(key, c, now, options_.policy.alerts, [this] { return NextAlertId(); });
}

Status Monitor::RecordQueueDepth(std::string_view organization_id, std::string_view source_id,
                                 int64_t depth, Timestamp at) {
  const Timestamp now = clock_->Now();
  if (Status s =
          core::ValidateId("organization_id", organization_id, options_.limits.max_id_length);
      !s.ok()) {
    return s;
  }
  if (Status s = core::ValidateId("source_id", source_id, options_.limits.max_id_length); !s.ok()) {
    return s;
  }
  if (depth < 0) return Status::InvalidArgument("queue_depth: must be >= 0");
  {
    std::lock_guard lock(queue_mu_);
    auto [it, inserted] =
        queue_depths_.try_emplace({std::string(organization_id), std::string(source_id)});
    if (!inserted && it->second.at > at) return Status::Ok();  // older than the kept reading
    it->second = QueueDepthReading{std::string(source_id), depth, std::min(at, now)};
  }
  const int64_t threshold = options_.queue_depth_threshold;
  std::optional<core::AlertSeverity> severity;
  if (depth > 2 * threshold) {
    severity = core::AlertSeverity::kCritical;
  } else if (depth > threshold) {
    severity = core::AlertSeverity::kWarning;
  }
  std::string message;
  if (severity) {
    message = "Queue depth of " + std::string(source_id) + " is " + std::to_string(depth) +
              " (threshold " + std::to_string(threshold) + ")";
  }
  const ConditionKey key{std::string(organization_id), core::AlertSource::kSystem,
                         std::string(source_id), "queue_depth"};
  return SetConditionAt(key, severity, std::move(message), QueueMetadata(depth, threshold), now);
}

QueueDepthSummary Monitor::QueueDepths(std::string_view organization_id) {
  const Timestamp now = clock_->Now();
  QueueDepthSummary out;
  std::lock_guard lock(queue_mu_);
  for (auto it = queue_depths_.lower_bound({std::string(organization_id), std::string()});
       it != queue_depths_.end() && it->first.first == organization_id; ++it) {
    if (now - it->second.at > options_.queue_depth_stale_after) continue;
    out.total += it->second.depth;
    out.sources.push_back(it->second);
  }
  return out;
}

std::vector<std::pair<std::string, int64_t>> Monitor::QueueDepthTotals() {
  const Timestamp now = clock_->Now();
  std::vector<std::pair<std::string, int64_t>> out;
  std::lock_guard lock(queue_mu_);
  for (const auto& [key, reading] : queue_depths_) {
    if (now - reading.at > options_.queue_depth_stale_after) continue;
    if (out.empty() || out.back().first != key.first) out.emplace_back(key.first, 0);
    out.back().second += reading.depth;
  }
  return out;
}

Status Monitor::RegisterIntegration(std::string_view organization_id,
                                    std::string_view integration_id, std::string name) {
  const size_t max_id = options_.limits.max_id_length;
  if (Status s = core::ValidateId("organization_id", organization_id, max_id); !s.ok()) return s;
  if (Status s = core::ValidateId("integration_id", integration_id, max_id); !s.ok()) return s;
  if (name.size() > 256) return Status::InvalidArgument("name: too long (max 256)");
  return integrations_.Register(organization_id, integration_id, std::move(name));
}

std::vector<core::IntegrationView> Monitor::ListIntegrations(std::string_view organization_id) {
  return integrations_.List(organization_id, clock_->Now());
}

std::vector<core::IntegrationView> Monitor::ListAllIntegrations() {
  return integrations_.ListAll(clock_->Now());
}

core::Result<core::IntegrationView> Monitor::GetIntegration(std::string_view organization_id,
                                                            std::string_view integration_id) {
  return integrations_.Get(organization_id, integration_id, clock_->Now());
}

std::vector<std::string> Monitor::DownIntegrations(std::string_view organization_id) {
  std::vector<std::string> out;
  for (const core::Alert& a : conditions_.OpenAlerts(organization_id)) {
    if (a.source_type == core::AlertSource::kIntegration && a.type == "integration_down") {
      out.push_back(a.source_id);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status Monitor::RestoreConditionAlert(const core::Alert& alert) {
  return conditions_.Restore(alert);
}

void Monitor::CollectSourceEvents(bool sweep, Timestamp now, std::vector<EngineEvent>& out) {
  for (IntegrationRegistry::Evaluated& ev :
       integrations_.Evaluate(sweep, now, options_.policy.trend_spacing)) {
    auto set = [&](std::string_view type, std::optional<core::AlertCondition>& c) {
      if (!c) return;  // no evidence yet: leave a restored alert as it is
      const ConditionKey key{ev.organization_id, core::AlertSource::kIntegration, ev.integration_id,
                             std::string(type)};
      (void)conditions_.Set(key, *c, now, options_.policy.alerts, [this] { return NextAlertId(); });
    };
    set("integration_latency", ev.evaluation.latency);
    set("integration_down", ev.evaluation.down);
  }
  if (sweep) {
    std::vector<std::pair<std::string, std::string>> stale;
    {
      std::lock_guard lock(queue_mu_);
      std::erase_if(queue_depths_, [&](const auto& kv) {
        if (now - kv.second.at <= options_.queue_depth_stale_after) return false;
        stale.push_back(kv.first);
        return true;
      });
    }
    for (auto& [org, source] : stale) {
      (void)SetConditionAt({org, core::AlertSource::kSystem, source, "queue_depth"}, std::nullopt,
                           "", "", now);
    }
  }
  for (core::AlertChange& change : conditions_.TakeChanges()) {
    EngineEvent a;
    a.kind = EngineEventKind::kAlert;
    a.organization_id = change.alert.organization_id;
    a.agent_id = change.alert.source_id;
    a.at = change.alert.updated_at;
    a.alert = std::make_shared<const core::AlertChange>(std::move(change));
    out.push_back(std::move(a));
  }
}

}  // namespace vitals::engine
