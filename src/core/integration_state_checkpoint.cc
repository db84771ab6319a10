// IntegrationState: checkpoints (see integration_state.h). A versioned binary encoding; decoding
// never half-applies.
#include "core/binary_codec.h"
#include "core/integration_state.h"

namespace vitals::core {

namespace {

constexpr uint64_t kCheckpointVersion = 1;

void EncodeStrings(BinaryWriter& w, const std::set<std::string, std::less<>>& strings) {
  w.U64(strings.size());
  for (const std::string& s : strings) w.Str(s);
}

bool DecodeStrings(BinaryReader& r, size_t max, std::set<std::string, std::less<>>* out) {
  const uint64_t n = r.Count(1);
  if (!r.ok() || n > max) return false;
  for (uint64_t i = 0; i < n && r.ok(); ++i) out->insert(r.Str());
  return r.ok();
}

}  // namespace

std::string IntegrationState::EncodeCheckpoint() const {
  BinaryWriter w;
  w.U64(kCheckpointVersion);
  w.Str(name_);
  w.U64(total_calls_);
  w.U64(total_errors_);
  w.I64(last_log_id_);
  w.Bool(last_used_.has_value());
  if (last_used_) w.I64(ToMicros(*last_used_));
  w.U64(static_cast<uint64_t>(last_status_));
  window_.Encode(w);
  latency_.Encode(w);
  trend_.Encode(w);
  EncodeStrings(w, callers_);
  w.U64(checks_.size());
  for (const auto& [id, c] : checks_) {
    w.Str(id);
    w.Bool(c.up);
    w.F64(c.latency_ms);
    w.Str(c.detail);
    w.I64(ToMicros(c.at));
  }
  return w.Take();
}

Status IntegrationState::RestoreCheckpoint(std::string_view blob) {
  BinaryReader r(blob);
  if (r.U64() != kCheckpointVersion || !r.ok()) {
    return Status::InvalidArgument("integration checkpoint: unknown version");
  }
  IntegrationState s = *this;  // same shapes (window, sketch) as this one's configuration
  s.name_ = r.Str();
  s.total_calls_ = r.U64();
  s.total_errors_ = r.U64();
  s.last_log_id_ = r.I64();
  s.last_used_.reset();
  if (r.Bool()) s.last_used_ = FromMicros(r.I64());
  const uint64_t status = r.U64();
  bool ok = r.ok() && status <= static_cast<uint64_t>(IntegrationStatus::kError);
  s.last_status_ = static_cast<IntegrationStatus>(status);
  ok = ok && s.window_.Decode(r) && s.latency_.Decode(r) && s.trend_.Decode(r);
  s.callers_.clear();
  ok = ok && DecodeStrings(r, max_callers_, &s.callers_);
  const uint64_t checks = ok ? r.Count(2) : 0;
  ok = ok && r.ok() && checks <= max_checks_;
  s.checks_.clear();
  for (uint64_t i = 0; ok && i < checks; ++i) {
    IntegrationCheckView c;
    c.check_id = r.Str();
    c.up = r.Bool();
    c.latency_ms = r.F64();
    c.detail = r.Str();
    c.at = FromMicros(r.I64());
    ok = r.ok();
    s.checks_.emplace(c.check_id, std::move(c));
  }
  if (!ok || !r.done()) return Status::InvalidArgument("integration checkpoint: corrupt");
  s.dependents_ = std::move(dependents_);
  *this = std::move(s);
  return Status::Ok();
}

}  // namespace vitals::core
