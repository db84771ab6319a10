#include "collect/collector_specs.h"

#include <simdjson.h>

#include <cmath>
#include <functional>

#include "core/json_string.h"

namespace vitals::collect {
namespace {

namespace dom = simdjson::dom;
using core::Status;

Status Expected(std::string_view field, std::string_view what) {
  return Status::InvalidArgument(std::string(field) + ": expected " + std::string(what));
}

Status ReadString(dom::element v, std::string_view field, std::string* out) {
  std::string_view s;
  if (v.get_string().get(s)) return Expected(field, "a string");
  out->assign(s);
  return Status::Ok();
}

Status ReadInteger(dom::element v, std::string_view field, int64_t* out) {
  if (v.type() != dom::element_type::INT64 || v.get_int64().get(*out)) {
    return Expected(field, "an integer");
  }
  return Status::Ok();
}

// A positive-or-not number of `unit_us` microseconds (1e6 for seconds, 1e3 for milliseconds).
Status ReadDuration(dom::element v, std::string_view field, double unit_us, core::Duration* out) {
  double d = 0;
  const auto t = v.type();
  const bool number = t == dom::element_type::INT64 || t == dom::element_type::UINT64 ||
                      t == dom::element_type::DOUBLE;
  if (!number || v.get_double().get(d) || !std::isfinite(d) || std::abs(d) > 1e12) {
    return Expected(field, "a number");
  }
  *out = core::Duration(static_cast<int64_t>(d * unit_us));
  return Status::Ok();
}

using FieldReader = std::function<Status(dom::element)>;

// Parses `json` as an object and hands each field to its reader; `required` fields must appear.
Status ReadObject(std::string_view json,
                  const std::vector<std::pair<std::string_view, FieldReader>>& readers,
                  std::initializer_list<std::string_view> required) {
  dom::parser parser;
  dom::element root;
  dom::object object;
  if (parser.parse(json.data(), json.size()).get(root) || root.get_object().get(object)) {
    return Status::InvalidArgument("body: expected a JSON object");
  }
  for (dom::key_value_pair field : object) {
    auto it = std::find_if(readers.begin(), readers.end(),
                           [&](const auto& r) { return r.first == field.key; });
    if (it == readers.end()) {
      return Status::InvalidArgument(std::string(field.key) + ": unknown field");
    }
    if (Status st = it->second(field.value); !st.ok()) return st;
  }
  for (std::string_view field : required) {
    dom::element ignored;
    if (object[field].get(ignored))
      return Status::InvalidArgument(std::string(field) + ": required");
  }
  return Status::Ok();
}

void AppendField(std::string& out, std::string_view key) {
  if (out.size() > 1) out += ',';
  core::AppendJsonString(out, key);
  out += ':';
}

std::string Number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

core::Result<WorkspaceSpec> ParseWorkspaceSpec(std::string_view json, std::string organization_id) {
  WorkspaceSpec s;
  s.organization_id = std::move(organization_id);
  Status st = ReadObject(
      json,
      {{"id", [&](dom::element v) { return ReadString(v, "id", &s.id); }},
       {"path", [&](dom::element v) { return ReadString(v, "path", &s.path); }},
       {"warning_bytes",
        [&](dom::element v) { return ReadInteger(v, "warning_bytes", &s.warning_bytes); }},
       {"critical_bytes",
        [&](dom::element v) { return ReadInteger(v, "critical_bytes", &s.critical_bytes); }},
       {"max_entries",
        [&](dom::element v) { return ReadInteger(v, "max_entries", &s.max_entries); }},
       {"time_budget_ms",
        [&](dom::element v) { return ReadDuration(v, "time_budget_ms", 1e3, &s.time_budget); }},
       {"interval_seconds",
        [&](dom::element v) { return ReadDuration(v, "interval_seconds", 1e6, &s.interval); }}},
      {"id", "path"});
  if (!st.ok()) return st;
  return s;
}

core::Result<DatabaseSpec> ParseDatabaseSpec(std::string_view json, std::string organization_id) {
  DatabaseSpec s;
  s.organization_id = std::move(organization_id);
  Status st = ReadObject(
      json,
      {{"id", [&](dom::element v) { return ReadString(v, "id", &s.id); }},
       {"url", [&](dom::element v) { return ReadString(v, "url", &s.url); }},
       {"interval_seconds",
        [&](dom::element v) { return ReadDuration(v, "interval_seconds", 1e6, &s.interval); }},
       {"timeout_ms",
        [&](dom::element v) { return ReadDuration(v, "timeout_ms", 1e3, &s.timeout); }}},
      {"id", "url"});
  if (!st.ok()) return st;
  return s;
}

std::string WorkspaceSpecToJson(const WorkspaceSpec& s) {
  std::string out = "{";
  AppendField(out, "id");
  core::AppendJsonString(out, s.id);
  AppendField(out, "path");
  core::AppendJsonString(out, s.path);
  AppendField(out, "warning_bytes");
  out += std::to_string(s.warning_bytes);
  AppendField(out, "critical_bytes");
  out += std::to_string(s.critical_bytes);
  AppendField(out, "max_entries");
  out += std::to_string(s.max_entries);
  AppendField(out, "time_budget_ms");
  out += Number(core::ToMillisF(s.time_budget));
  AppendField(out, "interval_seconds");
  out += Number(core::ToSecondsF(s.interval));
  return out + "}";
}

std::string DatabaseSpecToJson(const DatabaseSpec& s) {
  std::string out = "{";
  AppendField(out, "id");
  core::AppendJsonString(out, s.id);
  AppendField(out, "url");
  core::AppendJsonString(out, s.url);
  AppendField(out, "interval_seconds");
  out += Number(core::ToSecondsF(s.interval));
  AppendField(out, "timeout_ms");
  out += Number(core::ToMillisF(s.timeout));
  return out + "}";
}

core::Result<LoadReport> LoadCollectorSpecs(store::Store& store, CollectorRunner& runner,
                                            const SpecAdmission& admission) {
  LoadReport report;
  auto note = [&](const store::ResourceRecord& r, const Status& st) {
    report.errors.push_back(r.kind + " " + r.organization_id + "/" + r.id + ": " + st.message());
  };
  if (runner.options().workspaces_enabled) {
    auto rows = store.ListResources(kWorkspaceKind);
    if (!rows.ok()) return rows.status();
    for (const store::ResourceRecord& r : *rows) {
      auto spec = ParseWorkspaceSpec(r.spec_json, r.organization_id);
      Status st = spec.status();
      if (st.ok() && admission.workspace) st = admission.workspace(*spec);
      if (st.ok()) st = runner.AddWorkspace(std::move(*spec));
      st.ok() ? void(++report.workspaces) : note(r, st);
    }
  }
  if (runner.options().databases_enabled) {
    auto rows = store.ListResources(kDatabaseKind);
    if (!rows.ok()) return rows.status();
    for (const store::ResourceRecord& r : *rows) {
      auto spec = ParseDatabaseSpec(r.spec_json, r.organization_id);
      Status st = spec.status();
      if (st.ok() && admission.database) st = admission.database(*spec);
      if (st.ok()) st = runner.AddDatabase(std::move(*spec));
      st.ok() ? void(++report.databases) : note(r, st);
    }
  }
  return report;
}

}  // namespace vitals::collect
