// Maintenance window specs (POST /api/v1/maintenance-windows, and the stored form).
#include "fuzz/fuzz_contract.h"
#include "server/notify/spec_json.h"

using vitals::fuzz::Require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string org = "org";
  auto parse = [&](std::string_view json) { return vitals::server::ParseWindowSpec(json, org); };
  auto window = vitals::fuzz::RequireRoundTrip(vitals::fuzz::Text(data, size), parse,
                                               vitals::server::WindowSpecJson);
  if (!window.ok()) return 0;
  Require(window->Validate().ok(), "a parsed window is valid");
  Require(window->starts_at < window->ends_at, "a window ends after it starts");
  Require(!window->ActiveAt(window->ends_at), "the end is exclusive");
  return 0;
}
