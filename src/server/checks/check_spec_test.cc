// CheckSpec parsing and validation: defaults, the JSON round trip, and errors that name fields.
#include "server/checks/check_spec.h"

#include <gtest/gtest.h>

#include "server/checks/check_spec_json.h"

namespace vitals::server {
namespace {

using std::chrono::milliseconds;

CheckSpec MustParse(std::string_view json) {
  auto spec = ParseCheckSpec(json, "acme");
  EXPECT_TRUE(spec.ok()) << spec.status().ToString();
  return spec.ok() ? *spec : CheckSpec{};
}

std::string ErrorOf(std::string_view json) {
  auto spec = ParseCheckSpec(json, "acme");
  EXPECT_FALSE(spec.ok()) << json;
  if (spec.ok()) return "";
  EXPECT_EQ(spec.status().code(), core::StatusCode::kInvalidArgument);
  return spec.status().message();
}

TEST(CheckSpecTest, DefaultsFollowSeed002AndUptimeKuma) {
  const CheckSpec s =
      MustParse(R"({"id":"c1","target_id":"bot","url":"http://127.0.0.1:8080/health"})");
  EXPECT_EQ(s.organization_id, "acme");
  EXPECT_EQ(s.target_type, CheckTargetType::kAgent);
  EXPECT_EQ(s.kind, CheckKind::kHttp);
  EXPECT_EQ(s.method, Method::kGet);
  EXPECT_EQ(s.interval, milliseconds(30'000));
  EXPECT_EQ(s.timeout, milliseconds(10'000));
  EXPECT_EQ(s.retries, 0);
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(FormatStatusRanges(s.expected_status), "200-399");
}

// F12: a short interval alone is accepted; its timeout is half of it, not the 10 s default.
TEST(CheckSpecTest, AShortIntervalWithoutATimeoutGetsOneThatFits) {
  const CheckSpec s = MustParse(
      R"({"id":"c1","target_id":"bot","url":"http://127.0.0.1:8080/","interval_seconds":5})");
  EXPECT_EQ(s.interval, milliseconds(5'000));
  EXPECT_EQ(s.timeout, milliseconds(2'500));
  const CheckSpec given = MustParse(
      R"({"id":"c1","target_id":"bot","url":"http://h/","interval_seconds":5,"timeout_ms":4000})");
  EXPECT_EQ(given.timeout, milliseconds(4'000));
}

TEST(CheckSpecTest, EveryFieldSurvivesTheRoundTrip) {
  const CheckSpec s = MustParse(R"({
    "id":"db","target_type":"integration","target_id":"postgres","kind":"http",
    "url":"http://[::1]:9000/status?deep=1","method":"POST","headers":{"X-Token":"t"},
    "body":"{}","expected_status":[200,"204-206","3xx"],"body_keyword":"error",
    "keyword_absent":true,"json_condition":{"path":"checks.db.ok","op":"==","value":true},
    "interval_seconds":0.5,"timeout_ms":250,"retries":2,"enabled":false})");
  EXPECT_EQ(s.target_type, CheckTargetType::kIntegration);
  EXPECT_EQ(FormatStatusRanges(s.expected_status), "200,204-206,300-399");
  EXPECT_EQ(s.interval, milliseconds(500));
  ASSERT_TRUE(s.json_condition.has_value());
  EXPECT_EQ(s.json_condition->value.ToJson(), "true");
  auto address = ParseCheckAddress(s.kind, s.url);
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->host, "::1");
  EXPECT_EQ(address->port, 9000);
  EXPECT_EQ(address->target, "/status?deep=1");

  const std::string json = CheckSpecToJson(s);
  const CheckSpec again = MustParse(json);
  EXPECT_EQ(CheckSpecToJson(again), json);
  EXPECT_EQ(again.headers, s.headers);
  EXPECT_EQ(again.method, Method::kPost);
  EXPECT_FALSE(again.enabled);
  EXPECT_TRUE(again.keyword_absent);
}

TEST(CheckSpecTest, AnAddressMakesATcpCheck) {
  const CheckSpec s = MustParse(R"({"id":"t","target_id":"bot","address":"localhost:6379"})");
  EXPECT_EQ(s.kind, CheckKind::kTcp);
  auto address = ParseCheckAddress(s.kind, s.url);
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->host, "localhost");
  EXPECT_EQ(address->port, 6379);
}

TEST(CheckSpecTest, ErrorsNameTheField) {
  const std::string base = R"("id":"c","target_id":"bot",)";
  auto with = [&](std::string rest) { return "{" + base + rest + "}"; };
  EXPECT_EQ(ErrorOf(R"({"id":"c","url":"http://h/"})"), "target_id: required");
  EXPECT_EQ(ErrorOf(R"({"target_id":"b","url":"http://h/"})"), "id: required");
  EXPECT_EQ(ErrorOf(with(R"("url":"ftp://h/")")), "url: must start with http://: \"ftp://h/\"");
  EXPECT_EQ(ErrorOf(with(R"("url":"https://h/")")),
            "url: https is not supported yet (plain http only): \"https://h/\"");
  EXPECT_EQ(ErrorOf(with(R"("url":"http://h:99999/")")),
            "url: port must be 1-65535: \"http://h:99999/\"");
  EXPECT_EQ(ErrorOf(with(R"("kind":"tcp","url":"h")")), "url: missing port (host:port): \"h\"");
  EXPECT_EQ(ErrorOf(with(R"("url":"http://h/","interval_seconds":0)")),
            "interval_seconds: must be between 0.1 and 86400");
  EXPECT_EQ(ErrorOf(with(R"("url":"http://h/","interval_seconds":5,"timeout_ms":5000)")),
            "timeout_ms: 5000 must be less than the interval (5000 ms)");
  EXPECT_EQ(ErrorOf(with(R"("url":"http://h/","json_condition":{"path":"a","op":"~","value":1})")),
            "json_condition.op: unknown operator \"~\" (== != < <= > >= contains)");
  EXPECT_EQ(
      ErrorOf(with(R"("url":"http://h/","json_condition":{"path":"a","op":"<","value":"x"})")),
      "json_condition.value: < needs a number");
  EXPECT_EQ(ErrorOf(with(R"("url":"http://h/","expected_status":"abc")")),
            "expected_status: \"abc\" is not a status or a range like 200-299");
  EXPECT_EQ(ErrorOf(with(R"("url":"http://h/","expected_status":[700])")),
            "expected_status: 700 is not a range of HTTP statuses (100-599)");
  EXPECT_EQ(ErrorOf(with(R"("url":"http://h/","target_type":"robot")")),
            "target_type: must be \"agent\" or \"integration\", got \"robot\"");
  EXPECT_EQ(ErrorOf(with(R"("url":"http://h/","intervl":3)")), "intervl: unknown field");
  EXPECT_EQ(ErrorOf(with(R"("address":"h:1","body_keyword":"x")")),
            "body_keyword: only for http checks");
  EXPECT_EQ(ErrorOf(with(R"("url":"http://h/","retries":-1)")),
            "retries: expected an integer 0-100");
  EXPECT_EQ(ErrorOf(R"([1])"), "body: expected a JSON object");
  EXPECT_EQ(ErrorOf(with(R"("url":"http://h/","method":"BREW")")),
            "method: unknown method \"BREW\"");
}

}  // namespace
}  // namespace vitals::server
