#include "server/json/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace vitals::server {
namespace {

TEST(JsonWriter, NestedStructuresAndCommas) {
  JsonWriter w;
  w.BeginObject().Field("a", 1).Key("b").BeginArray().Int(1).String("x").Null().EndArray();
  w.Key("c").BeginObject().EndObject().Field("d", true).EndObject();
  EXPECT_EQ(w.str(), R"({"a":1,"b":[1,"x",null],"c":{},"d":true})");
}

// Commas between siblings only, whatever the previous sibling was: empty containers, raw JSON,
// keys whose value is a container, strings ending in brackets or colons.
TEST(JsonWriter, CommasAfterEveryKindOfSibling) {
  JsonWriter w;
  w.BeginArray().BeginArray().EndArray().BeginObject().EndObject().Raw(R"({"m":[1]})");
  w.Raw("[]").String("[").String("{").String(":").BeginObject().Key("k").BeginArray().EndArray();
  w.Key("r").Raw("{}").Key("s").String("a:").Key("t").BeginObject().Field("u", "}").EndObject();
  w.EndObject().Double(1.5).EndArray();
  EXPECT_EQ(w.str(),
            R"([[],{},{"m":[1]},[],"[","{",":",{"k":[],"r":{},"s":"a:","t":{"u":"}"}},1.5])");
}

TEST(JsonWriter, EscapesEverythingJsonRequires) {
  JsonWriter w;
  w.String(std::string("q\"b\\n\nt\tc\x01z\x7f", 12));
  EXPECT_EQ(w.str(), "\"q\\\"b\\\\n\\nt\\tc\\u0001z\x7f\"");
}

TEST(JsonWriter, NumbersRoundTripAndNonFiniteIsNull) {
  JsonWriter w;
  w.BeginArray()
      .Double(0.1)
      .Double(1e300)
      .Double(std::nan(""))
      .Double(std::numeric_limits<double>::infinity());
  w.Int(-42).Uint(18446744073709551615ULL).EndArray();
  EXPECT_EQ(w.str(), "[0.1,1e+300,null,null,-42,18446744073709551615]");
}

TEST(JsonWriter, OptionalsAndTimes) {
  JsonWriter w;
  std::optional<double> none, some = 2.5;
  w.BeginObject().Field("n", none).Field("s", some);
  w.Field("t", core::FromMicros(1'770'037'200'000'000)).EndObject();
  EXPECT_EQ(w.str(), R"({"n":null,"s":2.5,"t":"2026-02-02T13:00:00Z"})");
}

}  // namespace
}  // namespace vitals::server
