#include "server/json/ingest_parser.h"

#include <simdjson.h>

#include <cmath>
#include <functional>

namespace vitals::server {

static_assert(kParsePadding >= simdjson::SIMDJSON_PADDING);
namespace {

namespace dom = simdjson::dom;

std::string_view TypeName(dom::element_type t) {
  switch (t) {
    case dom::element_type::ARRAY:
      return "array";
    case dom::element_type::OBJECT:
      return "object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
      return "number";
    case dom::element_type::STRING:
      return "string";
    case dom::element_type::BOOL:
      return "boolean";
    case dom::element_type::NULL_VALUE:
      return "null";
  }
  return "unknown";
}

bool IsNumber(dom::element_type t) {
  return t == dom::element_type::INT64 || t == dom::element_type::UINT64 ||
         t == dom::element_type::DOUBLE;
}

std::string Expected(std::string_view field, std::string_view what, dom::element_type got) {
  return std::string(field) + ": expected " + std::string(what) + ", got " +
         std::string(TypeName(got));
}

// Reads a string field; null leaves `out` empty. Returns an error message or "".
std::string ReadString(dom::element v, std::string_view field, std::string* out) {
  if (v.is_null()) return {};
  std::string_view s;
  if (v.get_string().get(s)) return Expected(field, "a string", v.type());
  out->assign(s);
  return {};
}

std::string ReadNumber(dom::element v, std::string_view field, std::optional<double>* out) {
  if (v.is_null()) return {};
  double d;
  if (!IsNumber(v.type()) || v.get_double().get(d)) return Expected(field, "a number", v.type());
  *out = d;
  return {};
}

// Timestamps: RFC 3339 strings, or numbers of seconds since the epoch.
std::string ReadTimestamp(dom::element v, std::optional<core::Timestamp>* out) {
  if (v.is_null()) return {};
  if (IsNumber(v.type())) {
    double secs;
    if (v.get_double().get(secs) || !std::isfinite(secs) || std::abs(secs) > 1e11) {
      return "timestamp: invalid number of seconds";
    }
    *out = core::FromMicros(static_cast<int64_t>(std::llround(secs * 1e6)));
    return {};
  }
  std::string_view s;
  if (v.get_string().get(s)) return Expected("timestamp", "an RFC 3339 string", v.type());
  *out = core::ParseTimestamp(s);
  if (!*out)
    return "timestamp: not an RFC 3339 date-time: \"" + std::string(s.substr(0, 64)) + "\"";
  return {};
}

std::string ReadMetadata(dom::element v, std::string* out) {
  if (v.is_null()) return {};
  if (v.type() != dom::element_type::OBJECT) return Expected("metadata", "an object", v.type());
  *out = simdjson::minify(v);
  return {};
}

std::string CheckOrganization(dom::element v, std::string_view organization_id) {
  std::string org;
  if (std::string e = ReadString(v, "organization_id", &org); !e.empty()) return e;
  if (!org.empty() && org != organization_id) {
    return "organization_id: \"" + org.substr(0, 64) +
           "\" is not the organization of the credentials";
  }
  return {};
}

std::string ParseExecution(dom::object obj, std::string_view org, core::Timestamp now,
                           core::ExecutionEvent* e) {
  e->organization_id.assign(org);
  std::optional<core::Timestamp> ts;
  std::optional<double> latency, cost, tokens;
  bool has_status = false;
  for (auto [key, v] : obj) {
    std::string err;
    if (key == "agent_id")
      err = ReadString(v, key, &e->agent_id);
    else if (key == "execution_id")
      err = ReadString(v, key, &e->execution_id);
    else if (key == "action_type")
      err = ReadString(v, key, &e->action_type);
    else if (key == "action_name")
      err = ReadString(v, key, &e->action_name);
    else if (key == "input_summary")
      err = ReadString(v, key, &e->input_summary);
    else if (key == "output_summary")
      err = ReadString(v, key, &e->output_summary);
    else if (key == "status") {
      err = ReadString(v, key, &e->status);
      has_status = true;
    } else if (key == "error_message")
      err = ReadString(v, key, &e->error_message);
    else if (key == "integration_id")
      err = ReadString(v, key, &e->integration_id);
    else if (key == "latency_ms")
      err = ReadNumber(v, key, &latency);
    else if (key == "cost_usd")
      err = ReadNumber(v, key, &cost);
    else if (key == "token_count")
      err = ReadNumber(v, key, &tokens);
    else if (key == "timestamp")
      err = ReadTimestamp(v, &ts);
    else if (key == "metadata")
      err = ReadMetadata(v, &e->metadata_json);
    else if (key == "organization_id")
      err = CheckOrganization(v, org);
    // Unknown fields are ignored, as the API promises.
    if (!err.empty()) return err;
  }
  if (e->agent_id.empty()) return "agent_id: required";
  if (has_status && e->status.empty()) return "status: must not be empty";
  if (!has_status) e->status = std::string(core::kSuccessStatus);
  e->latency_ms = latency.value_or(0);
  e->cost_usd = cost.value_or(0);
  if (tokens) {
    if (*tokens != std::floor(*tokens)) return "token_count: expected an integer";
    if (*tokens < -1e15 || *tokens > 1e15) return "token_count: out of range";
    e->token_count = static_cast<int64_t>(*tokens);
  }
  e->timestamp = ts.value_or(now);
  return {};
}

std::string ParseHeartbeat(dom::object obj, std::string_view org, Heartbeat* h) {
  for (auto [key, v] : obj) {
    std::string err;
    if (key == "agent_id")
      err = ReadString(v, key, &h->agent_id);
    else if (key == "timestamp")
      err = ReadTimestamp(v, &h->timestamp);
    else if (key == "metadata")
      err = ReadMetadata(v, &h->metadata_json);
    else if (key == "queue_depth")
      err = ReadNumber(v, key, &h->queue_depth);
    else if (key == "organization_id")
      err = CheckOrganization(v, org);
    if (!err.empty()) return err;
  }
  if (h->agent_id.empty()) return "agent_id: required";
  return {};
}

// Calls item(obj, index) for every object of the body; other items are reported through
// reject(index, message). Fails only when the body as a whole is malformed.
core::Status ForEachItem(std::string& body, BodyFormat format,
                         const std::function<void(dom::object, size_t)>& item,
                         const std::function<void(size_t, std::string)>& reject) {
  thread_local dom::parser parser;
  size_t index = 0;
  auto one = [&](dom::element e) {
    dom::object obj;
    if (e.get_object().get(obj)) {
      reject(index++, "expected an object, got " + std::string(TypeName(e.type())));
    } else {
      item(obj, index++);
    }
  };
  if (format == BodyFormat::kJson) {
    body.reserve(body.size() + kParsePadding);
    dom::element root;
    if (auto err = parser.parse(body.data(), body.size(), false).get(root)) {
      return core::Status::InvalidArgument(std::string("body: malformed JSON (") +
                                           simdjson::error_message(err) + ")");
    }
    dom::array arr;
    if (!root.get_array().get(arr)) {
      for (dom::element e : arr) one(e);
      return core::Status::Ok();
    }
    if (root.type() != dom::element_type::OBJECT) {
      return core::Status::InvalidArgument("body: expected a JSON object or array, got " +
                                           std::string(TypeName(root.type())));
    }
    one(root);
    return core::Status::Ok();
  }
  std::string_view rest = body;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;  // blank line
    dom::element e;
    if (parser.parse(line.data(), line.size(), true).get(e)) {
      reject(index++, "malformed JSON");
      continue;
    }
    one(e);
  }
  if (index == 0) return core::Status::InvalidArgument("body: no NDJSON items");
  return core::Status::Ok();
}

// Runs `parse_one(obj, &item)` on every item of the body, keeping the good ones in
// `out.*values` and the errors beside them.
template <typename Out, typename Item, typename ParseOne>
core::Result<Out> ParseItems(std::string& body, BodyFormat format, std::vector<Item> Out::*values,
                             ParseOne parse_one) {
  Out out;
  core::Status s = ForEachItem(
      body, format,
      [&](dom::object obj, size_t index) {
        ++out.items;
        Item item;
        std::string err = parse_one(obj, &item);
        if (!err.empty()) {
          out.rejected.push_back({index, std::move(err)});
          return;
        }
        (out.*values).push_back(std::move(item));
        out.indexes.push_back(index);
      },
      [&](size_t index, std::string err) {
        ++out.items;
        out.rejected.push_back({index, std::move(err)});
      });
  if (!s.ok()) return s;
  return out;
}

}  // namespace

core::Result<ParsedExecutions> ParseExecutions(std::string& body, BodyFormat format,
                                               std::string_view organization_id,
                                               core::Timestamp now) {
  return ParseItems(body, format, &ParsedExecutions::events,
                    [&](dom::object obj, core::ExecutionEvent* e) {
                      return ParseExecution(obj, organization_id, now, e);
                    });
}

core::Result<ParsedHeartbeats> ParseHeartbeats(std::string& body, BodyFormat format,
                                               std::string_view organization_id) {
  return ParseItems(
      body, format, &ParsedHeartbeats::heartbeats,
      [&](dom::object obj, Heartbeat* h) { return ParseHeartbeat(obj, organization_id, h); });
}

core::Result<QueueDepthReport> ParseQueueDepth(std::string& body) {
  thread_local dom::parser parser;
  body.reserve(body.size() + kParsePadding);
  dom::object obj;
  if (parser.parse(body.data(), body.size(), false).get(obj)) {
    return core::Status::InvalidArgument("body: expected a JSON object");
  }
  QueueDepthReport r;
  std::optional<double> depth;
  for (auto [key, v] : obj) {
    std::string err;
    if (key == "source_id" || key == "agent_id") {
      err = ReadString(v, key, &r.source_id);
    } else if (key == "depth" || key == "queue_depth") {
      err = ReadNumber(v, key, &depth);
    }
    if (!err.empty()) return core::Status::InvalidArgument(err);
  }
  if (r.source_id.empty()) return core::Status::InvalidArgument("source_id: required");
  if (!depth) return core::Status::InvalidArgument("depth: required");
  if (*depth < 0 || *depth > 1e12 || *depth != static_cast<double>(static_cast<int64_t>(*depth))) {
    return core::Status::InvalidArgument("depth: must be a whole number between 0 and 1e12");
  }
  r.depth = static_cast<int64_t>(*depth);
  return r;
}

}  // namespace vitals::server
