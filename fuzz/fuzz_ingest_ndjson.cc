// Ingest bodies as NDJSON: one object per line, each parsed on its own.
#include "fuzz/fuzz_contract.h"
#include "fuzz/fuzz_ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vitals::fuzz::CheckIngest(std::string(vitals::fuzz::Text(data, size)),
                            vitals::server::BodyFormat::kNdjson);
  return 0;
}
