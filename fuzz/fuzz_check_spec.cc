// Check specs (POST /api/v1/checks, and the stored form read back at start).
#include "fuzz/fuzz_contract.h"
#include "server/checks/check_spec_json.h"

using vitals::fuzz::Require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parse = [](std::string_view json) { return vitals::server::ParseCheckSpec(json, "org"); };
  auto spec = vitals::fuzz::RequireRoundTrip(vitals::fuzz::Text(data, size), parse,
                                             vitals::server::CheckSpecToJson);
  if (!spec.ok()) return 0;
  // ParseCheckSpec validates: what it returns is a spec the runner can schedule.
  Require(spec->Validate().ok(), "a parsed spec is valid");
  Require(spec->organization_id == "org", "the organization is the caller's");
  Require(spec->timeout < spec->interval, "timeout below interval");
  Require(spec->retries >= 0 && spec->retries <= 100, "retries within 0-100");
  Require(vitals::server::ParseCheckAddress(spec->kind, spec->url).ok(), "the url is usable");
  for (const vitals::server::StatusRange& r : spec->expected_status) {
    Require(r.low <= r.high, "status ranges are ordered");
  }
  return 0;
}
