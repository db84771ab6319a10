// CheckSpec: one active check of an agent or an integration (issue 4, seed 002) — what to probe,
// how often, and what counts as healthy.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "server/http/http_types.h"

namespace vitals::server {

enum class CheckTargetType { kAgent, kIntegration };
enum class CheckKind { kHttp, kTcp };
enum class JsonOp { kEq, kNe, kLt, kLe, kGt, kGe, kContains };

std::string_view CheckTargetTypeName(CheckTargetType t);  // "agent", "integration"
std::string_view CheckKindName(CheckKind k);              // "http", "tcp"
std::string_view JsonOpName(JsonOp op);                   // "==", "!=", ..., "contains"
std::optional<CheckTargetType> ParseCheckTargetType(std::string_view s);
std::optional<CheckKind> ParseCheckKind(std::string_view s);
std::optional<JsonOp> ParseJsonOp(std::string_view s);

// An inclusive range of HTTP statuses; a single status is {s, s}.
struct StatusRange {
  int low = 200;
  int high = 399;
  bool operator==(const StatusRange&) const = default;
};
// "200-399", "200", "200-299,304".
std::string FormatStatusRanges(const std::vector<StatusRange>& ranges);

// A JSON scalar to compare with.
struct JsonScalar {
  enum class Type { kNull, kBool, kNumber, kString };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  std::string text;

  std::string ToJson() const;  // "\"up\"", "1.5", "true", "null"
};

// The response body is JSON and the field at `path` satisfies `op value`. The path is a dot path
// of object keys; a segment that is a number indexes an array ("checks.0.ok"). == and != compare
// by JSON type (1 == "1" is false); < <= > >= need numbers on both sides; contains holds when the
// field is a string containing the value's text, or an array with an element equal to the value.
struct JsonCondition {
  std::string path;
  JsonOp op = JsonOp::kEq;
  JsonScalar value;
};

struct CheckSpec {
  std::string id;
  std::string organization_id;
  CheckTargetType target_type = CheckTargetType::kAgent;
  std::string target_id;
  CheckKind kind = CheckKind::kHttp;
  // http: "http://host[:port][/path[?query]]"; tcp: "host:port" (IPv6 as "[::1]:port").
  std::string url;
  Method method = Method::kGet;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent with the request
  std::vector<StatusRange> expected_status = {{200, 399}};
  // When set, the body must contain it — or, with keyword_absent, must not (Uptime Kuma's
  // "invert keyword"): "error" absent is a common way to check a page.
  std::string body_keyword;
  bool keyword_absent = false;
  std::optional<JsonCondition> json_condition;
  std::chrono::milliseconds interval{30'000};  // seed 002: every 30 seconds
  std::chrono::milliseconds timeout{10'000};   // < interval
  // Failures tolerated before the target is down: down after retries + 1 consecutive failures.
  int retries = 0;
  bool enabled = true;

  // kInvalidArgument naming the first bad field: id, target_id, url (bad, https, missing port
  // for tcp), expected_status, json_condition, interval_seconds (at least 0.1 s, at most a day),
  // timeout_ms (positive, < interval), retries (0-100), body conditions on a tcp check.
  core::Status Validate() const;
};

// The parts of CheckSpec::url.
struct CheckAddress {
  std::string host;  // IPv6 without brackets
  uint16_t port = 0;
  std::string target = "/";  // path plus query (http)
};

// Parses `url` as `kind` wants it; kInvalidArgument "url: ..." when it cannot.
core::Result<CheckAddress> ParseCheckAddress(CheckKind kind, std::string_view url);

}  // namespace vitals::server
