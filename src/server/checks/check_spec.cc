#include "server/checks/check_spec.h"

#include <charconv>
#include <cmath>

#include "core/execution_event.h"
#include "core/json_string.h"

namespace vitals::server {
namespace {

using core::Status;

constexpr size_t kMaxIdLength = 128;
constexpr std::chrono::milliseconds kMinInterval{100};
constexpr std::chrono::milliseconds kMaxInterval{24 * 3600 * 1000};
constexpr int kMaxRetries = 100;

Status UrlError(std::string_view url, std::string_view why) {
  return Status::InvalidArgument("url: " + std::string(why) + ": \"" +
                                 std::string(url.substr(0, 200)) + "\"");
}

// "host:port" or "[v6]:port" (port required when `default_port` is 0).
core::Result<CheckAddress> ParseAuthority(std::string_view url, std::string_view authority,
                                          uint16_t default_port) {
  CheckAddress a;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return UrlError(url, "unclosed '[' in host");
    a.host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return UrlError(url, "bad text after ']'");
    if (!rest.empty()) port_text = rest.substr(1);
  } else {
    const size_t colon = authority.rfind(':');
    a.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    if (a.host.find(':') != std::string::npos) {
      return UrlError(url, "an IPv6 host needs brackets, as [::1]");
    }
  }
  if (a.host.empty()) return UrlError(url, "missing host");
  for (char c : a.host) {
    if (c == '@' || c == '/' || c == ' ' || static_cast<unsigned char>(c) < 0x21) {
      return UrlError(url, "bad character in host");
    }
  }
  if (port_text.empty()) {
    if (default_port == 0) return UrlError(url, "missing port (host:port)");
    a.port = default_port;
    return a;
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return UrlError(url, "port must be 1-65535");
  }
  a.port = static_cast<uint16_t>(port);
  return a;
}

core::Result<CheckAddress> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kHttp = "http://";
  if (url.starts_with("https://")) {
    return UrlError(url, "https is not supported yet (plain http only)");
  }
  if (!url.starts_with(kHttp)) return UrlError(url, "must start with http://");
  std::string_view rest = url.substr(kHttp.size());
  const size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  if (authority.find('@') != std::string_view::npos) {
    return UrlError(url, "credentials in the URL are not supported; use headers");
  }
  auto a = ParseAuthority(url, authority, 80);
  if (!a.ok()) return a;
  std::string target(slash == std::string_view::npos ? "" : rest.substr(slash));
  if (const size_t hash = target.find('#'); hash != std::string::npos) target.resize(hash);
  if (target.empty() || target.front() != '/') target.insert(0, "/");
  for (char c : target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return UrlError(url, "spaces and control characters must be percent-encoded");
    }
  }
  a->target = std::move(target);
  return a;
}

Status ValidateCondition(const JsonCondition& c) {
  if (c.path.empty()) return Status::InvalidArgument("json_condition.path: required");
  if (c.path.front() == '.' || c.path.back() == '.' || c.path.find("..") != std::string::npos) {
    return Status::InvalidArgument("json_condition.path: empty segment in \"" + c.path + "\"");
  }
  const bool ordering =
      c.op == JsonOp::kLt || c.op == JsonOp::kLe || c.op == JsonOp::kGt || c.op == JsonOp::kGe;
  if (ordering && c.value.type != JsonScalar::Type::kNumber) {
    return Status::InvalidArgument("json_condition.value: " + std::string(JsonOpName(c.op)) +
                                   " needs a number");
  }
  return Status::Ok();
}

}  // namespace

std::string_view CheckTargetTypeName(CheckTargetType t) {
  return t == CheckTargetType::kAgent ? "agent" : "integration";
}

std::string_view CheckKindName(CheckKind k) { return k == CheckKind::kHttp ? "http" : "tcp"; }

std::string_view JsonOpName(JsonOp op) {
  switch (op) {
    case JsonOp::kEq:
      return "==";
    case JsonOp::kNe:
      return "!=";
    case JsonOp::kLt:
      return "<";
    case JsonOp::kLe:
      return "<=";
    case JsonOp::kGt:
      return ">";
    case JsonOp::kGe:
      return ">=";
    case JsonOp::kContains:
      return "contains";
  }
  return "?";
}

std::optional<CheckTargetType> ParseCheckTargetType(std::string_view s) {
  if (s == "agent") return CheckTargetType::kAgent;
  if (s == "integration") return CheckTargetType::kIntegration;
  return std::nullopt;
}

std::optional<CheckKind> ParseCheckKind(std::string_view s) {
  if (s == "http") return CheckKind::kHttp;
  if (s == "tcp") return CheckKind::kTcp;
  return std::nullopt;
}

std::optional<JsonOp> ParseJsonOp(std::string_view s) {
  for (JsonOp op : {JsonOp::kEq, JsonOp::kNe, JsonOp::kLt, JsonOp::kLe, JsonOp::kGt, JsonOp::kGe,
                    JsonOp::kContains}) {
    if (s == JsonOpName(op)) return op;
  }
  return std::nullopt;
}

std::string FormatStatusRanges(const std::vector<StatusRange>& ranges) {
  std::string out;
  for (const StatusRange& r : ranges) {
    if (!out.empty()) out += ',';
    out += std::to_string(r.low);
    if (r.high != r.low) out += "-" + std::to_string(r.high);
  }
  return out;
}

std::string JsonScalar::ToJson() const {
  switch (type) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return boolean ? "true" : "false";
    case Type::kNumber: {
      if (std::floor(number) == number && std::abs(number) < 1e15) {
        return std::to_string(static_cast<int64_t>(number));
      }
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), number);
      return std::string(buf, end);
    }
    case Type::kString: {
      std::string out;
      core::AppendJsonString(out, text);
      return out;
    }
  }
  return "null";
}

core::Result<CheckAddress> ParseCheckAddress(CheckKind kind, std::string_view url) {
  if (url.empty()) return Status::InvalidArgument("url: required");
  if (kind == CheckKind::kHttp) return ParseHttpUrl(url);
  std::string_view authority = url;
  if (authority.starts_with("tcp://")) authority.remove_prefix(6);
  if (authority.find('/') != std::string_view::npos) {
    return UrlError(url, "a tcp check takes host:port");
  }
  return ParseAuthority(url, authority, 0);
}

Status CheckSpec::Validate() const {
  if (Status s = core::ValidateId("id", id, kMaxIdLength); !s.ok()) return s;
  if (id.find('/') != std::string::npos) return Status::InvalidArgument("id: must not contain '/'");
  if (Status s = core::ValidateId("target_id", target_id, kMaxIdLength); !s.ok()) return s;
  if (auto a = ParseCheckAddress(kind, url); !a.ok()) return a.status();
  if (expected_status.empty()) return Status::InvalidArgument("expected_status: empty");
  for (const StatusRange& r : expected_status) {
    if (r.low < 100 || r.high > 599 || r.low > r.high) {
      return Status::InvalidArgument("expected_status: " + FormatStatusRanges({r}) +
                                     " is not a range of HTTP statuses (100-599)");
    }
  }
  if (kind == CheckKind::kTcp && (!body_keyword.empty() || json_condition)) {
    return Status::InvalidArgument(
        std::string(!body_keyword.empty() ? "body_keyword" : "json_condition") +
        ": only for http checks");
  }
  if (json_condition) {
    if (Status s = ValidateCondition(*json_condition); !s.ok()) return s;
  }
  if (interval < kMinInterval || interval > kMaxInterval) {
    return Status::InvalidArgument("interval_seconds: must be between 0.1 and 86400");
  }
  if (timeout.count() <= 0) return Status::InvalidArgument("timeout_ms: must be positive");
  if (timeout >= interval) {
    return Status::InvalidArgument("timeout_ms: " + std::to_string(timeout.count()) +
                                   " must be less than the interval (" +
                                   std::to_string(interval.count()) + " ms)");
  }
  if (retries < 0 || retries > kMaxRetries) {
    return Status::InvalidArgument("retries: must be 0-100");
  }
  return Status::Ok();
}

}  // namespace vitals::server
