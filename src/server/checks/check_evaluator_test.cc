// CheckEvaluator and CheckTracker: verdicts with their reasons, and the up/down state machine.
#include "server/checks/check_evaluator.h"

#include <gtest/gtest.h>

#include "server/checks/check_tracker.h"

namespace vitals::server {
namespace {

CheckSpec HttpSpec() {
  CheckSpec s;
  s.id = "c";
  s.target_id = "bot";
  s.url = "http://127.0.0.1/";
  return s;
}

ProbeResult Response(int status, std::string body) {
  ProbeResult r;
  r.connected = true;
  r.status_code = status;
  r.body = std::move(body);
  return r;
}

CheckVerdict Eval(const CheckSpec& s, const ProbeResult& r) {
  return CheckEvaluator::Evaluate(s, r);
}

TEST(CheckEvaluatorTest, StatusRanges) {
  CheckSpec s = HttpSpec();
  EXPECT_TRUE(Eval(s, Response(200, "")).success);
  EXPECT_EQ(Eval(s, Response(200, "")).reason, "status 200");
  EXPECT_TRUE(Eval(s, Response(302, "")).success);
  EXPECT_EQ(Eval(s, Response(503, "")).reason, "status 503, expected 200-399");
  s.expected_status = {{200, 200}, {401, 401}};
  EXPECT_TRUE(Eval(s, Response(401, "")).success);
  EXPECT_EQ(Eval(s, Response(204, "")).reason, "status 204, expected 200,401");
}

TEST(CheckEvaluatorTest, TransportErrorsComeFirst) {
  ProbeResult r;
  r.error = "connect: Connection refused";
  EXPECT_EQ(Eval(HttpSpec(), r).reason, "connect: Connection refused");
  r.error = "timeout after 2000 ms";
  r.timed_out = true;
  EXPECT_FALSE(Eval(HttpSpec(), r).success);
  EXPECT_EQ(Eval(HttpSpec(), r).reason, "timeout after 2000 ms");
  CheckSpec tcp = HttpSpec();
  tcp.kind = CheckKind::kTcp;
  ProbeResult connected;
  connected.connected = true;
  EXPECT_EQ(Eval(tcp, connected).reason, "connected");
  EXPECT_TRUE(Eval(tcp, connected).success);
}

TEST(CheckEvaluatorTest, KeywordPresentOrAbsent) {
  CheckSpec s = HttpSpec();
  s.body_keyword = "ok";
  EXPECT_TRUE(Eval(s, Response(200, "all ok")).success);
  EXPECT_EQ(Eval(s, Response(200, "failed")).reason, "keyword 'ok' not found");
  s.body_keyword = "error";
  s.keyword_absent = true;
  EXPECT_TRUE(Eval(s, Response(200, "fine")).success);
  EXPECT_EQ(Eval(s, Response(200, "an error")).reason, "keyword 'error' found");
}

JsonCondition Cond(std::string path, JsonOp op, JsonScalar value) {
  return JsonCondition{std::move(path), op, std::move(value)};
}

JsonScalar Str(std::string s) { return {JsonScalar::Type::kString, false, 0, std::move(s)}; }
JsonScalar Num(double d) { return {JsonScalar::Type::kNumber, false, d, {}}; }
JsonScalar Bool(bool b) { return {JsonScalar::Type::kBool, b, 0, {}}; }

TEST(CheckEvaluatorTest, JsonConditions) {
  const std::string body =
      R"({"status":"up","load":0.7,"checks":{"db":{"ok":true}},"tags":["a","b"],"nodes":[{"id":3}]})";
  CheckSpec s = HttpSpec();
  auto holds = [&](JsonCondition c) {
    s.json_condition = std::move(c);
    return Eval(s, Response(200, body));
  };
  EXPECT_TRUE(holds(Cond("status", JsonOp::kEq, Str("up"))).success);
  EXPECT_TRUE(holds(Cond("checks.db.ok", JsonOp::kEq, Bool(true))).success);
  EXPECT_TRUE(holds(Cond("load", JsonOp::kLt, Num(0.9))).success);
  EXPECT_TRUE(holds(Cond("load", JsonOp::kGe, Num(0.7))).success);
  EXPECT_TRUE(holds(Cond("tags", JsonOp::kContains, Str("b"))).success);
  EXPECT_TRUE(holds(Cond("status", JsonOp::kContains, Str("u"))).success);
  EXPECT_TRUE(holds(Cond("nodes.0.id", JsonOp::kEq, Num(3))).success);
  EXPECT_TRUE(holds(Cond("status", JsonOp::kNe, Str("down"))).success);
  EXPECT_EQ(holds(Cond("status", JsonOp::kEq, Str("down"))).reason,
            R"(json field status is "up", expected == "down")");
  EXPECT_EQ(holds(Cond("load", JsonOp::kGt, Num(1))).reason,
            "json field load is 0.7, expected > 1");
  EXPECT_EQ(holds(Cond("checks.cache.ok", JsonOp::kEq, Bool(true))).reason,
            "json field checks.cache.ok not found");
  EXPECT_EQ(holds(Cond("load", JsonOp::kEq, Str("0.7"))).reason,
            R"(json field load is 0.7, expected == "0.7")");  // JSON types differ
  s.json_condition = Cond("status", JsonOp::kEq, Str("up"));
  EXPECT_EQ(Eval(s, Response(200, "<html>")).reason, "body is not JSON");
}

CheckOutcome Result(bool success) {
  CheckOutcome o;
  o.success = success;
  o.detail = success ? "status 200" : "status 503, expected 200-399";
  return o;
}

TEST(CheckTrackerTest, DownAfterRetriesPlusOneFailuresUpAfterOneSuccess) {
  CheckTracker t(3);
  EXPECT_EQ(t.state(), CheckState::kPending);
  CheckOutcome o = t.Record(Result(true), 2);
  EXPECT_TRUE(o.state_changed);
  EXPECT_EQ(o.previous_state, CheckState::kPending);
  EXPECT_EQ(o.state, CheckState::kUp);
  for (int failure = 1; failure <= 2; ++failure) {
    o = t.Record(Result(false), 2);
    EXPECT_EQ(o.state, CheckState::kUp) << failure;
    EXPECT_FALSE(o.state_changed);
    EXPECT_EQ(o.consecutive_failures, failure);
  }
  o = t.Record(Result(false), 2);
  EXPECT_EQ(o.state, CheckState::kDown);
  EXPECT_TRUE(o.state_changed);
  EXPECT_EQ(t.last_error(), "status 503, expected 200-399");
  o = t.Record(Result(true), 2);
  EXPECT_EQ(o.previous_state, CheckState::kDown);
  EXPECT_EQ(o.state, CheckState::kUp);
  EXPECT_EQ(t.consecutive_failures(), 0);
  EXPECT_EQ(t.last_error(), "");
  EXPECT_EQ(t.history().size(), 3u);  // bounded
  EXPECT_TRUE(t.history().back().success);
}

TEST(CheckTrackerTest, ZeroRetriesIsDownOnTheFirstFailure) {
  CheckTracker t;
  const CheckOutcome o = t.Record(Result(false), 0);
  EXPECT_EQ(o.previous_state, CheckState::kPending);
  EXPECT_EQ(o.state, CheckState::kDown);
}

}  // namespace
}  // namespace vitals::server
