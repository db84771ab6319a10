#include "core/execution_event.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace vitals::core {
namespace {

const Timestamp kNow = FromMicros(1'767'225'600'000'000);

ExecutionEvent Good() {
  ExecutionEvent e;
  e.organization_id = "default";
  e.agent_id = "agent-1";
  e.execution_id = "exec-1";
  e.action_type = "llm_call";
  e.status = "success";
  e.latency_ms = 120;
  e.cost_usd = 0.002;
  e.token_count = 300;
  e.timestamp = kNow;
  return e;
}

Status Check(const ExecutionEvent& e) { return ValidateEvent(e, EventLimits{}, kNow); }

TEST(ExecutionEvent, SuccessIsExactlyTheWordSuccess) {
  ExecutionEvent e = Good();
  EXPECT_TRUE(e.IsSuccess());
  for (const char* s : {"error", "failed", "timeout", "Success", "ok"}) {
    e.status = s;
    EXPECT_FALSE(e.IsSuccess()) << s;
  }
}

TEST(ExecutionEvent, AcceptsAGoodEvent) { EXPECT_TRUE(Check(Good()).ok()); }

TEST(ExecutionEvent, RejectionsNameTheField) {
  struct Case {
    void (*mutate)(ExecutionEvent&);
    const char* field;
  } cases[] = {
      {[](ExecutionEvent& e) { e.agent_id.clear(); }, "agent_id"},
      {[](ExecutionEvent& e) { e.agent_id = std::string(300, 'a'); }, "agent_id"},
      {[](ExecutionEvent& e) { e.agent_id = "bad\nid"; }, "agent_id"},
      {[](ExecutionEvent& e) { e.latency_ms = -5; }, "latency_ms"},
      {[](ExecutionEvent& e) { e.latency_ms = std::nan(""); }, "latency_ms"},
      {[](ExecutionEvent& e) { e.latency_ms = 1e12; }, "latency_ms"},
      {[](ExecutionEvent& e) { e.cost_usd = -1; }, "cost_usd"},
      {[](ExecutionEvent& e) { e.cost_usd = std::numeric_limits<double>::infinity(); }, "cost_usd"},
      {[](ExecutionEvent& e) { e.token_count = -3; }, "token_count"},
      {[](ExecutionEvent& e) { e.status.clear(); }, "status"},
      {[](ExecutionEvent& e) { e.error_message = std::string(20000, 'x'); }, "error_message"},
      {[](ExecutionEvent& e) { e.timestamp = kNow + std::chrono::hours(1); }, "timestamp"},
      {[](ExecutionEvent& e) { e.timestamp = kNow - std::chrono::hours(48); }, "timestamp"},
  };
  for (const Case& c : cases) {
    ExecutionEvent e = Good();
    c.mutate(e);
    Status s = Check(e);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(s.message().rfind(c.field, 0), 0u) << s.message();
  }
}

TEST(ExecutionEvent, ControlCharactersInIdsAreFoundAtEveryLengthAndPosition) {
  // The hot path checks ids eight bytes at a time with overlapping loads: cover every shape.
  for (size_t len = 1; len <= 40; ++len) {
    ExecutionEvent e = Good();
    e.agent_id = std::string(len, 'a');
    EXPECT_TRUE(Check(e).ok()) << len;
    e.agent_id = std::string(len, '\xc3');  // UTF-8 lead bytes are not control characters
    EXPECT_TRUE(Check(e).ok()) << len;
    for (size_t pos = 0; pos < len; ++pos) {
      for (char bad : {'\0', '\t', '\x1f', '\x7f'}) {
        e.agent_id = std::string(len, 'a');
        e.agent_id[pos] = bad;
        EXPECT_FALSE(Check(e).ok()) << "len " << len << " pos " << pos << " byte " << int(bad);
      }
    }
  }
}

TEST(ExecutionEvent, FutureTimestampWithinSkewIsAccepted) {
  ExecutionEvent e = Good();
  e.timestamp = kNow + std::chrono::minutes(4);
  EXPECT_TRUE(Check(e).ok());
  e.timestamp = kNow + std::chrono::minutes(6);
  Status s = Check(e);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("in the future"), std::string::npos) << s.message();
}

TEST(ExecutionEvent, FarFutureTimestampIsNamedInPlainSeconds) {
  ExecutionEvent e = Good();
  e.timestamp = kNow + std::chrono::seconds(97'210'412);
  const Status s = Check(e);
  EXPECT_NE(s.message().find("97210412 s in the future"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace vitals::core
