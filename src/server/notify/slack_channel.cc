#include "server/notify/slack_channel.h"

#include "server/json/json_writer.h"

namespace vitals::server {
namespace {

std::string_view Color(const Payload& p) {
  if (p.change == "resolved") return "#2eb886";  // green
  switch (p.alert.severity) {
    case core::AlertSeverity::kCritical:
      return "#d00000";
    case core::AlertSeverity::kWarning:
      return "#daa038";
    case core::AlertSeverity::kInfo:
      return "#439fe0";
  }
  return "#439fe0";
}

void ShortField(JsonWriter& w, std::string_view title, std::string_view value) {
  w.BeginObject().Field("title", title).Field("value", value).Field("short", true).EndObject();
}

}  // namespace

std::string SlackMessageJson(const Payload& p) {
  const core::Alert& a = p.alert;
  std::string text =
      "[" + std::string(core::AlertSeverityName(a.severity)) + "] " + p.change + ": " + a.message;
  if (p.change == "resolved") text = "[resolved] " + a.message;
  JsonWriter w;
  w.BeginObject().Field("text", text).Key("attachments").BeginArray();
  w.BeginObject().Field("color", Color(p)).Field("fallback", text).Key("fields").BeginArray();
  ShortField(w, "Source", std::string(core::AlertSourceName(a.source_type)) + " " + a.source_id);
  ShortField(w, "Type", a.type);
  ShortField(w, "Severity", core::AlertSeverityName(a.severity));
  ShortField(w, "Alert", a.id);
  ShortField(w, "Raised", core::FormatTimestamp(a.raised_at));
  if (a.resolved_at) ShortField(w, "Resolved", core::FormatTimestamp(*a.resolved_at));
  w.EndArray().EndObject().EndArray().EndObject();
  return w.Take();
}

core::Status SlackChannel::Deliver(const Payload& payload, std::string* detail) {
  return PostJson(target_, "", SlackMessageJson(payload), {},
                  std::chrono::duration_cast<std::chrono::milliseconds>(timeout_), detail);
}

}  // namespace vitals::server
