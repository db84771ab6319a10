// Ingest bodies as JSON (an object or an array of objects), and the queue-depth report.
#include "fuzz/fuzz_contract.h"
#include "fuzz/fuzz_ingest.h"

using vitals::fuzz::Require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(vitals::fuzz::Text(data, size));
  vitals::fuzz::CheckIngest(body, vitals::server::BodyFormat::kJson);
  std::string depth_body = body;
  auto depth = vitals::server::ParseQueueDepth(depth_body);
  if (depth.ok()) {
    Require(!depth->source_id.empty(), "a depth report names its source");
    Require(depth->depth >= 0 && depth->depth <= 1'000'000'000'000, "depth within [0, 1e12]");
  }
  return 0;
}
