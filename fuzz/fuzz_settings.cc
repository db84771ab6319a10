// Agent settings (PUT /api/v1/agents/{id}): merged onto the defaults, written, read back.
#include "fuzz/fuzz_contract.h"
#include "server/json/settings_json.h"

using vitals::core::AgentSettings;
using vitals::fuzz::Require;

namespace {

vitals::core::Result<AgentSettings> Merge(std::string_view json) {
  AgentSettings s;
  if (vitals::core::Status st = vitals::server::MergeSettingsJson(json, &s); !st.ok()) return st;
  return s;
}

std::string Write(const AgentSettings& s) {
  vitals::server::JsonWriter w;
  vitals::server::WriteSettings(w, s);
  return w.Take();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view json = vitals::fuzz::Text(data, size);
  auto merged = vitals::fuzz::RequireRoundTrip(json, Merge, Write);
  if (!merged.ok()) {
    Require(merged.status().code() == vitals::core::StatusCode::kInvalidArgument,
            "bad settings are InvalidArgument");
    Require(!merged.status().message().empty(), "the error names the field");
  }
  return 0;
}
