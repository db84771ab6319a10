#include "core/time.h"

#include <cstdio>

namespace vitals::core {
namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
constexpr int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool ReadDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

std::string FormatTimestamp(Timestamp t) {
  const int64_t us = ToMicros(t);
  int64_t secs = us / 1'000'000;
  int64_t frac = us % 1'000'000;
  if (frac < 0) {
    frac += 1'000'000;
    secs -= 1;
  }
  const std::chrono::sys_seconds ss{std::chrono::seconds(secs)};
  const auto days = std::chrono::floor<std::chrono::days>(ss);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{ss - days};
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", int(ymd.year()),
                        unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                        int(hms.minutes().count()), int(hms.seconds().count()));
  if (frac != 0) {
    if (frac % 1000 == 0) {
      n += std::snprintf(buf + n, sizeof buf - n, ".%03d", int(frac / 1000));
    } else {
      n += std::snprintf(buf + n, sizeof buf - n, ".%06d", int(frac));
    }
  }
  buf[n++] = 'Z';
  return std::string(buf, n);
}

std::optional<Timestamp> ParseTimestamp(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (!ReadDigits(s, 0, 4, &year) || s.size() < 19 || s[4] != '-' || !ReadDigits(s, 5, 2, &month) ||
      s[7] != '-' || !ReadDigits(s, 8, 2, &day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !ReadDigits(s, 11, 2, &hour) || s[13] != ':' || !ReadDigits(s, 14, 2, &minute) ||
      s[16] != ':' || !ReadDigits(s, 17, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t micros = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  int64_t offset_minutes = 0;
  if (pos < s.size()) {
    const char c = s[pos];
    if ((c == 'Z' || c == 'z') && pos + 1 == s.size()) {
      pos += 1;
    } else if (c == '+' || c == '-') {
      int oh, om;
      if (!ReadDigits(s, pos + 1, 2, &oh) || oh > 23) return std::nullopt;
      size_t mpos = pos + 3;
      if (mpos < s.size() && s[mpos] == ':') ++mpos;
      if (!ReadDigits(s, mpos, 2, &om) || om > 59 || mpos + 2 != s.size()) return std::nullopt;
      offset_minutes = (oh * 60 + om) * (c == '-' ? -1 : 1);
      pos = s.size();
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  const int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t secs =
      days * 86400 + hour * 3600 + minute * 60 + (second == 60 ? 59 : second) - offset_minutes * 60;
  // An offset may carry the time out of the years 0000-9999 in UTC, which FormatTimestamp
  // cannot write as RFC 3339: refused, so every accepted time reads back as written.
  constexpr int64_t kFirst = DaysFromCivil(0, 1, 1) * 86400;
  constexpr int64_t kEnd = DaysFromCivil(10000, 1, 1) * 86400;
  if (secs < kFirst || secs >= kEnd) return std::nullopt;
  return FromMicros(secs * 1'000'000 + micros);
}

}  // namespace vitals::core
