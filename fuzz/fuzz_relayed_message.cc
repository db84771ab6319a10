// Relayed stream messages (issue 16): entries of vitals:events written by another node.
#include "cluster/event_fanout.h"
#include "fuzz/fuzz_contract.h"

using vitals::fuzz::Require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = vitals::fuzz::Text(data, size);
  auto decoded = vitals::cluster::DecodeRelayed(bytes);
  if (!decoded.ok()) {
    Require(!decoded.status().message().empty(), "a refusal says why");
    return 0;
  }
  const std::string encoded = vitals::cluster::EncodeRelayed(*decoded);
  auto again = vitals::cluster::DecodeRelayed(encoded);
  Require(again.ok(), "what was decoded encodes into something that decodes");
  Require(again.ok() && vitals::cluster::EncodeRelayed(*again) == encoded,
          "encoding is stable over a round trip");
  return 0;
}
