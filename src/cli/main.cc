// vitals: real-time health monitor for fleets of AI agents.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/client_commands.h"
#include "cli/command_suggest.h"
#include "cli/demo.h"
#include "cli/serve_command.h"
#include "cli/version.h"

namespace {

// Exit code of a command line that names no command (as for other usage errors).
constexpr int kExitUsage = 2;

// The first word when it is neither an option nor one of `app`'s commands; "" otherwise.
std::string UnknownCommand(CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-' || argv[1][0] == '\0') return "";
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_name() == argv[1]) return "";
  }
  return argv[1];
}

}  // namespace

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
  demo_cmd
      ->add_option("--seconds", seconds,
                   "How long to run, 1-3600 [default: " + std::to_string(seconds) + "]")
      ->type_name("SECONDS")
      ->check(CLI::Range(1, 3600).description(""));
  demo_cmd
      ->add_option("--agents", demo.agents,
                   "Simulated agents, 2-10000 [default: " + std::to_string(demo.agents) + "]")
      ->type_name("COUNT")
      ->check(CLI::Range(2, 10000).description(""));

  if (const std::string word = UnknownCommand(app, argc, argv); word == "help") {
    std::cout << app.help();
    return 0;
  } else if (!word.empty()) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    std::cerr << "vitals: " << vitals::cli::UnknownCommandMessage(word, names)
              << "\nRun `vitals --help` for the list of commands.\n";
    return kExitUsage;
  }
  CLI11_PARSE(app, argc, argv);
  if (demo_cmd->parsed()) {
    demo.duration = std::chrono::seconds(seconds);
    return vitals::cli::RunDemo(demo, std::cout);
  }
  if (int rc = serve(); rc >= 0) return rc;
  if (int rc = client(); rc >= 0) return rc;
  return 0;
}
