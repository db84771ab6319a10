#include "cluster/forwarded_event.h"

#include <gtest/gtest.h>

namespace vitals::cluster {
namespace {

ForwardedEvent Execution() {
  ForwardedEvent f;
  f.kind = ForwardedKind::kExecution;
  f.log_id = 123456789012;
  core::ExecutionEvent& e = f.event;
  e.organization_id = "org";
  e.agent_id = "agent-1";
  e.execution_id = "exec-1";
  e.action_type = "llm_call";
  e.action_name = "summarize";
  e.input_summary = "in";
  e.output_summary = std::string("out\0with nul", 12);
  e.status = "timeout";
  e.error_message = "took too long";
  e.latency_ms = 1234.5;
  e.token_count = 987;
  e.cost_usd = 0.0125;
  e.metadata_json = R"({"k":1})";
  e.integration_id = "openai";
  e.timestamp = core::FromMicros(1'795'392'000'123'456);
  return f;
}

TEST(ForwardedEventTest, ExecutionRoundTripsEveryField) {
  const ForwardedEvent f = Execution();
  auto back = DecodeForwarded(EncodeForwarded(f));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->kind, f.kind);
  EXPECT_EQ(back->log_id, f.log_id);
  const core::ExecutionEvent& a = back->event;
  const core::ExecutionEvent& b = f.event;
  EXPECT_EQ(a.organization_id, b.organization_id);
  EXPECT_EQ(a.agent_id, b.agent_id);
  EXPECT_EQ(a.execution_id, b.execution_id);
  EXPECT_EQ(a.action_type, b.action_type);
  EXPECT_EQ(a.action_name, b.action_name);
  EXPECT_EQ(a.input_summary, b.input_summary);
  EXPECT_EQ(a.output_summary, b.output_summary);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.error_message, b.error_message);
  EXPECT_EQ(a.latency_ms, b.latency_ms);
  EXPECT_EQ(a.token_count, b.token_count);
  EXPECT_EQ(a.cost_usd, b.cost_usd);
  EXPECT_EQ(a.metadata_json, b.metadata_json);
  EXPECT_EQ(a.integration_id, b.integration_id);
  EXPECT_EQ(a.timestamp, b.timestamp);
}

TEST(ForwardedEventTest, MissingTokenCountStaysMissing) {
  ForwardedEvent f = Execution();
  f.event.token_count.reset();
  auto back = DecodeForwarded(EncodeForwarded(f));
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->event.token_count.has_value());
}

TEST(ForwardedEventTest, HeartbeatRoundTripsWithAndWithoutQueueDepth) {
  ForwardedEvent f;
  f.kind = ForwardedKind::kHeartbeat;
  f.event.organization_id = "org";
  f.event.agent_id = "a";
  f.event.timestamp = core::FromMicros(42);
  f.event.metadata_json = "{}";
  auto plain = DecodeForwarded(EncodeForwarded(f));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->kind, ForwardedKind::kHeartbeat);
  EXPECT_FALSE(plain->has_queue_depth);
  EXPECT_EQ(plain->event.timestamp, f.event.timestamp);
  f.has_queue_depth = true;
  f.queue_depth = 17;
  auto deep = DecodeForwarded(EncodeForwarded(f));
  ASSERT_TRUE(deep.ok());
  EXPECT_TRUE(deep->has_queue_depth);
  EXPECT_EQ(deep->queue_depth, 17);
}

TEST(ForwardedEventTest, AReloadRequestNamesItsAgent) {
  ForwardedEvent f;
  f.kind = ForwardedKind::kReload;
  f.event.organization_id = "org";
  f.event.agent_id = "moved";
  auto back = DecodeForwarded(EncodeForwarded(f));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->kind, ForwardedKind::kReload);
  EXPECT_EQ(back->event.organization_id, "org");
  EXPECT_EQ(back->event.agent_id, "moved");
}

TEST(ForwardedEventTest, RefusesTruncatedTrailingAndUnknownInput) {
  const std::string good = EncodeForwarded(Execution());
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(DecodeForwarded(good.substr(0, n)).ok()) << "prefix of " << n << " bytes";
  }
  auto trailing = DecodeForwarded(good + "x");
  ASSERT_FALSE(trailing.ok());
  EXPECT_NE(trailing.status().message().find("trailing"), std::string::npos);
  std::string bad_version = good;
  bad_version[0] = 9;
  EXPECT_NE(DecodeForwarded(bad_version).status().message().find("version"), std::string::npos);
  std::string bad_kind = good;
  bad_kind[1] = 7;
  EXPECT_NE(DecodeForwarded(bad_kind).status().message().find("kind"), std::string::npos);
}

}  // namespace
}  // namespace vitals::cluster
