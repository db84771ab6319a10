#include "core/execution_event.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

namespace vitals::core {
namespace {

// Plain decimal for messages: "97210412 s in the future", never "9.72104e+07".
std::string Num(double v) {
  char buf[400];
  std::snprintf(buf, sizeof buf, std::fabs(v) >= 1e5 ? "%.0f" : "%g", v);
  return buf;
}

Status CheckText(std::string_view field, std::string_view value, size_t max_length) {
  if (value.size() > max_length) {
    return Status::InvalidArgument(std::string(field) + ": too long (" +
                                   std::to_string(value.size()) + " bytes, max " +
                                   std::to_string(max_length) + ")");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateId(std::string_view field, std::string_view value, size_t max_length) {
  if (value.empty()) return Status::InvalidArgument(std::string(field) + ": required");
  if (Status s = CheckText(field, value, max_length); !s.ok()) return s;
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) {
      return Status::InvalidArgument(std::string(field) + ": contains a control character");
    }
  }
  return Status::Ok();
}

Status ValidateAgentId(std::string_view value, size_t max_length) {
  if (Status s = ValidateId("agent_id", value, max_length); !s.ok()) return s;
  if (value.find('/') != std::string_view::npos) {
    return Status::InvalidArgument("agent_id: must not contain '/' (it is a URL path segment)");
  }
  return Status::Ok();
}

Status ValidateTimestamp(std::string_view field, Timestamp t, const EventLimits& limits,
                         Timestamp now) {
  if (t > now + limits.max_future_skew) {
    return Status::InvalidArgument(std::string(field) + ": " + Num(ToSecondsF(t - now)) +
                                   " s in the future (max skew " +
                                   Num(ToSecondsF(limits.max_future_skew)) + " s)");
  }
  if (t < now - limits.max_past_age) {
    return Status::InvalidArgument(std::string(field) + ": " + Num(ToSecondsF(now - t)) +
                                   " s in the past (max age " +
                                   Num(ToSecondsF(limits.max_past_age)) + " s)");
  }
  return Status::Ok();
}

namespace {

// True when any byte of `w` is below 0x20 or equal to 0x7f (bytes >= 0x80 never match), eight at
// a time: the classic has-zero-byte trick applied to w and to w ^ 0x7f...
inline bool HasControlByte(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;
  const uint64_t del = w ^ (kOnes * 0x7f);
  const uint64_t is_del = (del - kOnes) & ~del & kHigh;
  return (below_space | is_del) != 0;
}

bool IdOk(std::string_view v, size_t max_length) {
  const size_t n = v.size();
  if (n == 0 || n > max_length) return false;
  const char* p = v.data();
  if (n >= 8) {
    uint64_t w;
    for (size_t i = 0; i + 8 <= n; i += 8) {
      std::memcpy(&w, p + i, 8);
      if (HasControlByte(w)) return false;
    }
    std::memcpy(&w, p + n - 8, 8);  // the tail, overlapping what was checked
    return !HasControlByte(w);
  }
  if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    return !HasControlByte(uint64_t{a} | uint64_t{b} << 32);
  }
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// True when ValidateEvent would return Ok; cheap and allocation-free, for the ingest hot path.
bool EventOk(const ExecutionEvent& e, const EventLimits& l, Timestamp now) {
  const size_t t = l.max_text_length;
  return IdOk(e.organization_id, l.max_id_length) && IdOk(e.agent_id, l.max_id_length) &&
         e.agent_id.find('/') == std::string::npos && e.execution_id.size() <= l.max_id_length &&
         (e.integration_id.empty() || IdOk(e.integration_id, l.max_id_length)) &&
         !e.status.empty() && e.status.size() <= t && e.action_type.size() <= t &&
         e.action_name.size() <= t && e.input_summary.size() <= t && e.output_summary.size() <= t &&
         e.error_message.size() <= t && e.metadata_json.size() <= l.max_metadata_length &&
         e.latency_ms >= 0 && e.latency_ms <= l.max_latency_ms && e.cost_usd >= 0 &&
         e.cost_usd <= l.max_cost_usd &&
         (!e.token_count || (*e.token_count >= 0 && *e.token_count <= l.max_token_count)) &&
         e.timestamp <= now + l.max_future_skew && e.timestamp >= now - l.max_past_age;
}

// The slow path: finds the first problem and says what it is.
Status DescribeInvalid(const ExecutionEvent& e, const EventLimits& limits, Timestamp now);

}  // namespace

Status ValidateEvent(const ExecutionEvent& e, const EventLimits& limits, Timestamp now) {
  if (EventOk(e, limits, now)) return Status::Ok();  // NaN fails the comparisons above
  return DescribeInvalid(e, limits, now);
}

namespace {

Status DescribeInvalid(const ExecutionEvent& e, const EventLimits& limits, Timestamp now) {
  if (Status s = ValidateId("organization_id", e.organization_id, limits.max_id_length); !s.ok()) {
    return s;
  }
  if (Status s = ValidateAgentId(e.agent_id, limits.max_id_length); !s.ok()) return s;
  if (Status s = CheckText("execution_id", e.execution_id, limits.max_id_length); !s.ok()) return s;
  if (!e.integration_id.empty()) {
    if (Status s = ValidateId("integration_id", e.integration_id, limits.max_id_length); !s.ok()) {
      return s;
    }
  }
  if (e.status.empty()) return Status::InvalidArgument("status: must not be empty");
  const std::pair<std::string_view, const std::string*> texts[] = {
      {"status", &e.status},
      {"action_type", &e.action_type},
      {"action_name", &e.action_name},
      {"input_summary", &e.input_summary},
      {"output_summary", &e.output_summary},
      {"error_message", &e.error_message}};
  for (const auto& [field, value] : texts) {
    if (Status s = CheckText(field, *value, limits.max_text_length); !s.ok()) return s;
  }
  if (Status s = CheckText("metadata", e.metadata_json, limits.max_metadata_length); !s.ok()) {
    return s;
  }
  if (!std::isfinite(e.latency_ms) || e.latency_ms < 0) {
    return Status::InvalidArgument("latency_ms: must be a number >= 0, got " + Num(e.latency_ms));
  }
  if (e.latency_ms > limits.max_latency_ms) {
    return Status::InvalidArgument("latency_ms: " + Num(e.latency_ms) + " exceeds the maximum " +
                                   Num(limits.max_latency_ms));
  }
  if (!std::isfinite(e.cost_usd) || e.cost_usd < 0) {
    return Status::InvalidArgument("cost_usd: must be a number >= 0, got " + Num(e.cost_usd));
  }
  if (e.cost_usd > limits.max_cost_usd) {
    return Status::InvalidArgument("cost_usd: " + Num(e.cost_usd) + " exceeds the maximum " +
                                   Num(limits.max_cost_usd));
  }
  if (e.token_count && (*e.token_count < 0 || *e.token_count > limits.max_token_count)) {
    return Status::InvalidArgument("token_count: must be between 0 and " +
                                   std::to_string(limits.max_token_count) + ", got " +
                                   std::to_string(*e.token_count));
  }
  return ValidateTimestamp("timestamp", e.timestamp, limits, now);
}

}  // namespace
}  // namespace vitals::core
