#include "server/http/sse_parser.h"

#include <gtest/gtest.h>

namespace vitals::server {
namespace {

TEST(SseParserTest, ParsesEventsAcrossChunksAndLineEndings) {
  SseParser parser;
  const std::string stream =
      "id: 7\nevent: health_update\ndata: {\"a\":1}\n\n"
      ": keepalive\r\n\r\n"
      "data: line one\r\ndata:line two\r\rdata: x\n";
  for (const char c : stream) parser.Feed(std::string_view(&c, 1));
  std::optional<SseEvent> event = parser.Next();
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->id, "7");
  EXPECT_EQ(event->event, "health_update");
  EXPECT_EQ(event->data, "{\"a\":1}");
  event = parser.Next();
  ASSERT_TRUE(event.has_value());
  EXPECT_TRUE(event->is_comment);
  EXPECT_EQ(event->comment, "keepalive");
  event = parser.Next();
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->data, "line one\nline two");
  EXPECT_EQ(event->id, "7");  // the last id carries over
  EXPECT_TRUE(event->event.empty());
  EXPECT_FALSE(parser.Next().has_value());  // "data: x" is not terminated yet
  parser.Feed("\n");
  ASSERT_TRUE(parser.Next().has_value());
}

TEST(SseParserTest, DropsBlocksWithoutData) {
  SseParser parser;
  parser.Feed("event: nothing\nid: 3\n\n");
  EXPECT_FALSE(parser.Next().has_value());
}

}  // namespace
}  // namespace vitals::server
