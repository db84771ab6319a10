// The CLI's pure pieces: number and count formatting, exit codes, suggestions for unknown
// commands, the --help value kinds, logfmt escaping, the checks default timeout.
#include <gtest/gtest.h>

#include "cli/api_client.h"
#include "cli/client_support.h"
#include "cli/command_suggest.h"
#include "cli/serve_help.h"

namespace vitals::cli {
namespace {

TEST(PlainNumber, NeverScientific) {
  EXPECT_EQ(PlainNumber(11100.4), "11100");  // was "1.11e+04" (F15)
  EXPECT_EQ(PlainNumber(4550), "4550");
  EXPECT_EQ(PlainNumber(97210412.3), "97210412");
  EXPECT_EQ(PlainNumber(1e12), "1000000000000");
  EXPECT_EQ(PlainNumber(12.345), "12.3");
  EXPECT_EQ(PlainNumber(0.5), "0.5");
  EXPECT_EQ(PlainNumber(0.001234), "0.00123");
  EXPECT_EQ(PlainNumber(0), "0");
  EXPECT_EQ(PlainNumber(-3.5), "-3.5");
}

TEST(Count, PluralOnlyWhenNotOne) {
  EXPECT_EQ(Count(0, "agent", "agents"), "0 agents");
  EXPECT_EQ(Count(1, "agent", "agents"), "1 agent");
  EXPECT_EQ(Count(2, "delivery", "deliveries"), "2 deliveries");
}

TEST(ExitCode, UnreachableIsTwoAndRefusedIsOne) {
  EXPECT_EQ(ExitCodeFor(core::Status::Unavailable("cannot reach")), kExitUnreachable);
  EXPECT_EQ(ExitCodeFor(core::Status::NotFound("HTTP 404")), kExitRefused);
  EXPECT_EQ(ExitCodeFor(core::Status::FailedPrecondition("HTTP 400")), kExitRefused);
  EXPECT_EQ(kExitUnreachable, 2);
  EXPECT_EQ(kExitRefused, 1);
}

TEST(UnauthenticatedHint, NamesTheFlagAndTheVariable) {
  for (bool sent : {false, true}) {
    const std::string hint = UnauthenticatedHint(sent);
    EXPECT_NE(hint.find("--api-key"), std::string::npos) << hint;
    EXPECT_NE(hint.find("VITALS_API_KEY"), std::string::npos) << hint;
  }
}

TEST(SuggestCommand, AliasesThenTypos) {
  const std::vector<std::string> commands = {"serve", "status", "list", "agents", "keys", "demo"};
  EXPECT_EQ(UnknownCommandMessage("start", commands),
            "unknown command 'start' (did you mean serve?)");
  EXPECT_EQ(SuggestCommand("add", commands), "agents add");
  EXPECT_EQ(SuggestCommand("stauts", commands), "status");
  EXPECT_EQ(SuggestCommand("frobnicate", commands), "");
  EXPECT_EQ(UnknownCommandMessage("frobnicate", commands), "unknown command 'frobnicate'");
  EXPECT_EQ(SuggestCommand("routes", {"serve"}), "");  // an alias only for a command that exists
}

TEST(DefaultCheckTimeout, HalfAShortIntervalElseTenSeconds) {
  EXPECT_EQ(DefaultCheckTimeoutMs(5), 2500);  // F12: --interval 5 alone must work
  EXPECT_EQ(DefaultCheckTimeoutMs(30), 10000);
  EXPECT_EQ(DefaultCheckTimeoutMs(0.5), 250);
  EXPECT_EQ(DefaultCheckTimeoutMs(0), 0);  // no interval: the server's defaults
}

TEST(ConfigValueKind, NamesWhatEachSettingTakes) {
  std::map<std::string, std::string> kind;
  for (const server::ConfigOption& o : server::ConfigOptions()) kind[o.flag] = ConfigValueKind(o);
  EXPECT_EQ(kind["--listen"], "HOST:PORT");
  EXPECT_EQ(kind["--db"], "FILE");
  EXPECT_EQ(kind["--header-timeout"], "SECONDS");
  EXPECT_EQ(kind["--heartbeat-interval"], "MS");
  EXPECT_EQ(kind["--max-body-bytes"], "BYTES");
  EXPECT_EQ(kind["--retention-days"], "DAYS");
  EXPECT_EQ(kind["--cpu-warning"], "PERCENT");
  EXPECT_EQ(kind["--collect-system"], "true|false");
  EXPECT_EQ(kind["--threads"], "INTEGER");
  EXPECT_EQ(kind["--slo-objective"], "NUMBER");
  for (const auto& [flag, k] : kind) EXPECT_NE(k, "TEXT") << flag;
}

TEST(EscapeLogfmt, KeepsALineParseable) {
  EXPECT_EQ(EscapeLogfmt("key for organization \"default\""),
            "key for organization \\\"default\\\"");
  EXPECT_EQ(EscapeLogfmt("a\\b\nc\x01"), "a\\\\b\\nc\\u0001");
  EXPECT_EQ(EscapeLogfmt("plain"), "plain");
}

}  // namespace
}  // namespace vitals::cli
