#include "server/json/settings_json.h"

#include <gtest/gtest.h>

namespace vitals::server {
namespace {

TEST(SettingsJson, MergeAppliesOnlyGivenFields) {
  core::AgentSettings s;
  s.name = "keep";
  ASSERT_TRUE(MergeSettingsJson(R"({"type":"sales","heartbeat":{"interval_ms":2000,
      "mode":"adaptive","phi_threshold":10},"thresholds":{"latency_p95_healthy_ms":500},
      "slo":{"objective":0.999},"stuck_after_ms":60000,"paused":true,
      "depends_on":["slack","gmail"]})",
                                &s)
                  .ok());
  EXPECT_EQ(s.name, "keep");
  EXPECT_EQ(s.type, "sales");
  ASSERT_TRUE(s.heartbeat);
  EXPECT_EQ(s.heartbeat->interval, std::chrono::seconds(2));
  EXPECT_EQ(s.heartbeat->failure_threshold, 3);
  EXPECT_EQ(s.heartbeat->mode, core::HeartbeatMode::kAdaptive);
  EXPECT_EQ(s.heartbeat->phi.threshold, 10);
  EXPECT_EQ(s.thresholds.latency_p95_healthy_ms, 500);
  EXPECT_EQ(s.thresholds.success_rate_healthy, 0.95);
  EXPECT_EQ(s.slo.objective, 0.999);
  EXPECT_EQ(s.stuck_after, std::chrono::minutes(1));
  EXPECT_TRUE(s.paused);
  EXPECT_EQ(s.depends_on, (std::vector<std::string>{"slack", "gmail"}));
  ASSERT_TRUE(MergeSettingsJson(R"({"heartbeat":null,"stuck_after_ms":null})", &s).ok());
  EXPECT_FALSE(s.heartbeat);
  EXPECT_FALSE(s.stuck_after);
}

TEST(SettingsJson, ErrorsNameTheFieldAndChangeNothing) {
  core::AgentSettings s;
  core::Status st = MergeSettingsJson(R"({"name":"x","heartbeat":{"interval_ms":"soon"}})", &s);
  EXPECT_EQ(st.code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "heartbeat.interval_ms: expected a number");
  EXPECT_EQ(s.name, "");  // nothing half-applied
  EXPECT_EQ(MergeSettingsJson(R"({"heartbeat":{"mode":"sometimes"}})", &s).message(),
            "heartbeat.mode: expected \"fixed\" or \"adaptive\"");
  EXPECT_EQ(MergeSettingsJson("[1]", &s).message(), "body: expected a JSON object");
  EXPECT_EQ(MergeSettingsJson("{", &s).message(), "body: malformed JSON");
}

TEST(SettingsJson, WriteThenMergeRoundTrips) {
  core::AgentSettings s;
  s.name = "n";
  s.heartbeat = core::HeartbeatConfig{};
  s.heartbeat->interval = std::chrono::milliseconds(1500);
  s.stuck_after = std::chrono::seconds(42);
  s.depends_on = {"x"};
  s.slo.min_events = 7;
  JsonWriter w;
  WriteSettings(w, s);
  core::AgentSettings back;
  ASSERT_TRUE(MergeSettingsJson(w.str(), &back).ok()) << w.str();
  EXPECT_EQ(back.name, s.name);
  EXPECT_EQ(back.heartbeat, s.heartbeat);
  EXPECT_EQ(back.stuck_after, s.stuck_after);
  EXPECT_EQ(back.depends_on, s.depends_on);
  EXPECT_EQ(back.slo, s.slo);
  EXPECT_EQ(back.thresholds, s.thresholds);
}

}  // namespace
}  // namespace vitals::server
