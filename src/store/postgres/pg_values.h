// The PostgreSQL side of the column mappings (store/columns/*.h): PgParams collects a statement's
// parameters, PgCopyRow encodes rows for COPY ... FROM STDIN, PgRow reads a result row. All use
// PostgreSQL's text format: integers and timestamps (microseconds since the epoch) as decimal,
// doubles with 17 significant digits (so they round-trip exactly), booleans as t/f, blobs as
// bytea hex.
//
// PostgreSQL text cannot hold a NUL byte, and a UTF8 database refuses invalid UTF-8, where SQLite
// keeps both: text values are made valid by replacing each such byte with U+FFFD, so one odd
// string never fails a whole group commit.
//
// Not thread-safe; each value is used by one thread.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace vitals::store {

// `text` as PostgreSQL accepts it (see above); returns `text` itself when it already is.
std::string_view ValidPgText(std::string_view text, std::string& scratch);
std::string FormatPgDouble(double v);
// A text[] literal of `items` ({"a","b\"c"}), each made valid as ValidPgText does.
std::string PgTextArray(const std::vector<std::string_view>& items);

class PgParams {
 public:
  // Parameter i is $i (1-based), as the column mappings number them.
  void Bind(int i, int64_t v) { Set(i, std::to_string(v)); }
  void Bind(int i, int v) { Set(i, std::to_string(v)); }
  void Bind(int i, bool v) { Set(i, v ? "t" : "f"); }
  void Bind(int i, double v) { Set(i, FormatPgDouble(v)); }
  void Bind(int i, std::string_view v);
  void Bind(int i, const char* v) = delete;  // would bind as bool; pass a std::string_view
  void Bind(int i, core::Timestamp t) { Bind(i, core::ToMicros(t)); }
  void BindBlob(int i, std::string_view v);
  void BindNull(int i);
  template <typename T>
  void Bind(int i, const std::optional<T>& v) {
    if (v) {
      Bind(i, *v);
    } else {
      BindNull(i);
    }
  }

  int count() const { return static_cast<int>(values_.size()); }
  // For PQexecParams; valid until the next Bind.
  const char* const* values();

 private:
  void Set(int i, std::string v);

  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<const char*> pointers_;
};

// One row of COPY text format: Bind(i, v) must come in column order (i = 1, 2, ...).
class PgCopyRow {
 public:
  explicit PgCopyRow(std::string& out) : out_(out) {}
  ~PgCopyRow() { out_ += '\n'; }

  void Bind(int, int64_t v) { Raw(std::to_string(v)); }
  void Bind(int, int v) { Raw(std::to_string(v)); }
  void Bind(int, bool v) { Raw(v ? "t" : "f"); }
  void Bind(int, double v) { Raw(FormatPgDouble(v)); }
  void Bind(int, std::string_view v);
  void Bind(int i, const char* v) = delete;
  void Bind(int i, core::Timestamp t) { Bind(i, core::ToMicros(t)); }
  void BindNull(int) { Raw("\\N"); }
  template <typename T>
  void Bind(int i, const std::optional<T>& v) {
    if (v) {
      Bind(i, *v);
    } else {
      BindNull(i);
    }
  }

 private:
  void Raw(std::string_view v);

  std::string& out_;
  bool first_ = true;
  std::string scratch_;
};

// Row `row` of a result in text format; the result must outlive it.
class PgRow {
 public:
  PgRow(const PGresult* result, int row) : result_(result), row_(row) {}

  bool IsNull(int c) const { return PQgetisnull(result_, row_, c) != 0; }
  std::string_view TextView(int c) const {
    return {PQgetvalue(result_, row_, c), static_cast<size_t>(PQgetlength(result_, row_, c))};
  }
  std::string Text(int c) const { return std::string(TextView(c)); }
  int64_t Int(int c) const;
  std::optional<int64_t> OptInt(int c) const {
    return IsNull(c) ? std::nullopt : std::optional(Int(c));
  }
  double Double(int c) const;
  std::optional<double> OptDouble(int c) const {
    return IsNull(c) ? std::nullopt : std::optional(Double(c));
  }
  bool Bool(int c) const { return TextView(c) == "t"; }
  core::Timestamp Time(int c) const { return core::FromMicros(Int(c)); }
  std::optional<core::Timestamp> OptTime(int c) const {
    return IsNull(c) ? std::nullopt : std::optional(Time(c));
  }
  // A bytea column, decoded (the view lives until the next BlobView call on this row).
  std::string_view BlobView(int c) const;

 private:
  const PGresult* result_;
  int row_;
  mutable std::string blob_;
};

}  // namespace vitals::store
