// Agent checkpoints: blobs read back from the store, which in a cluster other nodes wrote.
#include "core/agent_state.h"
#include "fuzz/fuzz_contract.h"

using vitals::fuzz::Require;
namespace core = vitals::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = vitals::fuzz::Text(data, size);
  const core::Timestamp t0 = core::FromMicros(1'767'225'600'000'000);
  const auto settings = std::make_shared<const core::AgentSettings>();
  const core::HeartbeatConfig heartbeat;
  core::AgentState state("acme", "agent-1", settings, core::WindowConfig{}, t0, core::Duration(0));
  const core::Status restored =
      state.RestoreCheckpoint(bytes, core::Duration(0), core::Duration(0), heartbeat);
  if (!restored.ok()) {
    Require(!restored.message().empty(), "a refusal says why");
    return 0;
  }
  const std::string encoded = state.EncodeCheckpoint();
  core::AgentState again("acme", "agent-1", settings, core::WindowConfig{}, t0, core::Duration(0));
  Require(again.RestoreCheckpoint(encoded, core::Duration(0), core::Duration(0), heartbeat).ok(),
          "what was decoded encodes into something that decodes");
  const core::LogPosition& p = state.log_position();
  const core::LogPosition& q = again.log_position();
  Require(p.floor() == q.floor() && p.above_count() == q.above_count() && p.last() == q.last(),
          "the log position survives a round trip");
  (void)again.View(t0, core::Duration(0), core::EvaluationPolicy{});
  return 0;
}
