#include "server/notify/alertmanager_channel.h"

#include "server/json/json_writer.h"

namespace vitals::server {

namespace {

void WriteAlert(JsonWriter& w, const Payload& p, const IncidentLabels& labels,
                core::Timestamp ends_at, const AlertmanagerOptions& options) {
  const core::Incident& i = p.incident;
  std::string description;
  for (const core::Alert& a : i.alerts) {
    if (!description.empty()) description += '\n';
    description += a.type + " (" + std::string(core::AlertSeverityName(a.severity)) +
                   (a.open() ? "" : ", resolved") + "): " + a.message;
  }
  w.BeginObject().Key("labels").BeginObject();
  w.Field("alertname", labels.cause.empty() ? std::string("vitals") : labels.cause)
      .Field("incident", i.id)
      .Field("severity", core::AlertSeverityName(labels.severity))
      .Field("source_type", core::AlertSourceName(i.source_type))
      .Field("source_id", i.source_id)
      .Field("organization", i.organization_id)
      .EndObject();
  w.Key("annotations")
      .BeginObject()
      .Field("summary", i.title)
      .Field("description", description)
      .EndObject();
  w.Field("startsAt", i.opened_at).Field("endsAt", ends_at);
  if (!options.external_url.empty()) {
    w.Field("generatorURL", options.external_url + "/api/health/incidents");
  }
  w.EndObject();
}

}  // namespace

std::string AlertmanagerAlertsJson(const Payload& p, const AlertmanagerOptions& options) {
  const core::Incident& i = p.incident;
  const core::Timestamp ends_at = i.resolved_at ? *i.resolved_at : p.sent_at + options.hold_for;
  JsonWriter w;
  w.BeginArray();
  if (i.resolved_at && p.superseded) {
    // Resolved: end the alert Alertmanager has, under the labels it was last sent with.
    WriteAlert(w, p, *p.superseded, ends_at, options);
  } else {
    WriteAlert(w, p, IncidentLabels{i.severity, i.cause}, ends_at, options);
    // The same incident under the labels it was last sent with ends now.
    if (p.superseded) WriteAlert(w, p, *p.superseded, p.sent_at, options);
  }
  w.EndArray();
  return w.Take();
}

core::Status AlertmanagerChannel::Deliver(const Payload& payload, std::string* detail) {
  return PostJson(base_, "/api/v2/alerts", AlertmanagerAlertsJson(payload, options_), {},
                  std::chrono::duration_cast<std::chrono::milliseconds>(timeout_), detail);
}

}  // namespace vitals::server
