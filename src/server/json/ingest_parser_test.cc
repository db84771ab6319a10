#include "server/json/ingest_parser.h"

#include <gtest/gtest.h>

namespace vitals::server {
namespace {

const core::Timestamp kNow = core::FromMicros(1'767'225'600'000'000);

TEST(IngestParser, SeedLogFieldsFromOneObject) {
  std::string body = R"({"agent_id":"a1","execution_id":"e1","action_type":"llm_call",
    "action_name":"Summarize","input_summary":"in","output_summary":"out","status":"error",
    "error_message":"boom","latency_ms":120.5,"token_count":300,"cost_usd":0.002,
    "metadata":{"model":"x","n":[1,2]},"timestamp":"2026-01-01T00:00:00Z",
    "integration_id":"slack","unknown_field":{"ignored":true}})";
  auto r = ParseExecutions(body, BodyFormat::kJson, "acme", kNow);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->events.size(), 1u);
  const core::ExecutionEvent& e = r->events[0];
  EXPECT_EQ(e.organization_id, "acme");
  EXPECT_EQ(e.agent_id, "a1");
  EXPECT_EQ(e.action_name, "Summarize");
  EXPECT_EQ(e.status, "error");
  EXPECT_FALSE(e.IsSuccess());
  EXPECT_DOUBLE_EQ(e.latency_ms, 120.5);
  EXPECT_EQ(e.token_count, 300);
  EXPECT_EQ(e.metadata_json, R"({"model":"x","n":[1,2]})");
  EXPECT_EQ(e.integration_id, "slack");
  EXPECT_EQ(e.timestamp, core::FromMicros(1'767'225'600'000'000));
}

TEST(IngestParser, DefaultsAndNulls) {
  std::string body = R"({"agent_id":"a1","action_name":null,"token_count":null})";
  auto r = ParseExecutions(body, BodyFormat::kJson, "acme", kNow);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->events.size(), 1u);
  EXPECT_EQ(r->events[0].status, "success");
  EXPECT_EQ(r->events[0].timestamp, kNow);
  EXPECT_FALSE(r->events[0].token_count.has_value());
}

TEST(IngestParser, ArrayKeepsGoodItemsBesideBadOnes) {
  std::string body = R"([
    {"agent_id":"a1","latency_ms":10},
    {"latency_ms":10},
    {"agent_id":"a3","latency_ms":"fast"},
    42,
    {"agent_id":"a5","timestamp":"yesterday"},
    {"agent_id":"a6","organization_id":"other"},
    {"agent_id":"a7","token_count":1.5},
    {"agent_id":"a8","metadata":[1]},
    {"agent_id":"a9"}])";
  auto r = ParseExecutions(body, BodyFormat::kJson, "acme", kNow);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->items, 9u);
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->indexes, (std::vector<size_t>{0, 8}));
  ASSERT_EQ(r->rejected.size(), 7u);
  const std::pair<size_t, const char*> expected[] = {
      {1, "agent_id: required"},
      {2, "latency_ms: expected a number, got string"},
      {3, "expected an object, got number"},
      {4, "timestamp: not an RFC 3339 date-time"},
      {5, "organization_id: \"other\" is not the organization"},
      {6, "token_count: expected an integer"},
      {7, "metadata: expected an object, got array"}};
  for (size_t i = 0; i < r->rejected.size(); ++i) {
    EXPECT_EQ(r->rejected[i].index, expected[i].first);
    EXPECT_EQ(r->rejected[i].error.rfind(expected[i].second, 0), 0u) << r->rejected[i].error;
  }
}

TEST(IngestParser, NdjsonLinesAreIndependent) {
  std::string body = "{\"agent_id\":\"a1\"}\n{not json\n\n{\"agent_id\":\"a3\"}\r\n";
  auto r = ParseExecutions(body, BodyFormat::kNdjson, "acme", kNow);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->indexes, (std::vector<size_t>{0, 2}));
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].index, 1u);
  EXPECT_EQ(r->rejected[0].error, "malformed JSON");
}

TEST(IngestParser, WholeBodyErrors) {
  for (const char* bad : {"{\"agent_id\":", "not json", "\"a string\"", "", "[1,2"}) {
    std::string body = bad;
    auto r = ParseExecutions(body, BodyFormat::kJson, "acme", kNow);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidArgument);
  }
  std::string empty = "\n\n";
  EXPECT_FALSE(ParseExecutions(empty, BodyFormat::kNdjson, "acme", kNow).ok());
}

TEST(IngestParser, EpochSecondsTimestamps) {
  std::string body = R"({"agent_id":"a1","timestamp":1767225600.25})";
  auto r = ParseExecutions(body, BodyFormat::kJson, "acme", kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->events[0].timestamp, core::FromMicros(1'767'225'600'250'000));
}

TEST(IngestParser, Heartbeats) {
  std::string body = R"([{"agent_id":"a1","metadata":{"cpu":45.2},"queue_depth":12},
                         {"agent_id":"a2","timestamp":"2026-01-01T00:00:00Z"},
                         {"metadata":{}}])";
  auto r = ParseHeartbeats(body, BodyFormat::kJson, "acme");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->heartbeats.size(), 2u);
  EXPECT_EQ(r->heartbeats[0].metadata_json, R"({"cpu":45.2})");
  EXPECT_EQ(r->heartbeats[0].queue_depth, 12);
  EXPECT_TRUE(r->heartbeats[1].timestamp.has_value());
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].error, "agent_id: required");
}

}  // namespace
}  // namespace vitals::server
