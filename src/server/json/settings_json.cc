#include "server/json/settings_json.h"

#include <simdjson.h>

#include <cmath>

namespace vitals::server {
namespace {

namespace dom = simdjson::dom;
using core::Status;

Status Bad(const std::string& field, const std::string& what) {
  return Status::InvalidArgument(field + ": expected " + what);
}

Status GetNumber(dom::element e, const std::string& field, double* out) {
  if (e.get_double().get(*out) || !std::isfinite(*out)) return Bad(field, "a number");
  return Status::Ok();
}

Status GetInt(dom::element e, const std::string& field, int64_t* out) {
  double d;
  if (e.get_double().get(d) || d != std::floor(d) || std::abs(d) > 1e15) {
    return Bad(field, "an integer");
  }
  *out = static_cast<int64_t>(d);
  return Status::Ok();
}

Status GetMillis(dom::element e, const std::string& field, core::Duration* out) {
  double ms;
  if (Status s = GetNumber(e, field, &ms); !s.ok()) return s;
  if (ms < 0 || ms > 1e12) return Bad(field, "a duration in milliseconds >= 0");
  *out = core::Millis(ms);
  return Status::Ok();
}

Status MergeHeartbeat(dom::object o, core::HeartbeatConfig* c) {
  for (auto [key, value] : o) {
    const std::string f = "heartbeat." + std::string(key);
    int64_t i;
    double d;
    if (key == "interval_ms") {
      if (Status s = GetMillis(value, f, &c->interval); !s.ok()) return s;
    } else if (key == "failure_threshold") {
      if (Status s = GetInt(value, f, &i); !s.ok()) return s;
      c->failure_threshold = static_cast<int>(std::clamp<int64_t>(i, -1, 1'000'000));
    } else if (key == "mode") {
      std::string_view m;
      if (value.get_string().get(m) || !core::ParseHeartbeatMode(m)) {
        return Bad(f, "\"fixed\" or \"adaptive\"");
      }
      c->mode = *core::ParseHeartbeatMode(m);
    } else if (key == "phi_threshold") {
      if (Status s = GetNumber(value, f, &d); !s.ok()) return s;
      c->phi.threshold = d;
    } else if (key == "min_std_deviation_ms") {
      if (Status s = GetMillis(value, f, &c->phi.min_std_deviation); !s.ok()) return s;
    } else if (key == "acceptable_pause_ms") {
      if (Status s = GetMillis(value, f, &c->phi.acceptable_pause); !s.ok()) return s;
    } else if (key == "max_samples") {
      if (Status s = GetInt(value, f, &i); !s.ok()) return s;
      c->phi.max_samples = static_cast<int>(std::clamp<int64_t>(i, -1, 1'000'000));
    } else if (key == "history_size") {
      if (Status s = GetInt(value, f, &i); !s.ok()) return s;
      c->history_size = static_cast<int>(std::clamp<int64_t>(i, -1, 10'000'000));
    }
  }
  return Status::Ok();
}

Status MergeThresholds(dom::object o, core::HealthThresholds* t) {
  for (auto [key, value] : o) {
    const std::string f = "thresholds." + std::string(key);
    double* target = nullptr;
    if (key == "success_rate_healthy") target = &t->success_rate_healthy;
    if (key == "success_rate_critical") target = &t->success_rate_critical;
    if (key == "latency_p95_healthy_ms") target = &t->latency_p95_healthy_ms;
    if (key == "latency_p95_critical_ms") target = &t->latency_p95_critical_ms;
    if (key == "error_rate_healthy") target = &t->error_rate_healthy;
    if (key == "error_rate_critical") target = &t->error_rate_critical;
    if (target) {
      if (Status s = GetNumber(value, f, target); !s.ok()) return s;
    } else if (key == "consecutive_failures_critical") {
      int64_t i;
      if (Status s = GetInt(value, f, &i); !s.ok()) return s;
      t->consecutive_failures_critical = static_cast<int>(std::clamp<int64_t>(i, -1, 1'000'000));
    }
  }
  return Status::Ok();
}

Status MergeSlo(dom::object o, core::SloPolicy* p) {
  for (auto [key, value] : o) {
    const std::string f = "slo." + std::string(key);
    if (key == "enabled") {
      if (value.get_bool().get(p->enabled)) return Bad(f, "true or false");
    } else if (key == "objective") {
      if (Status s = GetNumber(value, f, &p->objective); !s.ok()) return s;
    } else if (key == "burn_rate_threshold") {
      if (Status s = GetNumber(value, f, &p->burn_rate_threshold); !s.ok()) return s;
    } else if (key == "min_events") {
      if (Status s = GetInt(value, f, &p->min_events); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

Status MergeTop(dom::object o, core::AgentSettings* s) {
  for (auto [key, value] : o) {
    const std::string f(key);
    if (key == "name" || key == "type") {
      std::string_view v;
      if (value.get_string().get(v)) return Bad(f, "a string");
      (key == "name" ? s->name : s->type) = v;
    } else if (key == "paused") {
      if (value.get_bool().get(s->paused)) return Bad(f, "true or false");
    } else if (key == "depends_on") {
      dom::array arr;
      if (value.get_array().get(arr)) return Bad(f, "an array of integration ids");
      s->depends_on.clear();
      for (dom::element e : arr) {
        std::string_view id;
        if (e.get_string().get(id) || id.empty()) return Bad(f, "an array of integration ids");
        s->depends_on.emplace_back(id);
      }
    } else if (key == "heartbeat") {
      if (value.is_null()) {
        s->heartbeat.reset();
        continue;
      }
      dom::object hb;
      if (value.get_object().get(hb)) return Bad(f, "an object or null");
      if (!s->heartbeat) s->heartbeat = core::HeartbeatConfig{};
      if (Status st = MergeHeartbeat(hb, &*s->heartbeat); !st.ok()) return st;
    } else if (key == "thresholds") {
      dom::object t;
      if (value.get_object().get(t)) return Bad(f, "an object");
      if (Status st = MergeThresholds(t, &s->thresholds); !st.ok()) return st;
    } else if (key == "slo") {
      dom::object t;
      if (value.get_object().get(t)) return Bad(f, "an object");
      if (Status st = MergeSlo(t, &s->slo); !st.ok()) return st;
    } else if (key == "stuck_after_ms") {
      if (value.is_null()) {
        s->stuck_after.reset();
        continue;
      }
      core::Duration d;
      if (Status st = GetMillis(value, f, &d); !st.ok()) return st;
      s->stuck_after = d;
    }
  }
  return Status::Ok();
}

}  // namespace

Status MergeSettingsJson(std::string_view json, core::AgentSettings* settings) {
  thread_local dom::parser parser;
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return Status::Ok();
  dom::element root;
  if (parser.parse(json.data(), json.size()).get(root)) {
    return Status::InvalidArgument("body: malformed JSON");
  }
  dom::object o;
  if (root.get_object().get(o)) return Status::InvalidArgument("body: expected a JSON object");
  core::AgentSettings merged = *settings;
  if (Status s = MergeTop(o, &merged); !s.ok()) return s;
  *settings = std::move(merged);
  return Status::Ok();
}

void WriteHeartbeatConfig(JsonWriter& w, const core::HeartbeatConfig& c) {
  w.BeginObject()
      .Field("interval_ms", core::ToMillisF(c.interval))
      .Field("failure_threshold", c.failure_threshold)
      .Field("mode", core::HeartbeatModeName(c.mode))
      .Field("phi_threshold", c.phi.threshold)
      .Field("min_std_deviation_ms", core::ToMillisF(c.phi.min_std_deviation))
      .Field("acceptable_pause_ms", core::ToMillisF(c.phi.acceptable_pause))
      .Field("max_samples", c.phi.max_samples)
      .Field("history_size", c.history_size)
      .EndObject();
}

void WriteThresholds(JsonWriter& w, const core::HealthThresholds& t) {
  w.BeginObject()
      .Field("success_rate_healthy", t.success_rate_healthy)
      .Field("success_rate_critical", t.success_rate_critical)
      .Field("latency_p95_healthy_ms", t.latency_p95_healthy_ms)
      .Field("latency_p95_critical_ms", t.latency_p95_critical_ms)
      .Field("error_rate_healthy", t.error_rate_healthy)
      .Field("error_rate_critical", t.error_rate_critical)
      .Field("consecutive_failures_critical", t.consecutive_failures_critical)
      .EndObject();
}

void WriteSettings(JsonWriter& w, const core::AgentSettings& s) {
  w.BeginObject().Field("name", s.name).Field("type", s.type).Field("paused", s.paused);
  w.Key("depends_on").BeginArray();
  for (const std::string& d : s.depends_on) w.String(d);
  w.EndArray();
  w.Key("heartbeat");
  if (s.heartbeat) {
    WriteHeartbeatConfig(w, *s.heartbeat);
  } else {
    w.Null();
  }
  w.Key("thresholds");
  WriteThresholds(w, s.thresholds);
  w.Key("slo")
      .BeginObject()
      .Field("enabled", s.slo.enabled)
      .Field("objective", s.slo.objective)
      .Field("burn_rate_threshold", s.slo.burn_rate_threshold)
      .Field("min_events", s.slo.min_events)
      .EndObject();
  w.Key("stuck_after_ms");
  if (s.stuck_after) {
    w.Double(core::ToMillisF(*s.stuck_after));
  } else {
    w.Null();
  }
  w.EndObject();
}

}  // namespace vitals::server
