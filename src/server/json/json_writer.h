// JsonWriter: builds JSON text by appending to one string, with commas and escaping handled.
// Used for every response and streamed event, so it allocates nothing beyond the output, and
// keeps no state beyond it either: whether a comma is due is read from the last character.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_string.h"
#include "core/time.h"

namespace vitals::server {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // The next value's key. REQUIRES: inside an object.
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Uint(uint64_t v);
  // Non-finite numbers are written as null (JSON has no NaN).
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // Already-serialized JSON (e.g. stored metadata), inserted verbatim. REQUIRES: valid JSON.
  JsonWriter& Raw(std::string_view json);
  // RFC 3339 UTC.
  JsonWriter& Time(core::Timestamp t);

  // Key plus value, for brevity. Optional values write null when empty.
  template <typename T>
  JsonWriter& Field(std::string_view key, const T& value) {
    Key(key);
    return Value(value);
  }

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  JsonWriter& Value(std::string_view v) { return String(v); }
  JsonWriter& Value(const std::string& v) { return String(v); }
  JsonWriter& Value(const char* v) { return String(v); }
  JsonWriter& Value(bool v) { return Bool(v); }
  JsonWriter& Value(int v) { return Int(v); }
  JsonWriter& Value(int64_t v) { return Int(v); }
  JsonWriter& Value(uint64_t v) { return Uint(v); }
  JsonWriter& Value(double v) { return Double(v); }
  JsonWriter& Value(core::Timestamp v) { return Time(v); }
  template <typename T>
  JsonWriter& Value(const std::optional<T>& v) {
    return v ? Value(*v) : Null();
  }

  void Separate();

  std::string out_;
};

using core::AppendJsonString;

}  // namespace vitals::server
