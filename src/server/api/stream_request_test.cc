#include "server/api/stream_request.h"

#include <gtest/gtest.h>

namespace vitals::server {
namespace {

using Type = StreamRequest::Type;

core::Result<StreamRequest> Parse(std::string_view text) { return ParseStreamRequest(text, 1000); }

TEST(StreamRequestTest, ReadsEachMessageType) {
  EXPECT_EQ(Parse(R"({"type":"ping"})")->type, Type::kPing);
  EXPECT_EQ(Parse(R"({"type":"unsubscribe","x":1})")->type, Type::kUnsubscribe);
  auto sub = Parse(R"({"type":"subscribe","agents":["b","a","b"]})");
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(sub->type, Type::kSubscribe);
  EXPECT_EQ(sub->agents, (std::set<std::string>{"a", "b"}));
  EXPECT_TRUE(Parse(R"({"type":"subscribe","agents":[]})")->agents.empty());
}

TEST(StreamRequestTest, ErrorsSayWhatIsWrong) {
  auto message = [](std::string_view text) { return Parse(text).status().message(); };
  EXPECT_EQ(message("ping"), R"(expected "ping" or a JSON object with a "type")");
  EXPECT_EQ(message(R"({"type":1})"), R"(expected "ping" or a JSON object with a "type")");
  EXPECT_EQ(message(R"({"type":"dance"})"), "unknown message type: dance");
  EXPECT_EQ(message(R"({"type":"subscribe"})"), "agents: expected an array of agent ids");
  EXPECT_EQ(message(R"({"type":"subscribe","agents":[1]})"), "agents: expected strings");
}

TEST(StreamRequestTest, ASubscriptionBeyondTheCapIsRefusedNamingIt) {
  EXPECT_EQ(ParseStreamRequest(R"({"type":"subscribe","agents":["a","b","c"]})", 3)->agents.size(),
            3u);
  auto over = ParseStreamRequest(R"({"type":"subscribe","agents":["a","b","c","d"]})", 3);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().message(), "agents: at most 3 agent ids per connection, got 4");
}

}  // namespace
}  // namespace vitals::server
