#include "store/postgres/pg_values.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace vitals::store {
namespace {

// The length of the valid UTF-8 sequence at text[i], or 0 when there is none (PostgreSQL's
// rules: no overlong forms, no surrogates, at most U+10FFFF) or it is a NUL.
size_t Utf8Length(std::string_view text, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char c = b(0);
  if (c == 0) return 0;
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (b(1) < lo || b(1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (b(k) < 0x80 || b(k) > 0xBF) return 0;
  }
  return n;
}

void AppendCopyEscaped(std::string& out, std::string_view v) {
  for (char c : v) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

constexpr char kHex[] = "0123456789abcdef";

std::string Bytea(std::string_view v) {
  std::string out = "\\x";
  out.reserve(2 + 2 * v.size());
  for (unsigned char c : v) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view ValidPgText(std::string_view text, std::string& scratch) {
  size_t i = 0;
  for (size_t n; i < text.size() && (n = Utf8Length(text, i)) > 0; i += n) {
  }
  if (i == text.size()) return text;
  scratch.assign(text.substr(0, i));
  while (i < text.size()) {
    const size_t n = Utf8Length(text, i);
    if (n == 0) {
      scratch += "\xEF\xBF\xBD";
      ++i;
    } else {
      scratch.append(text.substr(i, n));
      i += n;
    }
  }
  return scratch;
}

std::string PgTextArray(const std::vector<std::string_view>& items) {
  std::string out = "{";
  std::string scratch;
  for (std::string_view item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : ValidPgText(item, scratch)) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string FormatPgDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

void PgParams::Set(int i, std::string v) {
  const size_t at = static_cast<size_t>(i - 1);
  if (values_.size() <= at) {
    values_.resize(at + 1);
    null_.resize(at + 1, true);
  }
  values_[at] = std::move(v);
  null_[at] = false;
}

void PgParams::Bind(int i, std::string_view v) {
  std::string scratch;
  Set(i, std::string(ValidPgText(v, scratch)));
}

void PgParams::BindBlob(int i, std::string_view v) { Set(i, Bytea(v)); }

void PgParams::BindNull(int i) {
  Set(i, "");
  null_[static_cast<size_t>(i - 1)] = true;
}

const char* const* PgParams::values() {
  pointers_.resize(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) {
    pointers_[i] = null_[i] ? nullptr : values_[i].c_str();
  }
  return pointers_.data();
}

void PgCopyRow::Raw(std::string_view v) {
  if (!first_) out_ += '\t';
  first_ = false;
  out_.append(v);
}

void PgCopyRow::Bind(int, std::string_view v) {
  if (!first_) out_ += '\t';
  first_ = false;
  AppendCopyEscaped(out_, ValidPgText(v, scratch_));
}

int64_t PgRow::Int(int c) const {
  const std::string_view v = TextView(c);
  int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

double PgRow::Double(int c) const {
  const std::string_view v = TextView(c);
  if (v == "NaN") return std::nan("");
  if (v == "Infinity") return HUGE_VAL;
  if (v == "-Infinity") return -HUGE_VAL;
  double out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

std::string_view PgRow::BlobView(int c) const {
  const std::string_view v = TextView(c);
  blob_.clear();
  if (v.size() < 2 || v[0] != '\\' || v[1] != 'x') return blob_;
  blob_.reserve((v.size() - 2) / 2);
  for (size_t i = 2; i + 1 < v.size(); i += 2) {
    const int hi = HexValue(v[i]), lo = HexValue(v[i + 1]);
    if (hi < 0 || lo < 0) break;
    blob_ += static_cast<char>(hi * 16 + lo);
  }
  return blob_;
}

}  // namespace vitals::store
