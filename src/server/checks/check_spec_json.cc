#include "server/checks/check_spec_json.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace vitals::server {
namespace {

namespace dom = simdjson::dom;
using core::Status;

Status Bad(std::string_view field, std::string_view what) {
  return Status::InvalidArgument(std::string(field) + ": " + std::string(what));
}

Status ReadString(dom::element v, std::string_view field, std::string* out) {
  std::string_view s;
  if (v.get_string().get(s)) return Bad(field, "expected a string");
  out->assign(s);
  return Status::Ok();
}

Status ReadNumber(dom::element v, std::string_view field, double* out) {
  if (v.get_double().get(*out) || !std::isfinite(*out)) return Bad(field, "expected a number");
  return Status::Ok();
}

Status ReadBool(dom::element v, std::string_view field, bool* out) {
  if (v.get_bool().get(*out)) return Bad(field, "expected true or false");
  return Status::Ok();
}

// 200, "200", "200-299", "2xx".
Status ReadStatusRange(dom::element v, StatusRange* out) {
  constexpr std::string_view kField = "expected_status";
  int64_t n;
  if (!v.get_int64().get(n)) {
    *out = {static_cast<int>(n), static_cast<int>(n)};
    return Status::Ok();
  }
  std::string_view s;
  if (v.get_string().get(s)) return Bad(kField, "expected a status, a range or a list of them");
  if (s.size() == 3 && (s.substr(1) == "xx" || s.substr(1) == "XX") && s[0] >= '1' && s[0] <= '5') {
    const int hundred = (s[0] - '0') * 100;
    *out = {hundred, hundred + 99};
    return Status::Ok();
  }
  const size_t dash = s.find('-');
  auto parse = [](std::string_view t, int* value) {
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), *value);
    return ec == std::errc() && end == t.data() + t.size();
  };
  const std::string_view low = s.substr(0, dash);
  const std::string_view high = dash == std::string_view::npos ? low : s.substr(dash + 1);
  if (!parse(low, &out->low) || !parse(high, &out->high)) {
    return Bad(kField, "\"" + std::string(s) + "\" is not a status or a range like 200-299");
  }
  return Status::Ok();
}

Status ReadExpectedStatus(dom::element v, std::vector<StatusRange>* out) {
  out->clear();
  dom::array items;
  if (v.get_array().get(items)) {
    StatusRange r;
    if (Status s = ReadStatusRange(v, &r); !s.ok()) return s;
    out->push_back(r);
    return Status::Ok();
  }
  for (dom::element item : items) {
    StatusRange r;
    if (Status s = ReadStatusRange(item, &r); !s.ok()) return s;
    out->push_back(r);
  }
  return Status::Ok();
}

Status ReadScalar(dom::element v, JsonScalar* out) {
  switch (v.type()) {
    case dom::element_type::NULL_VALUE:
      out->type = JsonScalar::Type::kNull;
      return Status::Ok();
    case dom::element_type::BOOL:
      out->type = JsonScalar::Type::kBool;
      return ReadBool(v, "json_condition.value", &out->boolean);
    case dom::element_type::STRING:
      out->type = JsonScalar::Type::kString;
      return ReadString(v, "json_condition.value", &out->text);
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
      out->type = JsonScalar::Type::kNumber;
      return ReadNumber(v, "json_condition.value", &out->number);
    default:
      return Bad("json_condition.value", "expected a string, number, boolean or null");
  }
}

Status ReadCondition(dom::element v, JsonCondition* out) {
  dom::object o;
  if (v.get_object().get(o)) return Bad("json_condition", "expected an object");
  bool has_op = false, has_value = false;
  for (auto [key, value] : o) {
    if (key == "path") {
      if (Status s = ReadString(value, "json_condition.path", &out->path); !s.ok()) return s;
    } else if (key == "op") {
      std::string op;
      if (Status s = ReadString(value, "json_condition.op", &op); !s.ok()) return s;
      auto parsed = ParseJsonOp(op);
      if (!parsed) {
        return Bad("json_condition.op",
                   "unknown operator \"" + op + "\" (== != < <= > >= contains)");
      }
      out->op = *parsed;
      has_op = true;
    } else if (key == "value") {
      if (Status s = ReadScalar(value, &out->value); !s.ok()) return s;
      has_value = true;
    } else {
      return Bad("json_condition." + std::string(key), "unknown field");
    }
  }
  if (!has_op) return Bad("json_condition.op", "required");
  if (!has_value) return Bad("json_condition.value", "required");
  return Status::Ok();
}

Status ReadHeaders(dom::element v, CheckSpec* spec) {
  dom::object o;
  if (v.get_object().get(o)) return Bad("headers", "expected an object of strings");
  for (auto [key, value] : o) {
    std::string text;
    if (Status s = ReadString(value, "headers." + std::string(key), &text); !s.ok()) return s;
    if (key.empty() || text.find_first_of("\r\n") != std::string::npos) {
      return Bad("headers." + std::string(key), "bad header");
    }
    spec->headers.emplace_back(std::string(key), std::move(text));
  }
  return Status::Ok();
}

Status ReadMillis(dom::element v, std::string_view field, double scale,
                  std::chrono::milliseconds* out) {
  double d = 0;
  if (Status s = ReadNumber(v, field, &d); !s.ok()) return s;
  if (d < 0 || d * scale > 1e12) return Bad(field, "out of range");
  *out = std::chrono::milliseconds(static_cast<int64_t>(std::llround(d * scale)));
  return Status::Ok();
}

Status ReadMethod(dom::element v, Method* out) {
  std::string m;
  if (Status s = ReadString(v, "method", &m); !s.ok()) return s;
  for (Method candidate : {Method::kGet, Method::kHead, Method::kPost, Method::kPut,
                           Method::kDelete, Method::kPatch, Method::kOptions}) {
    if (m == MethodName(candidate)) {
      *out = candidate;
      return Status::Ok();
    }
  }
  return Bad("method", "unknown method \"" + m + "\"");
}

Status ReadField(std::string_view key, dom::element v, CheckSpec* spec, bool* kind_given) {
  if (key == "id") return ReadString(v, key, &spec->id);
  if (key == "target_id") return ReadString(v, key, &spec->target_id);
  if (key == "url" || key == "address") return ReadString(v, key, &spec->url);
  if (key == "body") return ReadString(v, key, &spec->body);
  if (key == "body_keyword") return ReadString(v, key, &spec->body_keyword);
  if (key == "keyword_absent") return ReadBool(v, key, &spec->keyword_absent);
  if (key == "enabled") return ReadBool(v, key, &spec->enabled);
  if (key == "method") return ReadMethod(v, &spec->method);
  if (key == "headers") return ReadHeaders(v, spec);
  if (key == "expected_status") return ReadExpectedStatus(v, &spec->expected_status);
  if (key == "interval_seconds") return ReadMillis(v, key, 1000, &spec->interval);
  if (key == "interval_ms") return ReadMillis(v, key, 1, &spec->interval);
  if (key == "timeout_ms") return ReadMillis(v, key, 1, &spec->timeout);
  if (key == "timeout_seconds") return ReadMillis(v, key, 1000, &spec->timeout);
  if (key == "json_condition") {
    if (v.is_null()) return Status::Ok();
    spec->json_condition.emplace();
    return ReadCondition(v, &*spec->json_condition);
  }
  if (key == "retries") {
    int64_t n;
    if (v.get_int64().get(n) || n < 0 || n > 1000) return Bad(key, "expected an integer 0-100");
    spec->retries = static_cast<int>(n);
    return Status::Ok();
  }
  std::string text;
  if (key == "target_type" || key == "kind") {
    if (Status s = ReadString(v, key, &text); !s.ok()) return s;
    if (key == "kind") {
      auto kind = ParseCheckKind(text);
      if (!kind) return Bad(key, "must be \"http\" or \"tcp\", got \"" + text + "\"");
      spec->kind = *kind;
      *kind_given = true;
      return Status::Ok();
    }
    auto type = ParseCheckTargetType(text);
    if (!type) return Bad(key, "must be \"agent\" or \"integration\", got \"" + text + "\"");
    spec->target_type = *type;
    return Status::Ok();
  }
  return Bad(key, "unknown field");
}

}  // namespace

core::Result<CheckSpec> ParseCheckSpec(std::string_view json, std::string_view organization_id) {
  thread_local dom::parser parser;
  dom::element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error) {
    return Status::InvalidArgument(std::string("body: not valid JSON: ") +
                                   simdjson::error_message(error));
  }
  dom::object o;
  if (root.get_object().get(o)) return Status::InvalidArgument("body: expected a JSON object");
  CheckSpec spec;
  spec.organization_id = std::string(organization_id);
  bool kind_given = false, has_address = false, timeout_given = false;
  for (auto [key, value] : o) {
    if (Status s = ReadField(key, value, &spec, &kind_given); !s.ok()) return s;
    has_address = has_address || key == "address";
    timeout_given = timeout_given || key == "timeout_ms" || key == "timeout_seconds";
  }
  if (!kind_given && has_address) spec.kind = CheckKind::kTcp;
  // A short interval without a timeout gets one that fits it (F12): the default 10 s, at most
  // half the interval.
  if (!timeout_given) spec.timeout = std::min(spec.timeout, spec.interval / 2);
  if (Status s = spec.Validate(); !s.ok()) return s;
  return spec;
}

void WriteCheckSpecFields(JsonWriter& w, const CheckSpec& s) {
  w.Field("id", s.id)
      .Field("target_type", CheckTargetTypeName(s.target_type))
      .Field("target_id", s.target_id)
      .Field("kind", CheckKindName(s.kind))
      .Field("url", s.url);
  if (s.kind == CheckKind::kHttp) {
    w.Field("method", MethodName(s.method));
    w.Key("headers").BeginObject();
    for (const auto& [name, value] : s.headers) w.Field(name, value);
    w.EndObject();
    if (!s.body.empty()) w.Field("body", s.body);
    w.Key("expected_status").BeginArray();
    for (const StatusRange& r : s.expected_status) w.String(FormatStatusRanges({r}));
    w.EndArray();
    w.Field("body_keyword", s.body_keyword).Field("keyword_absent", s.keyword_absent);
    w.Key("json_condition");
    if (s.json_condition) {
      w.BeginObject()
          .Field("path", s.json_condition->path)
          .Field("op", JsonOpName(s.json_condition->op))
          .Key("value")
          .Raw(s.json_condition->value.ToJson())
          .EndObject();
    } else {
      w.Null();
    }
  }
  w.Field("interval_seconds", static_cast<double>(s.interval.count()) / 1000.0)
      .Field("timeout_ms", static_cast<int64_t>(s.timeout.count()))
      .Field("retries", s.retries)
      .Field("enabled", s.enabled);
}

std::string CheckSpecToJson(const CheckSpec& spec) {
  JsonWriter w;
  w.BeginObject();
  WriteCheckSpecFields(w, spec);
  w.EndObject();
  return w.Take();
}

}  // namespace vitals::server
