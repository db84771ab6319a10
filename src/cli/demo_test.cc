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

TEST(Demo, AnnouncesOnlyTheFailuresThatHappenBeforeTheEnd) {
  DemoOptions options;
  options.agents = 12;
  options.duration = std::chrono::seconds(20);
  const std::string full = DemoAnnouncement(options);
  EXPECT_NE(full.find("12 agents for 20 s"), std::string::npos) << full;
  EXPECT_NE(full.find("billing-bot starts failing at 5 s"), std::string::npos) << full;
  EXPECT_NE(full.find("scheduler stops its heartbeats at 8 s"), std::string::npos) << full;
  options.duration = std::chrono::seconds(6);
  const std::string six = DemoAnnouncement(options);
  EXPECT_NE(six.find("billing-bot starts failing at 5 s"), std::string::npos) << six;
  EXPECT_EQ(six.find("scheduler"), std::string::npos) << six;
  options.duration = std::chrono::seconds(4);
  const std::string four = DemoAnnouncement(options);
  EXPECT_EQ(four.find("billing-bot"), std::string::npos) << four;
  EXPECT_EQ(four.find("indexer starts"), std::string::npos) << four;
  EXPECT_NE(four.find("Nothing fails"), std::string::npos) << four;
}

}  // namespace
}  // namespace vitals::cli
