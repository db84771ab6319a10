#include "cli/demo.h"

#include <gtest/gtest.h>

#include <sstream>

namespace vitals::cli {
namespace {

// The demo runs the real engine on the real clock: its scripted failures must show up.
TEST(Demo, ShowsTheScriptedFailuresAsTheyHappen) {
  DemoOptions options;
  options.duration = std::chrono::seconds(12);
  options.agents = 4;
  std::ostringstream out;
  ASSERT_EQ(RunDemo(options, out), 0);
  const std::string s = out.str();
  // Failures arrive a few per tick, so it may pass through degraded on the way.
  EXPECT_NE(s.find("billing-bot: critical_from_"), std::string::npos) << s;
  EXPECT_NE(s.find("scheduler: degrading"), std::string::npos) << s;
  EXPECT_NE(s.find("alert raised [warning] Agent indexer has 1 execution running longer"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("--- final"), std::string::npos);
}

}  // namespace
}  // namespace vitals::cli
