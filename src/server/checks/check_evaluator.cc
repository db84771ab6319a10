#include "server/checks/check_evaluator.h"

#include <simdjson.h>

#include <charconv>

namespace vitals::server {
namespace {

namespace dom = simdjson::dom;

constexpr size_t kMaxShownValue = 120;

bool IsNumber(dom::element e) {
  const auto t = e.type();
  return t == dom::element_type::INT64 || t == dom::element_type::UINT64 ||
         t == dom::element_type::DOUBLE;
}

bool Equal(dom::element e, const JsonScalar& v) {
  switch (v.type) {
    case JsonScalar::Type::kNull:
      return e.is_null();
    case JsonScalar::Type::kBool: {
      bool b;
      return !e.get_bool().get(b) && b == v.boolean;
    }
    case JsonScalar::Type::kNumber: {
      double d;
      return IsNumber(e) && !e.get_double().get(d) && d == v.number;
    }
    case JsonScalar::Type::kString: {
      std::string_view s;
      return !e.get_string().get(s) && s == v.text;
    }
  }
  return false;
}

bool Contains(dom::element e, const JsonScalar& v) {
  std::string_view s;
  if (!e.get_string().get(s)) {
    const std::string needle = v.type == JsonScalar::Type::kString ? v.text : v.ToJson();
    return s.find(needle) != std::string_view::npos;
  }
  dom::array items;
  if (e.get_array().get(items)) return false;
  for (dom::element item : items) {
    if (Equal(item, v)) return true;
  }
  return false;
}

bool Holds(dom::element e, const JsonCondition& c) {
  double d = 0;
  const bool number = IsNumber(e) && !e.get_double().get(d);
  switch (c.op) {
    case JsonOp::kEq:
      return Equal(e, c.value);
    case JsonOp::kNe:
      return !Equal(e, c.value);
    case JsonOp::kLt:
      return number && d < c.value.number;
    case JsonOp::kLe:
      return number && d <= c.value.number;
    case JsonOp::kGt:
      return number && d > c.value.number;
    case JsonOp::kGe:
      return number && d >= c.value.number;
    case JsonOp::kContains:
      return Contains(e, c.value);
  }
  return false;
}

// The element at the dot path, or false when some segment is missing.
bool Find(dom::element root, std::string_view path, dom::element* out) {
  dom::element at = root;
  while (!path.empty()) {
    const size_t dot = path.find('.');
    const std::string_view segment = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    dom::object o;
    dom::array a;
    if (!at.get_object().get(o)) {
      if (o.at_key(segment).get(at)) return false;
    } else if (!at.get_array().get(a)) {
      size_t index = 0;
      auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
      if (ec != std::errc() || end != segment.data() + segment.size()) return false;
      if (a.at(index).get(at)) return false;
    } else {
      return false;
    }
  }
  *out = at;
  return true;
}

CheckVerdict Fail(std::string reason) { return {false, std::move(reason)}; }

CheckVerdict EvaluateJson(const JsonCondition& c, const ProbeResult& result) {
  thread_local dom::parser parser;
  dom::element root;
  if (parser.parse(result.body.data(), result.body.size()).get(root)) {
    return Fail(result.body_truncated ? "body is not JSON (cut at the size limit)"
                                      : "body is not JSON");
  }
  dom::element field;
  if (!Find(root, c.path, &field)) return Fail("json field " + c.path + " not found");
  if (Holds(field, c)) return {true, {}};
  std::string shown = simdjson::minify(field);
  if (shown.size() > kMaxShownValue) shown = shown.substr(0, kMaxShownValue) + "...";
  return Fail("json field " + c.path + " is " + shown + ", expected " +
              std::string(JsonOpName(c.op)) + " " + c.value.ToJson());
}

}  // namespace

CheckVerdict CheckEvaluator::Evaluate(const CheckSpec& spec, const ProbeResult& result) {
  if (!result.error.empty()) return Fail(result.error);
  if (spec.kind == CheckKind::kTcp) return {true, "connected"};
  const std::string status = "status " + std::to_string(result.status_code);
  bool status_ok = false;
  for (const StatusRange& r : spec.expected_status) {
    status_ok = status_ok || (result.status_code >= r.low && result.status_code <= r.high);
  }
  if (!status_ok) {
    return Fail(status + ", expected " + FormatStatusRanges(spec.expected_status));
  }
  if (!spec.body_keyword.empty()) {
    const bool found = result.body.find(spec.body_keyword) != std::string::npos;
    if (found && spec.keyword_absent) return Fail("keyword '" + spec.body_keyword + "' found");
    if (!found && !spec.keyword_absent) {
      return Fail("keyword '" + spec.body_keyword + "' not found");
    }
  }
  if (spec.json_condition) {
    CheckVerdict v = EvaluateJson(*spec.json_condition, result);
    if (!v.success) return v;
  }
  return {true, status};
}

}  // namespace vitals::server
