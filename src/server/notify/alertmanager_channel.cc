#include "server/notify/alertmanager_channel.h"

#include "server/json/json_writer.h"

namespace vitals::server {

std::string AlertmanagerAlertsJson(const Payload& p, const AlertmanagerOptions& options) {
  const core::Alert& a = p.alert;
  const core::Timestamp ends_at = a.resolved_at ? *a.resolved_at : p.sent_at + options.hold_for;
  JsonWriter w;
  w.BeginArray().BeginObject().Key("labels").BeginObject();
  w.Field("alertname", a.type.empty() ? std::string("vitals") : a.type)
      .Field("severity", core::AlertSeverityName(a.severity))
      .Field("source_type", core::AlertSourceName(a.source_type))
      .Field("source_id", a.source_id)
      .Field("organization", a.organization_id)
      .Field("vitals_alert_id", a.id)
      .EndObject();
  w.Key("annotations")
      .BeginObject()
      .Field("summary", a.message)
      .Field("description", std::string(core::AlertSourceName(a.source_type)) + " " + a.source_id +
                                ": " + a.message)
      .EndObject();
  w.Field("startsAt", a.raised_at).Field("endsAt", ends_at);
  if (!options.external_url.empty()) {
    w.Field("generatorURL", options.external_url + "/api/health/alerts");
  }
  w.EndObject().EndArray();
  return w.Take();
}

core::Status AlertmanagerChannel::Deliver(const Payload& payload, std::string* detail) {
  return PostJson(base_, "/api/v2/alerts", AlertmanagerAlertsJson(payload, options_), {},
                  std::chrono::duration_cast<std::chrono::milliseconds>(timeout_), detail);
}

}  // namespace vitals::server
