#include "store/json_strings.h"

#include <cstdint>
#include <cstdio>

#include "core/json_string.h"

namespace vitals::store {
namespace {

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | cp >> 6));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | cp >> 12));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | cp >> 18));
    out.push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  std::optional<std::vector<std::string>> Array() {
    std::vector<std::string> values;
    if (!Eat('[')) return std::nullopt;
    if (Eat(']')) return Finish(std::move(values));
    do {
      std::string value;
      if (!String(value)) return std::nullopt;
      values.push_back(std::move(value));
    } while (Eat(','));
    if (!Eat(']')) return std::nullopt;
    return Finish(std::move(values));
  }

 private:
  std::optional<std::vector<std::string>> Finish(std::vector<std::string> values) {
    SkipSpace();
    if (pos_ != in_.size()) return std::nullopt;
    return values;
  }

  void SkipSpace() {
    while (pos_ < in_.size() &&
           (in_[pos_] == ' ' || in_[pos_] == '\n' || in_[pos_] == '\r' || in_[pos_] == '\t')) {
      ++pos_;
    }
  }

  bool Eat(char c) {
    SkipSpace();
    if (pos_ < in_.size() && in_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool Hex4(uint32_t& v) {
    if (in_.size() - pos_ < 4) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = in_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<uint32_t>(c - 'A' + 10);
      else
        return false;
    }
    return true;
  }

  bool Escape(std::string& out) {
    if (pos_ >= in_.size()) return false;
    const char c = in_[pos_++];
    const std::string_view simple = "\"\\/bfnrt";
    const std::string_view meaning = "\"\\/\b\f\n\r\t";
    if (size_t i = simple.find(c); i != std::string_view::npos) {
      out.push_back(meaning[i]);
      return true;
    }
    if (c != 'u') return false;
    uint32_t cp = 0;
    if (!Hex4(cp)) return false;
    if (cp >= 0xd800 && cp < 0xdc00) {
      uint32_t low = 0;
      if (in_.substr(pos_, 2) != "\\u") return false;
      pos_ += 2;
      if (!Hex4(low) || low < 0xdc00 || low > 0xdfff) return false;
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
    }
    AppendUtf8(out, cp);
    return true;
  }

  bool String(std::string& out) {
    if (!Eat('"')) return false;
    while (pos_ < in_.size()) {
      const char c = in_[pos_++];
      if (c == '"') return true;
      if (c == '\\') {
        if (!Escape(out)) return false;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        return false;
      } else {
        out.push_back(c);
      }
    }
    return false;
  }

  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

std::string EncodeJsonStrings(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    core::AppendJsonString(out, values[i]);
  }
  out.push_back(']');
  return out;
}

std::optional<std::vector<std::string>> DecodeJsonStrings(std::string_view json) {
  return Parser(json).Array();
}

}  // namespace vitals::store
