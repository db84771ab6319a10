#include "store/json_strings.h"

#include <gtest/gtest.h>

namespace vitals::store {
namespace {

TEST(JsonStringsTest, RoundTripsEscapesAndUtf8) {
  const std::vector<std::string> values = {"", "plain", "quote \" and \\ backslash",
                                           "tab\tnew\nline\x01", "héllo ✓ 😀"};
  const std::string json = EncodeJsonStrings(values);
  EXPECT_EQ(EncodeJsonStrings({"a", "b"}), R"(["a","b"])");
  auto decoded = DecodeJsonStrings(json);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, values);
  EXPECT_EQ(DecodeJsonStrings("[]"), std::vector<std::string>());
}

TEST(JsonStringsTest, DecodesWhitespaceAndUnicodeEscapes) {
  auto decoded = DecodeJsonStrings(" [ \"a\\u00e9\" ,\n\"\\ud83d\\ude00\", \"\\/\" ] ");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, (std::vector<std::string>{"aé", "😀", "/"}));
}

TEST(JsonStringsTest, RejectsAnythingButAnArrayOfStrings) {
  for (const char* bad : {"", "[", "[1]", "[\"a\",]", "{\"a\":1}", "[\"a\"] x", "[\"\\ud83d\"]",
                          "[\"\\x\"]", "[\"unterminated]"}) {
    EXPECT_FALSE(DecodeJsonStrings(bad)) << bad;
  }
}

}  // namespace
}  // namespace vitals::store
