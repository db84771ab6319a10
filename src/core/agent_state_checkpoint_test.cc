// Checkpoint compatibility: blobs written by earlier versions still decode.
#include <gtest/gtest.h>

#include "core/agent_state.h"

namespace vitals::core {
namespace {

const Timestamp kT0 = FromMicros(1'767'225'600'000'000);
const Duration kNoPause{0};

// A version-1 checkpoint (four alert slots), written by vitals before the seed 001 rules: agent
// "agent-1" with a 30 s heartbeat, 10 executions 1 s apart from kT0 (the last 6 failed, log ids
// 100..109), a heartbeat at kT0+10s, evaluated at kT0+11s: critical, with "health" (alert_1)
// and "slo_burn" (alert_2) open.
constexpr const char* kVersion1Hex =
    "010c010a80d1ccea88d2a306809bf0e488d2a30680d1ccea88d2a306da0104626f6f6d808082e288d2a3060082cac4"
    "a8"
    "0101000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000a0688e43f00000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000080b78b1c010000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000a06"
    "88"
    "e43f000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "000000000000000000000080b78b1c80e3c0ec88d2a306010ada030000000000000a0000000000ed81808008000000"
    "00"
    "00b2034000000000000000000000000000000000010202030200000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "00000000000000000000000000000000000000000102020302000000000000000000000080d9ef0180e3c0ec88d2a3"
    "06"
    "010ada030000000000000000000a00000000ed81808008b20340000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000010202030200000000000000000000000180e3c0ec"
    "88"
    "d2a306000000000000000001030000000000000000019a9999999999d93f019a9999999999d93f0168afd4d3a6045b"
    "40"
    "0c0c14140c01809bf0e488d2a30680e3c0ec88d2a3060326437269746963616c3a2053756363657373207261746520"
    "61"
    "742034302e30252028356d696e2920437269746963616c3a203620636f6e7365637574697665206661696c75726573"
    "1f"
    "437269746963616c3a2036206572726f727320696e206c61737420686f75720180dac6eb88d2a306000180dac6eb88"
    "d2"
    "a3060100000000000000000000000000000000000000000000000000000000000000000002000000000000f9d54000"
    "00"
    "0000804fe2400180dac6eb88d2a30680dac6eb88d2a306027b7dffff7f150000000000000000000180e3c0ec88d2a3"
    "06"
    "0107616c6572745f31036f72670201076167656e742d31066865616c74688e014167656e74206167656e742d312069"
    "73"
    "20637269746963616c202873636f72652030293a20437269746963616c3a2053756363657373207261746520617420"
    "34"
    "302e30252028356d696e293b20437269746963616c3a203620636f6e7365637574697665206661696c757265733b20"
    "43"
    "7269746963616c3a2036206572726f727320696e206c61737420686f757280e3c0ec88d2a30680e3c0ec88d2a30600"
    "00"
    "000180e3c0ec88d2a30600027b7d0015000000000000000000000000150000000000000000000000ffff7f15000000"
    "00"
    "00000000000180e3c0ec88d2a3060107616c6572745f32036f72670201076167656e742d3108736c6f5f6275726e58"
    "41"
    "67656e74206167656e742d31206973206275726e696e6720697473206572726f72206275646765742061742036302e"
    "30"
    "78202831682920616e642036302e30782028356d293b206f626a6563746976652039392e30302580e3c0ec88d2a306"
    "80"
    "e3c0ec88d2a3060000000180e3c0ec88d2a30600027b7d";

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

class CheckpointCompatTest : public ::testing::Test {
 protected:
  AgentState Make() {
    AgentSettings s;
    s.heartbeat = HeartbeatConfig{};
    s.heartbeat->interval = std::chrono::seconds(30);
    return AgentState("org", "agent-1", std::make_shared<const AgentSettings>(s), WindowConfig{},
                      kT0, kNoPause);
  }
  AgentEvaluation Eval(AgentState& a, Timestamp now) {
    return a.Evaluate(now, kNoPause, policy_, [this] { return "new_" + std::to_string(++ids_); });
  }
  EvaluationPolicy policy_;
  int ids_ = 0;
};

TEST_F(CheckpointCompatTest, Version1CheckpointStillDecodes) {
  AgentState a = Make();
  ASSERT_TRUE(
      a.RestoreCheckpoint(FromHex(kVersion1Hex), Duration(0), kNoPause, policy_.default_heartbeat)
          .ok());
  const Timestamp now = kT0 + std::chrono::seconds(12);
  const AgentView v = a.View(now, kNoPause, policy_);
  EXPECT_EQ(v.long_window.total, 10);
  EXPECT_EQ(v.long_window.failure, 6);
  EXPECT_EQ(v.health.consecutive_failures, 6);
  EXPECT_EQ(a.last_log_id(), 109);
  EXPECT_EQ(a.last_status(), HealthStatus::kCritical);
  ASSERT_NE(a.alert_slot(AgentAlertType::kHealth).open_alert(), nullptr);
  EXPECT_EQ(a.alert_slot(AgentAlertType::kHealth).open_alert()->id, "alert_1");
  ASSERT_NE(a.alert_slot(AgentAlertType::kSloBurn).open_alert(), nullptr);
  EXPECT_EQ(a.alert_slot(AgentAlertType::kErrorRate).open_alert(), nullptr);
  EXPECT_EQ(a.failing_check_count(), 0u);

  // The alerts it had stay open, not raised again; the new rules raise what they see.
  AgentEvaluation e = Eval(a, now);
  for (const AlertChange& c : e.alert_changes) {
    EXPECT_TRUE(c.alert.type == "error_rate" || c.alert.type == "failures") << c.alert.type;
  }
  EXPECT_EQ(e.alert_changes.size(), 2u);
}

TEST_F(CheckpointCompatTest, CurrentVersionKeepsNewSlotsAndFailingChecks) {
  AgentState a = Make();
  ASSERT_TRUE(
      a.RestoreCheckpoint(FromHex(kVersion1Hex), Duration(0), kNoPause, policy_.default_heartbeat)
          .ok());
  a.RecordCheckResult("http", false, "status 503");
  const Timestamp now = kT0 + std::chrono::seconds(12);
  Eval(a, now);
  ASSERT_NE(a.alert_slot(AgentAlertType::kCheckFailed).open_alert(), nullptr);
  const std::string blob = a.EncodeCheckpoint();

  AgentState b = Make();
  ASSERT_TRUE(b.RestoreCheckpoint(blob, Duration(0), kNoPause, policy_.default_heartbeat).ok());
  EXPECT_EQ(b.failing_check_count(), 1u);
  for (int t = 0; t < kAgentAlertTypeCount; ++t) {
    const auto type = static_cast<AgentAlertType>(t);
    const Alert* before = a.alert_slot(type).open_alert();
    const Alert* after = b.alert_slot(type).open_alert();
    ASSERT_EQ(before == nullptr, after == nullptr) << AgentAlertTypeName(type);
    if (before) {
      EXPECT_EQ(before->id, after->id);
    }
  }
  AgentEvaluation e = Eval(b, now + std::chrono::seconds(1));
  EXPECT_TRUE(e.alert_changes.empty());
  EXPECT_LE(e.health.score, 49);

  for (size_t cut : {size_t{1}, blob.size() / 2, blob.size() - 1}) {
    AgentState c = Make();
    EXPECT_FALSE(
        c.RestoreCheckpoint(blob.substr(0, cut), Duration(0), kNoPause, policy_.default_heartbeat)
            .ok())
        << cut;
  }
}

TEST_F(CheckpointCompatTest, LogPositionKeepsIdsAboveItsFloorExactly) {
  AgentState a = Make();
  ASSERT_TRUE(
      a.RestoreCheckpoint(FromHex(kVersion1Hex), Duration(0), kNoPause, policy_.default_heartbeat)
          .ok());
  // A version-1 blob's largest id becomes the floor.
  EXPECT_EQ(a.log_position().floor(), 109);
  EXPECT_TRUE(a.log_position().Contains(50));
  // Ids out of order, one of them redelivered, with a floor that lags behind them.
  for (int64_t id : {140, 120, 160, 120}) {
    ExecutionSample s;
    s.timestamp = kT0 + std::chrono::seconds(11);
    s.log_id = id;
    s.log_floor = 115;
    a.RecordExecution(s, kT0 + std::chrono::seconds(11));
  }
  const std::string blob = a.EncodeCheckpoint();
  AgentState b = Make();
  ASSERT_TRUE(b.RestoreCheckpoint(blob, Duration(0), kNoPause, policy_.default_heartbeat).ok());
  EXPECT_EQ(b.log_position().floor(), 115);
  EXPECT_EQ(b.log_position().above_count(), 3u);
  EXPECT_EQ(b.last_log_id(), 160);
  for (int64_t id : {100, 115, 120, 140, 160}) EXPECT_TRUE(b.log_position().Contains(id)) << id;
  for (int64_t id : {116, 130, 150, 161}) EXPECT_FALSE(b.log_position().Contains(id)) << id;
  EXPECT_EQ(b.View(kT0 + std::chrono::seconds(12), kNoPause, policy_).long_window.total, 14);
}

}  // namespace
}  // namespace vitals::core
