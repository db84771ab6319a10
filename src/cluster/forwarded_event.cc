#include "cluster/forwarded_event.h"

#include "core/binary_codec.h"

namespace vitals::cluster {
namespace {

constexpr uint64_t kVersion = 1;

}  // namespace

std::string EncodeForwarded(const ForwardedEvent& f) {
  core::BinaryWriter w;
  w.U64(kVersion);
  w.U64(static_cast<uint64_t>(f.kind));
  w.I64(f.log_id);
  const core::ExecutionEvent& e = f.event;
  w.Str(e.organization_id);
  w.Str(e.agent_id);
  w.I64(core::ToMicros(e.timestamp));
  w.Str(e.metadata_json);
  if (f.kind == ForwardedKind::kHeartbeat || f.kind == ForwardedKind::kReload) {
    w.Bool(f.has_queue_depth);
    if (f.has_queue_depth) w.I64(f.queue_depth);
    return w.Take();
  }
  w.Str(e.execution_id);
  w.Str(e.action_type);
  w.Str(e.action_name);
  w.Str(e.input_summary);
  w.Str(e.output_summary);
  w.Str(e.status);
  w.Str(e.error_message);
  w.F64(e.latency_ms);
  w.Bool(e.token_count.has_value());
  if (e.token_count) w.I64(*e.token_count);
  w.F64(e.cost_usd);
  w.Str(e.integration_id);
  return w.Take();
}

core::Result<ForwardedEvent> DecodeForwarded(std::string_view bytes) {
  core::BinaryReader r(bytes);
  const uint64_t version = r.U64();
  if (!r.ok() || version != kVersion) {
    return core::Status::InvalidArgument("forwarded event: unknown version");
  }
  ForwardedEvent f;
  const uint64_t kind = r.U64();
  if (kind < 1 || kind > 4) return core::Status::InvalidArgument("forwarded event: unknown kind");
  f.kind = static_cast<ForwardedKind>(kind);
  f.log_id = r.I64();
  core::ExecutionEvent& e = f.event;
  e.organization_id = r.Str();
  e.agent_id = r.Str();
  e.timestamp = core::FromMicros(r.I64());
  e.metadata_json = r.Str();
  if (f.kind == ForwardedKind::kHeartbeat || f.kind == ForwardedKind::kReload) {
    f.has_queue_depth = r.Bool();
    if (f.has_queue_depth) f.queue_depth = r.I64();
  } else {
    e.execution_id = r.Str();
    e.action_type = r.Str();
    e.action_name = r.Str();
    e.input_summary = r.Str();
    e.output_summary = r.Str();
    e.status = r.Str();
    e.error_message = r.Str();
    e.latency_ms = r.F64();
    if (r.Bool()) e.token_count = r.I64();
    e.cost_usd = r.F64();
    e.integration_id = r.Str();
  }
  if (!r.ok()) return core::Status::InvalidArgument("forwarded event: truncated");
  if (!r.done()) return core::Status::InvalidArgument("forwarded event: trailing bytes");
  return f;
}

}  // namespace vitals::cluster
