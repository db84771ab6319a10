// vitals: real-time health monitor for fleets of AI agents.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/client_commands.h"
#include "cli/demo.h"
#include "cli/serve_command.h"
#include "cli/version.h"

int main(int argc, char** argv) {
  CLI::App app{"vitals — real-time health monitor for fleets of AI agents"};
  app.set_version_flag("--version", std::string("vitals ") + vitals::cli::kVersion);
  app.require_subcommand(1);

  auto serve = vitals::cli::AddServeCommand(app);
  auto client = vitals::cli::AddClientCommands(app);
  vitals::cli::DemoOptions demo;
  int seconds = static_cast<int>(demo.duration.count());
  CLI::App* demo_cmd =
      app.add_subcommand("demo", "Feed the engine a simulated fleet and print its health");
  demo_cmd->add_option("--seconds", seconds, "How long to run")->check(CLI::Range(1, 3600));
  demo_cmd->add_option("--agents", demo.agents, "Simulated agents")->check(CLI::Range(2, 10000));

  CLI11_PARSE(app, argc, argv);
  if (demo_cmd->parsed()) {
    demo.duration = std::chrono::seconds(seconds);
    return vitals::cli::RunDemo(demo, std::cout);
  }
  if (int rc = serve(); rc >= 0) return rc;
  if (int rc = client(); rc >= 0) return rc;
  return 0;
}
