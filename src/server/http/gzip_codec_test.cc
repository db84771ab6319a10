#include "server/http/gzip_codec.h"

#include <gtest/gtest.h>

namespace vitals::server {
namespace {

TEST(GzipCodecTest, RoundTrips) {
  const std::string text(100000, 'x');
  const std::string compressed = Gzip(text);
  EXPECT_LT(compressed.size(), text.size() / 10);
  core::Result<std::string> out = Gunzip(compressed, text.size());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, text);
}

TEST(GzipCodecTest, ConcatenatedMembersInflateToTheirConcatenation) {
  core::Result<std::string> out = Gunzip(Gzip("hello ") + Gzip("world"), 100);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "hello world");
}

TEST(GzipCodecTest, OutputBeyondTheCapIsTooLarge) {
  const std::string compressed = Gzip(std::string(5000, 'a'));
  EXPECT_TRUE(Gunzip(compressed, 5000).ok());
  core::Result<std::string> out = Gunzip(compressed, 4999);
  EXPECT_EQ(out.status().code(), core::StatusCode::kPayloadTooLarge);
}

TEST(GzipCodecTest, CorruptTruncatedOrEmptyInputIsInvalid) {
  const std::string compressed = Gzip("some body worth compressing, some body worth compressing");
  for (const std::string& bad :
       {std::string("not gzip at all"), compressed.substr(0, compressed.size() - 4),
        compressed + "trailing junk", std::string()}) {
    core::Result<std::string> out = Gunzip(bad, 1 << 20);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(out.status().message(), "body: invalid gzip");
  }
}

}  // namespace
}  // namespace vitals::server
