// gzip request bodies (Content-Encoding: gzip): inflating stays within the limit, and what
// Gzip() writes inflates back to the original.
#include <string>

#include "fuzz/fuzz_contract.h"
#include "server/http/gzip_codec.h"

using vitals::fuzz::Require;

namespace {
constexpr size_t kLimit = 1 << 20;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = vitals::fuzz::Text(data, size);
  auto inflated = vitals::server::Gunzip(bytes, kLimit);
  if (inflated.ok()) {
    Require(inflated->size() <= kLimit, "output within the limit");
  } else {
    const auto code = inflated.status().code();
    Require(code == vitals::core::StatusCode::kInvalidArgument ||
                code == vitals::core::StatusCode::kPayloadTooLarge,
            "corrupt gzip is InvalidArgument, a bomb PayloadTooLarge");
  }
  auto back = vitals::server::Gunzip(vitals::server::Gzip(bytes), kLimit);
  Require(back.ok() && *back == bytes, "Gunzip(Gzip(x)) is x");
  if (size == 0) return 0;
  auto small = vitals::server::Gunzip(vitals::server::Gzip(bytes), size - 1);
  Require(!small.ok() && small.status().code() == vitals::core::StatusCode::kPayloadTooLarge,
          "more than the limit is PayloadTooLarge");
  return 0;
}
