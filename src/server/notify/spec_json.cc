#include "server/notify/spec_json.h"

#include <simdjson.h>

#include "server/json/json_writer.h"

namespace vitals::server {
namespace {

namespace dom = simdjson::dom;
using core::Status;

Status Bad(std::string_view field, std::string_view what) {
  return Status::InvalidArgument(std::string(field) + ": " + std::string(what));
}

Status GetString(dom::object o, std::string_view field, bool required, std::string* out) {
  dom::element v;
  if (o[field].get(v) != simdjson::SUCCESS) {
    return required ? Bad(field, "required") : Status::Ok();
  }
  std::string_view s;
  if (v.get_string().get(s)) return Bad(field, "expected a string");
  *out = std::string(s);
  return Status::Ok();
}

Status GetStrings(dom::object o, std::string_view field, std::vector<std::string>* out) {
  dom::element v;
  if (o[field].get(v) != simdjson::SUCCESS) return Status::Ok();
  dom::array a;
  if (v.get_array().get(a)) return Bad(field, "expected an array of strings");
  for (dom::element e : a) {
    std::string_view s;
    if (e.get_string().get(s)) return Bad(field, "expected an array of strings");
    out->emplace_back(s);
  }
  return Status::Ok();
}

Status GetInt(dom::object o, std::string_view field, int64_t lo, int64_t hi, int64_t* out) {
  dom::element v;
  if (o[field].get(v) != simdjson::SUCCESS) return Status::Ok();
  int64_t n = 0;
  if (v.get_int64().get(n) || n < lo || n > hi) {
    return Bad(field, "expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
  }
  *out = n;
  return Status::Ok();
}

Status ParseFilters(dom::object o, DeliveryRoute* r) {
  std::vector<std::string> names;
  if (Status s = GetStrings(o, "severities", &names); !s.ok()) return s;
  for (const std::string& n : names) {
    auto sev = core::ParseAlertSeverity(n);
    if (!sev) return Bad("severities", "unknown severity \"" + n + "\" (info, warning, critical)");
    r->severities.push_back(*sev);
  }
  names.clear();
  if (Status s = GetStrings(o, "source_types", &names); !s.ok()) return s;
  for (const std::string& n : names) {
    auto src = core::ParseAlertSource(n);
    if (!src) return Bad("source_types", "unknown source type \"" + n + "\"");
    r->source_types.push_back(*src);
  }
  return GetStrings(o, "source_ids", &r->source_ids);
}

Status ParseRouteObject(dom::object o, DeliveryRoute* r) {
  std::string kind;
  if (Status s = GetString(o, "id", true, &r->id); !s.ok()) return s;
  if (Status s = GetString(o, "kind", true, &kind); !s.ok()) return s;
  auto k = ParseChannelKind(kind);
  if (!k) return Bad("kind", "expected webhook, slack, alertmanager or command");
  r->kind = *k;
  if (r->kind == ChannelKind::kCommand) {
    if (Status s = GetStrings(o, "command", &r->command); !s.ok()) return s;
  } else if (Status s = GetString(o, "url", true, &r->url); !s.ok()) {
    return s;
  }
  if (Status s = GetString(o, "secret", false, &r->secret); !s.ok()) return s;
  if (Status s = ParseFilters(o, r); !s.ok()) return s;
  int64_t reminder = 0, attempts = r->max_attempts, timeout_ms = r->timeout.count() / 1000;
  if (Status s = GetInt(o, "reminder_seconds", 0, 86400 * 30, &reminder); !s.ok()) return s;
  if (Status s = GetInt(o, "max_attempts", 1, 100, &attempts); !s.ok()) return s;
  if (Status s = GetInt(o, "timeout_ms", 1, 600000, &timeout_ms); !s.ok()) return s;
  r->reminder_interval = core::Seconds(static_cast<double>(reminder));
  r->max_attempts = static_cast<int>(attempts);
  r->timeout = core::Millis(static_cast<double>(timeout_ms));
  return r->Validate();
}

Status GetTime(dom::object o, std::string_view field, core::Timestamp* out) {
  std::string text;
  if (Status s = GetString(o, field, true, &text); !s.ok()) return s;
  auto t = core::ParseTimestamp(text);
  if (!t) return Bad(field, "expected an RFC 3339 time");
  *out = *t;
  return Status::Ok();
}

Status ParseWindowObject(dom::object o, MaintenanceWindow* w) {
  if (Status s = GetString(o, "id", true, &w->id); !s.ok()) return s;
  if (Status s = GetStrings(o, "agents", &w->agents); !s.ok()) return s;
  if (Status s = GetStrings(o, "integrations", &w->integrations); !s.ok()) return s;
  dom::element v;
  if (o["labels"].get(v) == simdjson::SUCCESS) {
    dom::object labels;
    if (v.get_object().get(labels)) return Bad("labels", "expected an object of strings");
    for (auto [key, value] : labels) {
      std::string_view s;
      if (value.get_string().get(s)) return Bad("labels", "expected an object of strings");
      w->labels.emplace_back(std::string(key), std::string(s));
    }
  }
  if (Status s = GetTime(o, "starts_at", &w->starts_at); !s.ok()) return s;
  if (Status s = GetTime(o, "ends_at", &w->ends_at); !s.ok()) return s;
  return w->Validate();
}

template <typename T, typename Fn>
core::Result<T> ParseObject(std::string_view json, Fn parse_fields) {
  dom::parser parser;
  dom::element root;
  dom::object o;
  if (parser.parse(json.data(), json.size()).get(root) || root.get_object().get(o)) {
    return Status::InvalidArgument("body: expected a JSON object");
  }
  T value;
  if (Status s = parse_fields(o, &value); !s.ok()) return s;
  return value;
}

void WriteStrings(JsonWriter& w, std::string_view key, const std::vector<std::string>& list) {
  w.Key(key).BeginArray();
  for (const std::string& s : list) w.String(s);
  w.EndArray();
}

}  // namespace

core::Result<DeliveryRoute> ParseRouteSpec(std::string_view json,
                                           const std::string& organization_id) {
  auto r = ParseObject<DeliveryRoute>(json, ParseRouteObject);
  if (r.ok()) r->organization_id = organization_id;
  return r;
}

std::string RouteSpecJson(const DeliveryRoute& r, bool with_secret) {
  JsonWriter w;
  w.BeginObject().Field("id", r.id).Field("kind", ChannelKindName(r.kind));
  if (r.kind == ChannelKind::kCommand) {
    WriteStrings(w, "command", r.command);
  } else {
    w.Field("url", r.url);
  }
  if (with_secret) {
    w.Field("secret", r.secret);
  } else {
    w.Field("secret_set", !r.secret.empty());
  }
  w.Key("severities").BeginArray();
  for (core::AlertSeverity s : r.severities) w.String(core::AlertSeverityName(s));
  w.EndArray().Key("source_types").BeginArray();
  for (core::AlertSource s : r.source_types) w.String(core::AlertSourceName(s));
  w.EndArray();
  WriteStrings(w, "source_ids", r.source_ids);
  w.Field("reminder_seconds", static_cast<int64_t>(r.reminder_interval.count() / 1'000'000))
      .Field("max_attempts", r.max_attempts)
      .Field("timeout_ms", static_cast<int64_t>(r.timeout.count() / 1000))
      .EndObject();
  return w.Take();
}

core::Result<MaintenanceWindow> ParseWindowSpec(std::string_view json,
                                                const std::string& organization_id) {
  auto r = ParseObject<MaintenanceWindow>(json, ParseWindowObject);
  if (r.ok()) r->organization_id = organization_id;
  return r;
}

std::string WindowSpecJson(const MaintenanceWindow& m) {
  JsonWriter w;
  w.BeginObject().Field("id", m.id);
  WriteStrings(w, "agents", m.agents);
  WriteStrings(w, "integrations", m.integrations);
  w.Key("labels").BeginObject();
  for (const auto& [k, v] : m.labels) w.Field(k, v);
  w.EndObject().Field("starts_at", m.starts_at).Field("ends_at", m.ends_at).EndObject();
  return w.Take();
}

}  // namespace vitals::server
