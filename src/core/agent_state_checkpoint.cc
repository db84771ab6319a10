// AgentState: checkpoints (see agent_state.h). A versioned binary encoding of the state a
// restart must keep; decoding never half-applies.
#include "core/agent_state.h"
#include "core/binary_codec.h"

namespace vitals::core {

namespace {

// Version 1: four alert slots (health, heartbeat, stuck_execution, slo_burn). Version 2: every
// AgentAlertType's slot (count written), then the failing active checks. Version 3: then when
// the heartbeat expectation was last removed. Version 4: the log position's floor (where
// earlier versions kept the largest id counted), then its exact ids above the floor. All are
// decoded.
constexpr uint64_t kCheckpointVersion = 4;
constexpr uint64_t kVersion1AlertSlots = 4;

void EncodeOptDouble(BinaryWriter& w, const std::optional<double>& v) {
  w.Bool(v.has_value());
  if (v) w.F64(*v);
}

std::optional<double> DecodeOptDouble(BinaryReader& r) {
  if (!r.Bool()) return std::nullopt;
  return r.F64();
}

void EncodeSnapshot(BinaryWriter& w, const HealthSnapshot& h) {
  w.U64(static_cast<uint64_t>(h.status));
  w.F64(h.score);
  EncodeOptDouble(w, h.success_rate_5min);
  EncodeOptDouble(w, h.success_rate_1hr);
  EncodeOptDouble(w, h.latency_p95_5min);
  w.I64(h.error_count_5min);
  w.I64(h.error_count_1hr);
  w.I64(h.executions_5min);
  w.I64(h.executions_1hr);
  w.I64(h.consecutive_failures);
  w.Bool(h.last_success_at.has_value());
  if (h.last_success_at) w.I64(ToMicros(*h.last_success_at));
  w.I64(ToMicros(h.calculated_at));
  w.U64(h.issues.size());
  for (const std::string& issue : h.issues) w.Str(issue);
}

bool DecodeSnapshot(BinaryReader& r, HealthSnapshot* h) {
  const uint64_t status = r.U64();
  if (status > 3) return false;
  h->status = static_cast<HealthStatus>(status);
  h->score = r.F64();
  h->success_rate_5min = DecodeOptDouble(r);
  h->success_rate_1hr = DecodeOptDouble(r);
  h->latency_p95_5min = DecodeOptDouble(r);
  h->error_count_5min = r.I64();
  h->error_count_1hr = r.I64();
  h->executions_5min = r.I64();
  h->executions_1hr = r.I64();
  h->consecutive_failures = static_cast<int>(r.I64());
  h->last_success_at.reset();
  if (r.Bool()) h->last_success_at = FromMicros(r.I64());
  h->calculated_at = FromMicros(r.I64());
  const uint64_t issues = r.Count(1);
  h->issues.clear();
  for (uint64_t i = 0; i < issues && r.ok(); ++i) h->issues.push_back(r.Str());
  return r.ok();
}

}  // namespace

std::string AgentState::EncodeCheckpoint() {
  pending_.FlushInto(short_window_, long_window_, short_latency_, long_latency_);
  BinaryWriter w;
  w.U64(kCheckpointVersion);
  w.I64(consecutive_failures_);
  w.Bool(last_failed_);
  w.U64(operations_completed_);
  w.I64(last_event_us_);
  w.I64(last_success_us_);
  w.I64(last_active_us_);
  w.I64(log_.floor());
  w.Str(last_error_);
  w.I64(ToMicros(created_at_));
  in_flight_.Encode(w);
  short_window_.Encode(w);
  long_window_.Encode(w);
  short_latency_.Encode(w);
  long_latency_.Encode(w);
  trend_.Encode(w);
  w.Bool(last_status_.has_value());
  EncodeSnapshot(w, last_health_);
  w.Bool(heartbeat_ != nullptr);
  if (heartbeat_) heartbeat_->Encode(w);
  w.U64(alerts_.size());
  for (const AlertSlot& slot : alerts_) slot.Encode(w);
  w.U64(failing_checks_.size());
  for (const FailingCheck& f : failing_checks_) {
    w.Str(f.check_id);
    w.Str(f.detail);
  }
  w.I64(heartbeat_removed_us_);
  log_.EncodeAbove(w);
  return w.Take();
}

Status AgentState::RestoreCheckpoint(std::string_view blob, Duration downtime, Duration pause_total,
                                     const HeartbeatConfig& default_heartbeat) {
  BinaryReader r(blob);
  const uint64_t version = r.U64();
  if (version < 1 || version > kCheckpointVersion || !r.ok()) {
    return Status::InvalidArgument("checkpoint: unknown version");
  }
  // Decode into a copy so a corrupt blob leaves this state untouched.
  AgentState s(organization_id_, agent_id_, settings_, WindowConfig{}, created_at_, pause_total);
  s.short_window_ = short_window_;  // same shapes as this agent's configuration
  s.long_window_ = long_window_;
  s.short_latency_ = short_latency_;
  s.long_latency_ = long_latency_;
  s.consecutive_failures_ = static_cast<int>(r.I64());
  s.last_failed_ = r.Bool();
  s.operations_completed_ = r.U64();
  s.last_event_us_ = r.I64();
  s.last_success_us_ = r.I64();
  s.last_active_us_ = r.I64();
  s.log_ = LogPosition(r.I64());
  s.last_error_ = r.Str();
  s.created_at_ = FromMicros(r.I64());
  bool ok = r.ok() && s.in_flight_.Decode(r) && s.short_window_.Decode(r) &&
            s.long_window_.Decode(r) && s.short_latency_.Decode(r) && s.long_latency_.Decode(r) &&
            s.trend_.Decode(r);
  const bool has_status = r.Bool();
  ok = ok && DecodeSnapshot(r, &s.last_health_);
  if (ok && has_status) s.last_status_ = s.last_health_.status;
  if (ok && r.Bool()) {
    s.heartbeat_ = std::make_unique<HeartbeatTracker>(
        settings_->heartbeat.value_or(default_heartbeat), created_at_, pause_total);
    ok = s.heartbeat_->Decode(r, downtime, pause_total);
  }
  const uint64_t slots = version == 1 ? kVersion1AlertSlots : r.U64();
  ok = ok && slots <= s.alerts_.size();
  for (uint64_t i = 0; ok && i < slots; ++i) ok = s.alerts_[i].Decode(r);
  if (ok && version >= 2) {
    const uint64_t n = r.Count(2);
    ok = r.ok() && n <= kMaxFailingChecks;
    for (uint64_t i = 0; ok && i < n; ++i) {
      FailingCheck f;
      f.check_id = r.Str();
      f.detail = r.Str();
      ok = r.ok();
      s.failing_checks_.push_back(std::move(f));
    }
  }
  if (ok && version >= 3) s.heartbeat_removed_us_ = r.I64();
  if (ok && version >= 4) ok = s.log_.DecodeAbove(r);
  ok = ok && s.log_.floor() >= 0;
  if (!ok || !r.done()) return Status::InvalidArgument("checkpoint: corrupt");
  *this = std::move(s);
  return Status::Ok();
}

void AgentState::RestoreLastHeartbeat(Timestamp received_at, Duration downtime,
                                      Duration pause_total,
                                      const HeartbeatConfig& default_heartbeat) {
  if (!heartbeat_) {
    if (ToMicros(received_at) <= heartbeat_removed_us_) return;  // from before the removal
    heartbeat_ = std::make_unique<HeartbeatTracker>(
        settings_->heartbeat.value_or(default_heartbeat), received_at, pause_total);
  }
  if (!heartbeat_->last_heartbeat() || received_at > *heartbeat_->last_heartbeat()) {
    heartbeat_->RestoreLast(received_at, pause_total, downtime);
  }
}

}  // namespace vitals::core
