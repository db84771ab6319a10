#include "server/json/json_writer.h"
#include "server/json/views_json.h"
#include "server/notify/channel.h"

namespace vitals::server {

std::string PayloadJson(const Payload& p) {
  JsonWriter w;
  w.BeginObject()
      .Field("change", p.change)
      .Field("organization_id", p.organization_id)
      .Field("route_id", p.route_id)
      .Field("sent_at", p.sent_at)
      .Key("alert");
  WriteAlert(w, p.alert);
  w.EndObject();
  return w.Take();
}

}  // namespace vitals::server
