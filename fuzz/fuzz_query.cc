// Request targets: the percent-decoding of path and query (ParseTarget), the typed query
// parameters handlers read (query_params.h) and the RFC 3339 times inside them.
#include <cctype>
#include <string>

#include "core/time.h"
#include "fuzz/fuzz_contract.h"
#include "server/api/query_params.h"
#include "server/http/http_types.h"

using vitals::fuzz::Require;
using vitals::server::HttpRequest;

namespace {

// Percent-encodes every byte but the unreserved ones (and '/' when `keep_slash`).
std::string Encode(std::string_view in, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : in) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(c);
    } else {
      out += '%';
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    }
  }
  return out;
}

void CheckRoundTrip(const HttpRequest& r) {
  std::string target = Encode(r.path, true);
  for (size_t i = 0; i < r.query.size(); ++i) {
    target += i == 0 ? '?' : '&';
    target += Encode(r.query[i].first, false) + "=" + Encode(r.query[i].second, false);
  }
  HttpRequest again;
  Require(vitals::server::ParseTarget(target, &again.path, &again.query),
          "an encoded target parses");
  Require(again.path == r.path && again.query == r.query, "decode(encode(target)) is the target");
}

void CheckParams(const HttpRequest& r) {
  bool all_known = true;
  for (const auto& [name, value] : r.query) {
    all_known =
        all_known && (name == "limit" || name == "since" || name == "token" || name == "api_key");
  }
  const vitals::core::Status known = vitals::server::KnownParams(r, {"limit", "since"});
  Require(known.ok() == all_known, "only unknown parameters are refused (F22)");
  Require(known.ok() || known.message().find("unknown query parameter") != std::string::npos,
          "a refusal names the unknown parameter");
  if (auto limit = vitals::server::IntParam(r, "limit", 50, 1, 1000); limit.ok()) {
    Require(*limit >= 1 && *limit <= 1000, "an integer parameter is within its bounds");
  }
  (void)vitals::server::BoolParam(r, "paused");
  auto since = vitals::server::TimeParam(r, "since");
  if (since.ok() && *since) {
    const auto text = vitals::core::FormatTimestamp(**since);
    Require(vitals::core::ParseTimestamp(text) == **since, "a time reads back as written");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view target = vitals::fuzz::Text(data, size);
  HttpRequest r;
  if (!vitals::server::ParseTarget(target, &r.path, &r.query)) return 0;
  Require(!r.path.empty() && r.path.front() == '/', "a decoded path starts with '/'");
  CheckRoundTrip(r);
  CheckParams(r);
  if (auto t = vitals::core::ParseTimestamp(target.substr(1))) {
    Require(vitals::core::ParseTimestamp(vitals::core::FormatTimestamp(*t)) == *t,
            "an RFC 3339 time reads back as written");
  }
  return 0;
}
