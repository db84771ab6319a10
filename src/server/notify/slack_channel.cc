#include "server/notify/slack_channel.h"

#include "server/json/json_writer.h"

namespace vitals::server {
namespace {

std::string_view Color(const Payload& p) {
  if (p.change == "resolved") return "#2eb886";  // green
  switch (p.incident.severity) {
    case core::AlertSeverity::kCritical:
      return "#d00000";
    case core::AlertSeverity::kWarning:
      return "#daa038";
    case core::AlertSeverity::kInfo:
      return "#439fe0";
  }
  return "#439fe0";
}

void Field(JsonWriter& w, std::string_view title, std::string_view value, bool is_short = true) {
  w.BeginObject().Field("title", title).Field("value", value).Field("short", is_short).EndObject();
}

// One line per alert: "• heartbeat (critical): agent a1 missed 3 heartbeats".
std::string AlertLines(const core::Incident& i) {
  std::string lines;
  for (const core::Alert& a : i.alerts) {
    if (!lines.empty()) lines += '\n';
    lines += "\u2022 " + a.type + " (" + std::string(core::AlertSeverityName(a.severity)) +
             (a.open() ? "" : ", resolved") + "): " + a.message;
  }
  return lines;
}

}  // namespace

std::string SlackMessageJson(const Payload& p) {
  const core::Incident& i = p.incident;
  std::string text =
      "[" + std::string(core::AlertSeverityName(i.severity)) + "] " + p.change + ": " + i.title;
  if (p.change == "resolved") text = "[resolved] " + i.title;
  JsonWriter w;
  w.BeginObject().Field("text", text).Key("attachments").BeginArray();
  w.BeginObject().Field("color", Color(p)).Field("fallback", text).Key("fields").BeginArray();
  Field(w, "Source", std::string(core::AlertSourceName(i.source_type)) + " " + i.source_id);
  Field(w, "Cause", i.cause);
  Field(w, "Severity", core::AlertSeverityName(i.severity));
  Field(w, "Incident", i.id);
  Field(w, "Opened", core::FormatTimestamp(i.opened_at));
  if (i.resolved_at) Field(w, "Resolved", core::FormatTimestamp(*i.resolved_at));
  Field(w, "Alerts (" + std::to_string(i.alerts.size()) + ")", AlertLines(i), false);
  w.EndArray().EndObject().EndArray().EndObject();
  return w.Take();
}

core::Status SlackChannel::Deliver(const Payload& payload, std::string* detail) {
  return PostJson(target_, "", SlackMessageJson(payload), {},
                  std::chrono::duration_cast<std::chrono::milliseconds>(timeout_), detail);
}

}  // namespace vitals::server
