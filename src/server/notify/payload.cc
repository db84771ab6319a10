#include "server/json/json_writer.h"
#include "server/json/views_json.h"
#include "server/notify/channel.h"

namespace vitals::server {

const core::Alert& Payload::cause() const {
  static const core::Alert kNone;
  const core::Alert* worst = core::WorstCause(incident.alerts);
  return worst ? *worst : kNone;
}

std::string PayloadJson(const Payload& p) {
  JsonWriter w;
  w.BeginObject()
      .Field("change", p.change)
      .Field("organization_id", p.organization_id)
      .Field("route_id", p.route_id)
      .Field("sent_at", p.sent_at)
      .Field("idempotency_key", p.idempotency_key)
      .Key("incident");
  WriteIncident(w, p.incident);
  w.Key("alert");
  WriteAlert(w, p.cause());
  w.EndObject();
  return w.Take();
}

}  // namespace vitals::server
