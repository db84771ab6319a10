#include "cli/serve_command.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>

#include "cli/serve_help.h"
#include "server/app/server_app.h"

namespace vitals::cli {
namespace {

void SetLogLevel(const std::string& level) {
  InstallLogfmtPattern();
  if (level == "debug") spdlog::set_level(spdlog::level::debug);
  if (level == "info") spdlog::set_level(spdlog::level::info);
  if (level == "warning") spdlog::set_level(spdlog::level::warn);
  if (level == "error") spdlog::set_level(spdlog::level::err);
  if (level == "critical") spdlog::set_level(spdlog::level::critical);
}

// Operator grants and --insecure read as switches: bare, or --flag=true|false.
bool IsSwitch(std::string_view flag) {
  return flag == "--insecure" || flag == "--allow-command-routes" ||
         flag == "--allow-private-targets";
}
// Beyond the HTTP drain (--shutdown-timeout), what a stop may take to flush the store.
constexpr std::chrono::seconds kStopMargin{5};

// Ends the process if a stop is still running after `bound`: a stop must not hang forever.
class Watchdog {
 public:
  template <typename Duration>
  explicit Watchdog(Duration bound)
      : thread_([this, bound] {
          std::unique_lock lock(mu_);
          if (cv_.wait_for(lock, bound, [this] { return done_; })) return;
          spdlog::critical("stop did not finish in time: exiting without it");
          std::_Exit(1);
        }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;  // last: starts once the members it uses exist
};

struct ServeFlags {
  std::string config_file;
  std::map<std::string, std::string> values;  // flag -> text, for the flags given
  std::map<std::string, bool> switches;       // flag -> value, for on/off flags
  std::map<std::string, CLI::Option*> options;
};

int Run(ServeFlags& flags) {
  server::ServerConfig config;
  std::string file = flags.config_file;
  if (file.empty()) {
    if (const char* env = std::getenv("VITALS_CONFIG")) file = env;
  }
  if (!file.empty()) {
    if (core::Status s = server::ApplyConfigFile(file, &config); !s.ok()) {
      std::cerr << "vitals serve: " << s.message() << "\n";
      return 2;
    }
  }
  if (core::Status s =
          server::ApplyEnvironment(&config, [](const char* n) { return std::getenv(n); });
      !s.ok()) {
    std::cerr << "vitals serve: " << s.message() << "\n";
    return 2;
  }
  for (const server::ConfigOption& o : server::ConfigOptions()) {
    CLI::Option* opt = flags.options[o.flag];
    if (!opt || opt->count() == 0) continue;
    const auto on = flags.switches.find(o.flag);
    const std::string text =
        on == flags.switches.end() ? flags.values[o.flag] : (on->second ? "true" : "false");
    if (core::Status s = o.set(config, text); !s.ok()) {
      std::cerr << "vitals serve: " << o.flag << ": " << s.message() << "\n";
      return 2;
    }
  }
  SetLogLevel(config.log_level);

  // Signals are waited for on this thread; block them before any thread starts.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  server::ServerApp app(config);
  if (core::Status s = app.Start(); !s.ok()) {
    spdlog::critical("cannot start: {}", s.message());
    std::cerr << "vitals serve: " << s.message() << "\n";
    return 1;
  }
  std::cout << "vitals serving on http://" << config.host() << ":" << app.port() << "/"
            << std::endl;
  int sig = 0;
  sigwait(&set, &sig);
  spdlog::info("signal {}: stopping", sig);
  Watchdog watchdog(core::Seconds(config.shutdown_timeout_s) + kStopMargin);
  app.Stop();
  return 0;
}

}  // namespace

std::function<int()> AddServeCommand(CLI::App& app) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve the API, the streams and the dashboard, storing everything in an SQLite file\n"
      "(or a PostgreSQL database: --store).\n"
      "Settings, weakest first: defaults, the TOML file (--config), environment, flags.");
  cmd->add_option("--config", flags->config_file,
                  "TOML configuration file (keys as below, e.g. [server] listen = ...; "
                  "every key: vitals.example.toml) [env: VITALS_CONFIG]")
      ->type_name("FILE");
  server::ServerConfig defaults;
  for (const server::ConfigOption& o : server::ConfigOptions()) {
    const std::string help =
        o.help + "  [key: " + o.key + "] [env: " + o.env + "] [default: " + o.show(defaults) + "]";
    if (IsSwitch(o.flag)) {  // bare, or --flag=true|false
      flags->options[o.flag] = cmd->add_flag(o.flag, flags->switches[o.flag], help);
    } else {
      flags->options[o.flag] =
          cmd->add_option(o.flag, flags->values[o.flag], help)->type_name(ConfigValueKind(o));
    }
  }
  return [flags, cmd]() { return cmd->parsed() ? Run(*flags) : -1; };
}

}  // namespace vitals::cli
