// The transport's plain request and response types, without a network.
#include "server/http/http_types.h"

#include <gtest/gtest.h>

namespace vitals::server {
namespace {

TEST(HeadersTest, LookupIgnoresAsciiCaseAndReturnsTheFirstValue) {
  Headers h;
  h.Add("Content-Type", "application/json");
  h.Add("X-API-Key", "first");
  h.Add("x-api-key", "second");
  EXPECT_EQ(h.Get("content-type"), "application/json");
  EXPECT_EQ(h.Get("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(h.Get("x-Api-KEY"), "first");
  EXPECT_EQ(h.Get("Content-Typ"), std::nullopt);
  EXPECT_EQ(h.Get("Content-Type "), std::nullopt);
  EXPECT_EQ(h.Get("X_API_Key"), std::nullopt);  // '-' and '_' are different characters
  EXPECT_EQ(h.Get("missing"), std::nullopt);
}

TEST(TrimBlanksTest, DropsOnlyLeadingAndTrailingSpacesAndTabs) {
  EXPECT_EQ(TrimBlanks(" \tgzip \t"), "gzip");
  EXPECT_EQ(TrimBlanks("a b"), "a b");
  EXPECT_EQ(TrimBlanks("\r\nx"), "\r\nx");
  EXPECT_EQ(TrimBlanks(" \t "), "");
}

TEST(ParseTargetTest, DecodesThePathAndTheQuery) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  ASSERT_TRUE(ParseTarget("/a%2Fb/c?x=1+2&y=%41&&z", &path, &query));
  EXPECT_EQ(path, "/a/b/c");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"x", "1 2"}, {"y", "A"}, {"z", ""}};
  EXPECT_EQ(query, expected);
  EXPECT_FALSE(ParseTarget("a/b", &path, &query));
  EXPECT_FALSE(ParseTarget("/a%4", &path, &query));
  EXPECT_FALSE(ParseTarget("/a?b=%zz", &path, &query));
}

TEST(HttpResponseTest, ErrorIsJsonWithTheStatusAndAnEscapedMessage) {
  const HttpResponse r = HttpResponse::Error(404, "no \"agent\"\n");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"error":"no \"agent\"\u000a","status":404})");
  EXPECT_EQ(HttpResponse::Text(200, "ok").content_type, "text/plain");
}

}  // namespace
}  // namespace vitals::server
