#include "server/api/query_params.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace vitals::server {

using core::Status;

core::Status KnownParams(const HttpRequest& r, std::initializer_list<std::string_view> accepted) {
  for (const auto& [name, value] : r.query) {
    if (name == "token" || name == "api_key") continue;
    if (std::find(accepted.begin(), accepted.end(), name) != accepted.end()) continue;
    std::string message = std::string(name).substr(0, 64) + ": unknown query parameter; ";
    if (accepted.size() == 0) {
      message += "this endpoint takes none";
    } else {
      message += "this endpoint takes";
      const char* sep = " ";
      for (std::string_view a : accepted) {
        message.append(sep).append(a);
        sep = ", ";
      }
    }
    return Status::InvalidArgument(std::move(message));
  }
  return Status::Ok();
}

core::Result<int64_t> IntParam(const HttpRequest& r, std::string_view name, int64_t fallback,
                               int64_t lo, int64_t hi) {
  const auto v = r.Query(name);
  if (!v) return fallback;
  int64_t out = 0;
  const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size() || out < lo || out > hi) {
    return Status::InvalidArgument(std::string(name) + ": expected an integer between " +
                                   std::to_string(lo) + " and " + std::to_string(hi) + ", got \"" +
                                   std::string(v->substr(0, 32)) + "\"");
  }
  return out;
}

core::Result<std::optional<core::Timestamp>> TimeParam(const HttpRequest& r,
                                                       std::string_view name) {
  const auto v = r.Query(name);
  if (!v || v->empty()) return std::optional<core::Timestamp>();
  if (auto t = core::ParseTimestamp(*v)) return std::optional<core::Timestamp>(*t);
  double secs = 0;
  const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), secs);
  if (ec == std::errc() && ptr == v->data() + v->size() && std::isfinite(secs) &&
      std::abs(secs) < 1e11) {
    return std::optional<core::Timestamp>(
        core::FromMicros(static_cast<int64_t>(std::llround(secs * 1e6))));
  }
  return Status::InvalidArgument(std::string(name) +
                                 ": expected an RFC 3339 time or seconds since the epoch, got \"" +
                                 std::string(v->substr(0, 40)) + "\"");
}

core::Result<std::optional<bool>> BoolParam(const HttpRequest& r, std::string_view name) {
  const auto v = r.Query(name);
  if (!v) return std::optional<bool>();
  if (*v == "true" || *v == "1") return std::optional<bool>(true);
  if (*v == "false" || *v == "0") return std::optional<bool>(false);
  return Status::InvalidArgument(std::string(name) + ": expected true or false");
}

}  // namespace vitals::server
