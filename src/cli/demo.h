// Demo: feeds a Monitor with a small simulated fleet on the real clock and prints what it sees —
// transitions and alerts as they happen, the fleet table every couple of seconds. It shows the
// engine end to end before the server exists.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

namespace vitals::cli {

struct DemoOptions {
  std::chrono::seconds duration{20};
  std::chrono::milliseconds table_every{2000};
  int agents = 12;
};

// The first line: the fleet, and only those scripted failures that happen before the run ends.
std::string DemoAnnouncement(const DemoOptions& options);

// Runs the demo to completion, writing to `out`. Returns a process exit code.
int RunDemo(const DemoOptions& options, std::ostream& out);

}  // namespace vitals::cli
