// Workspace specs (POST /api/v1/workspaces, and the stored form read back at start).
#include "collect/collector_specs.h"
#include "fuzz/fuzz_contract.h"

using vitals::fuzz::Require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parse = [](std::string_view json) { return vitals::collect::ParseWorkspaceSpec(json, "o"); };
  auto spec = vitals::fuzz::RequireRoundTrip(vitals::fuzz::Text(data, size), parse,
                                             vitals::collect::WorkspaceSpecToJson);
  if (!spec.ok()) return 0;
  Require(spec->organization_id == "o", "the organization is the caller's");
  if (spec->ValidateFields().ok()) {
    Require(spec->warning_bytes <= spec->critical_bytes, "warning at or below critical");
    Require(!spec->path.empty() && spec->path.front() == '/', "the path is absolute");
  }
  return 0;
}
