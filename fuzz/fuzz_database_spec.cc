// Database specs (POST /api/v1/databases) and the target URLs inside them.
#include "collect/collector_specs.h"
#include "collect/database_spec.h"
#include "fuzz/fuzz_contract.h"

using vitals::fuzz::Require;

namespace {

void CheckUrl(std::string_view url) {
  auto parsed = vitals::collect::ParseDatabaseUrl(url);
  if (!parsed.ok()) return;
  Require(parsed->port >= 0 && parsed->port <= 65535, "a port fits in 16 bits");
  if (parsed->kind == vitals::collect::DatabaseKind::kSqlite) {
    Require(!parsed->path.empty() && parsed->path.front() == '/', "sqlite paths are absolute");
  } else {
    Require(!parsed->host.empty(), "network databases name a host");
  }
  const std::string redacted = vitals::collect::RedactUrl(url);
  if (!parsed->password.empty()) {
    Require(redacted.find("***") != std::string::npos, "a password is redacted");
  }
  auto again = vitals::collect::ParseDatabaseUrl(redacted);
  Require(again.ok(), "a redacted URL still parses");
  Require(again.ok() && again->host == parsed->host && again->port == parsed->port,
          "redaction keeps the host and port");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = vitals::fuzz::Text(data, size);
  CheckUrl(text);
  auto parse = [](std::string_view json) { return vitals::collect::ParseDatabaseSpec(json, "o"); };
  auto spec = vitals::fuzz::RequireRoundTrip(text, parse, vitals::collect::DatabaseSpecToJson);
  if (spec.ok()) CheckUrl(spec->url);
  return 0;
}
