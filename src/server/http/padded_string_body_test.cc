#include "server/http/padded_string_body.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <string>

#include "server/http/request_builder.h"

namespace vitals::server {
namespace {

namespace http = boost::beast::http;

// Feeds `raw` to a parser in pieces of `step` bytes, as reads from a socket would.
BeastRequest Parse(const std::string& raw, size_t step) {
  http::request_parser<PaddedStringBody> parser;
  parser.eager(true);
  size_t at = 0;
  while (!parser.is_done() && at < raw.size()) {
    boost::beast::error_code ec;
    const size_t n = std::min(step, raw.size() - at);
    const size_t used = parser.put(boost::asio::buffer(raw.data() + at, n), ec);
    if (ec == http::error::need_more && used == 0 && at + n < raw.size()) {
      step *= 2;  // the parser wants a larger piece (a whole header, a whole chunk line)
      continue;
    }
    EXPECT_TRUE(!ec || ec == http::error::need_more) << ec.message();
    at += used;
  }
  EXPECT_TRUE(parser.is_done());
  return parser.release();
}

TEST(PaddedStringBody, ABodyOfAnnouncedLengthKeepsThePaddingAfterIt) {
  const std::string body = R"({"agent_id":"a","status":"success","latency_ms":12})";
  const std::string raw = "POST /api/v1/executions HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body;
  for (size_t step : {raw.size(), size_t{7}}) {
    BeastRequest message = Parse(raw, step);
    EXPECT_EQ(message.body(), body) << "step " << step;
    HttpRequest request;
    ASSERT_FALSE(BuildRequest(message, PeerInfo{}, 1 << 20, &request).has_value());
    EXPECT_EQ(request.body, body);
    EXPECT_GE(request.body.capacity(), body.size() + kBodyPadding) << "step " << step;
  }
}

TEST(PaddedStringBody, AChunkedBodyIsAssembledInOrder) {
  const std::string raw =
      "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
  EXPECT_EQ(Parse(raw, raw.size()).body(), "hello world");
  EXPECT_EQ(Parse(raw, 3).body(), "hello world");
}

TEST(PaddedStringBody, AnEmptyBodyStaysEmpty) {
  const std::string raw = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_TRUE(Parse(raw, raw.size()).body().empty());
}

}  // namespace
}  // namespace vitals::server
