#include "server/api/acknowledge_body.h"

#include <simdjson.h>

#include <optional>

namespace vitals::server {
namespace {

using core::Status;

// The string under `field`; nullopt when absent or null.
core::Result<std::optional<std::string>> NameField(simdjson::dom::object& o, const char* field) {
  simdjson::dom::element v;
  if (o[field].get(v) != simdjson::SUCCESS || v.is_null()) return std::optional<std::string>();
  std::string_view s;
  if (v.get_string().get(s) || s.empty() || s.size() > 256) {
    return Status::InvalidArgument(std::string(field) +
                                   ": expected a non-empty string of at most 256 bytes");
  }
  return std::optional<std::string>(std::string(s));
}

}  // namespace

core::Result<std::string> AcknowledgedBy(const HttpRequest& req, const RequestContext& ctx) {
  std::string by = ctx.key_id.empty() ? "api" : ctx.key_id;
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return by;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(req.body).get(root)) {
    return Status::InvalidArgument("body: malformed JSON, expected {\"by\": NAME}");
  }
  simdjson::dom::object o;
  if (root.get_object().get(o)) {
    return Status::InvalidArgument("body: expected a JSON object such as {\"by\": NAME}");
  }
  auto short_name = NameField(o, "by");
  if (!short_name.ok()) return short_name.status();
  auto long_name = NameField(o, "acknowledged_by");
  if (!long_name.ok()) return long_name.status();
  if (*short_name && *long_name && **short_name != **long_name) {
    return Status::InvalidArgument("acknowledged_by: differs from by; give one of them");
  }
  if (*short_name) return **short_name;
  if (*long_name) return **long_name;
  return by;
}

}  // namespace vitals::server
