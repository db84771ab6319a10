// Delivery route specs (POST /api/v1/routes, and the stored form read back at start).
#include "fuzz/fuzz_contract.h"
#include "server/notify/spec_json.h"

using vitals::fuzz::Require;
using vitals::server::DeliveryRoute;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string org = "org";
  auto parse = [&](std::string_view json) { return vitals::server::ParseRouteSpec(json, org); };
  auto stored = [](const DeliveryRoute& r) { return vitals::server::RouteSpecJson(r, true); };
  auto route = vitals::fuzz::RequireRoundTrip(vitals::fuzz::Text(data, size), parse, stored);
  if (!route.ok()) return 0;
  Require(route->Validate().ok(), "a parsed route is valid");
  Require(route->organization_id == org, "the organization is the caller's");
  if (!route->secret.empty()) {
    const std::string shown = vitals::server::RouteSpecJson(*route, false);
    Require(shown.find("\"secret\":") == std::string::npos, "answers never carry the secret");
  }
  return 0;
}
