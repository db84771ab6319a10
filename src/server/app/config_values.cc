#include "server/app/config_values.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace vitals::server {

using core::Status;

namespace {
// The power of ten of |v|'s leading digit (0 for 0).
int Magnitude(double v) {
  return v == 0 ? 0 : static_cast<int>(std::floor(std::log10(std::fabs(v))));
}
}  // namespace

Status ParseDouble(std::string_view name, std::string_view text, double lo, double hi,
                   double* out) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v) || v < lo ||
      v > hi) {
    return Status::InvalidArgument(std::string(name) + ": expected a number between " + Num(lo) +
                                   " and " + Num(hi) + ", got \"" + std::string(text) + "\"");
  }
  *out = v;
  return Status::Ok();
}

Status ParseInt64(std::string_view name, std::string_view text, int64_t lo, int64_t hi,
                  int64_t* out) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < lo || v > hi) {
    return Status::InvalidArgument(std::string(name) + ": expected an integer between " +
                                   std::to_string(lo) + " and " + std::to_string(hi) + ", got \"" +
                                   std::string(text) + "\"");
  }
  *out = v;
  return Status::Ok();
}

Status ParseBool(std::string_view name, std::string_view text, bool* out) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") {
    *out = true;
  } else if (text == "false" || text == "0" || text == "no" || text == "off") {
    *out = false;
  } else {
    return Status::InvalidArgument(std::string(name) + ": expected true or false, got \"" +
                                   std::string(text) + "\"");
  }
  return Status::Ok();
}

std::string Num(double v) {
  // Shortest text that reads back as `v`, in plain decimal up to 1e15 (never "1e+09").
  char buf[64];
  for (int digits = 6; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, std::fabs(v) < 1e15 ? "%.*f" : "%.*g",
                  std::fabs(v) < 1e15 ? std::max(0, digits - 1 - Magnitude(v)) : digits, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s = buf;
  if (s.find('.') != std::string::npos && s.find('e') == std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

ConfigOption Double(std::string key, std::string env, std::string flag, std::string help,
                    double ServerConfig::*field, double lo, double hi) {
  return {key,
          env,
          flag,
          help,
          [key, field, lo, hi](ServerConfig& c, std::string_view t) {
            return ParseDouble(key, t, lo, hi, &(c.*field));
          },
          [field](const ServerConfig& c) { return Num(c.*field); }};
}

ConfigOption Size(std::string key, std::string env, std::string flag, std::string help,
                  size_t ServerConfig::*field, int64_t lo, int64_t hi) {
  return {key,
          std::move(env),
          std::move(flag),
          std::move(help),
          [key, field, lo, hi](ServerConfig& c, std::string_view t) {
            return ParseInt(key, t, lo, hi, &(c.*field));
          },
          [field](const ServerConfig& c) { return std::to_string(c.*field); }};
}

ConfigOption Bool(std::string key, std::string env, std::string flag, std::string help,
                  bool ServerConfig::*field) {
  return {
      key,
      env,
      flag,
      help,
      [key, field](ServerConfig& c, std::string_view t) { return ParseBool(key, t, &(c.*field)); },
      [field](const ServerConfig& c) { return std::string(c.*field ? "true" : "false"); }};
}

}  // namespace vitals::server
