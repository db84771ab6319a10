#include "store/postgres/pg_values.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace vitals::store {
namespace {

TEST(PgValuesTest, ValidTextPassesThroughUntouched) {
  std::string scratch;
  const std::string text = "plain ascii, caf\xC3\xA9, \xE2\x82\xAC, \xF0\x9F\x98\x80";
  EXPECT_EQ(ValidPgText(text, scratch).data(), text.data());
}

TEST(PgValuesTest, NulAndInvalidUtf8BecomeReplacementCharacters) {
  std::string scratch;
  EXPECT_EQ(ValidPgText(std::string("a\0b", 3), scratch),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ValidPgText("x\xFFy", scratch), "x\xEF\xBF\xBDy");
  EXPECT_EQ(ValidPgText("\xC0\xAF", scratch), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(ValidPgText("\xED\xA0\x80", scratch),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");                              // surrogate
  EXPECT_EQ(ValidPgText("end\xE2\x82", scratch), "end\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
}

TEST(PgValuesTest, TextArraysQuoteEveryItemAndEscapeQuotesAndBackslashes) {
  EXPECT_EQ(PgTextArray({}), "{}");
  EXPECT_EQ(PgTextArray({"a", "", "b c", "{d},e"}), R"({"a","","b c","{d},e"})");
  EXPECT_EQ(PgTextArray({R"(q"u)", R"(b\s)"}), R"({"q\"u","b\\s"})");
  EXPECT_EQ(PgTextArray({std::string_view("n\0ul", 4)}), "{\"n\xEF\xBF\xBDul\"}");
}

TEST(PgValuesTest, DoublesRoundTripExactlyAndSpecialValuesHavePostgresSpellings) {
  for (double v : {0.1, 1.0 / 3.0, 1e-300, -2.5e17, 123.456}) {
    EXPECT_EQ(std::stod(FormatPgDouble(v)), v) << FormatPgDouble(v);
  }
  EXPECT_EQ(FormatPgDouble(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(FormatPgDouble(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(FormatPgDouble(std::nan("")), "NaN");
}

TEST(PgValuesTest, CopyRowsEscapeSeparatorsAndMarkNulls) {
  std::string out;
  {
    PgCopyRow row(out);
    row.Bind(1, std::string_view("tab\there\nnew\\line\r"));
    row.Bind(2, int64_t{42});
    row.Bind(3, std::optional<double>());
    row.Bind(4, true);
  }
  EXPECT_EQ(out, "tab\\there\\nnew\\\\line\\r\t42\t\\N\tt\n");
}

TEST(PgValuesTest, ParamsKeepNullsApartFromEmptyStrings) {
  PgParams p;
  p.Bind(1, std::string_view(""));
  p.BindNull(2);
  p.Bind(3, std::optional<int64_t>(7));
  p.BindBlob(4, std::string("\x00\xff", 2));
  const char* const* v = p.values();
  ASSERT_EQ(p.count(), 4);
  EXPECT_STREQ(v[0], "");
  EXPECT_EQ(v[1], nullptr);
  EXPECT_STREQ(v[2], "7");
  EXPECT_STREQ(v[3], "\\x00ff");
}

}  // namespace
}  // namespace vitals::store
