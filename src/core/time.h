// Time as vitals counts it: microseconds since the Unix epoch, UTC.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vitals::core {

using Duration = std::chrono::microseconds;
using Timestamp = std::chrono::time_point<std::chrono::system_clock, Duration>;

constexpr Timestamp FromMicros(int64_t us) { return Timestamp(Duration(us)); }
constexpr int64_t ToMicros(Timestamp t) { return t.time_since_epoch().count(); }
constexpr Duration Seconds(double s) { return Duration(static_cast<int64_t>(s * 1e6)); }
constexpr Duration Millis(double ms) { return Duration(static_cast<int64_t>(ms * 1e3)); }
constexpr double ToSecondsF(Duration d) { return static_cast<double>(d.count()) / 1e6; }
constexpr double ToMillisF(Duration d) { return static_cast<double>(d.count()) / 1e3; }

// Formats as RFC 3339 in UTC: "2026-02-02T13:00:00Z", with ".123456" when there are sub-second
// microseconds ("2026-02-02T13:00:00.250Z" trims trailing zeros to milliseconds).
std::string FormatTimestamp(Timestamp t);

// Parses ISO 8601 / RFC 3339 date-times: "2026-02-02T13:00:00Z", "...13:00:00.123456+02:00",
// "2026-02-02 13:00:00" (no offset: UTC, as Python's datetime.isoformat() writes naive times).
// Returns nullopt for anything else, including out-of-range fields.
std::optional<Timestamp> ParseTimestamp(std::string_view text);

}  // namespace vitals::core
