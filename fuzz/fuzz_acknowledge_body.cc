// Acknowledge bodies (POST .../alerts/{id}/acknowledge and .../incidents/{id}/acknowledge):
// {"by": NAME} or {"acknowledged_by": NAME}, or nothing.
#include "fuzz/fuzz_contract.h"
#include "server/api/acknowledge_body.h"

using vitals::fuzz::Require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vitals::server::HttpRequest req;
  req.body = std::string(vitals::fuzz::Text(data, size));
  vitals::server::RequestContext with_key, open_mode;
  with_key.key_id = "key_1";
  auto by = vitals::server::AcknowledgedBy(req, with_key);
  auto open_by = vitals::server::AcknowledgedBy(req, open_mode);
  Require(by.ok() == open_by.ok(), "whether a body is valid does not depend on the caller");
  if (!by.ok()) {
    Require(by.status().code() == vitals::core::StatusCode::kInvalidArgument,
            "a bad body is an invalid argument");
    Require(!by.status().message().empty(), "a bad body's error names the problem");
    return 0;
  }
  Require(!by->empty() && by->size() <= 256, "a name is non-empty and at most 256 bytes");
  Require(*by == *open_by || (*by == "key_1" && *open_by == "api"),
          "a named person whoever calls; without a name, the caller's key id, else api");
  return 0;
}
