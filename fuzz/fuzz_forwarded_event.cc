// Forwarded ingest events (issue 16): stream entries written by another node.
#include "cluster/forwarded_event.h"
#include "fuzz/fuzz_contract.h"

using vitals::fuzz::Require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = vitals::fuzz::Text(data, size);
  auto decoded = vitals::cluster::DecodeForwarded(bytes);
  if (!decoded.ok()) {
    Require(!decoded.status().message().empty(), "a refusal says why");
    return 0;
  }
  const std::string encoded = vitals::cluster::EncodeForwarded(*decoded);
  auto again = vitals::cluster::DecodeForwarded(encoded);
  Require(again.ok(), "what was decoded encodes into something that decodes");
  Require(again.ok() && vitals::cluster::EncodeForwarded(*again) == encoded,
          "encoding is stable over a round trip");
  return 0;
}
