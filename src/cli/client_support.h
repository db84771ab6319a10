// What every client command shares: the server address and key options, the call that prints
// a table or the raw JSON, and the small formatters the tables use.
#pragma once

#include <simdjson.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "server/http/http_types.h"

namespace vitals::cli {

struct Globals {
  std::string server = "http://127.0.0.1:8080";
  std::string api_key;
  bool json = false;
  std::string db;  // keys commands: work on this database file directly instead of over HTTP
};

// Binds subcommands to the shared options and records which one was parsed.
struct CommandContext {
  std::shared_ptr<Globals> g = std::make_shared<Globals>();
  std::shared_ptr<std::function<int()>> action = std::make_shared<std::function<int()>>();

  // Adds --server, --api-key and --json to `cmd`.
  void Options(CLI::App* cmd) const;
  // Makes `f` the action to run when `cmd` is the parsed subcommand.
  void On(CLI::App* cmd, std::function<int()> f) const;
};

// The process exit codes of client commands; scripts rely on them.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;      // the server answered with an error (HTTP 4xx/5xx)
inline constexpr int kExitUnreachable = 2;  // no answer at all, or a malformed --server

// Exit code for a failed call: kExitUnreachable when no server answered, else kExitRefused.
int ExitCodeFor(const core::Status& status);

// Calls the server: the body of a 2xx answer, or an error fit to print.
core::Result<std::string> Fetch(const Globals& g, server::Method method, const std::string& target,
                                const std::string& body);
// Prints `status` as the CLI's error and returns its exit code.
int Fail(const core::Status& status);

// Calls the server; prints `render(json)` for people or the raw JSON with --json. Returns the
// process exit code (above).
int Run(const Globals& g, server::Method method, const std::string& target, const std::string& body,
        const std::function<void(simdjson::dom::element)>& render);

// Plain decimal text of a number for tables and messages: never scientific notation; integers
// without a fraction, others with 3 significant digits (at least the integer part).
std::string PlainNumber(double d);
// "1 agent", "3 agents".
std::string Count(size_t n, const char* one, const char* many);

std::string Text(simdjson::dom::element e);                    // "-" for null
std::string Field(simdjson::dom::element o, const char* key);  // "-" when absent
std::string Percent(simdjson::dom::element o, const char* key);
// The array field `key` joined by `sep`; "-" when absent or empty.
std::string Joined(simdjson::dom::element o, const char* key, const char* sep);
// The list of a list answer: the answer itself when it is an array, else its array under `key`
// (or `alt`), so a list reader takes both `[...]` and `{"routes": [...]}`. Empty otherwise.
simdjson::dom::array Items(simdjson::dom::element r, const char* key, const char* alt = nullptr);
std::string Escape(const std::string& id);  // for a URL path segment

// Adds `workspaces` and `checks` (issue 4's registered resources), then `routes`, `deliveries`,
// `windows` and `databases` (F9).
void AddResourceCommands(CLI::App& app, const CommandContext& ctx);
// checks add: the timeout sent when none is given: 10 s, or half the interval when that is
// shorter, since the server requires the timeout to be below the interval (F12). 0: no interval
// given, the server's default applies.
int DefaultCheckTimeoutMs(double interval_seconds);
void AddRouteCommands(CLI::App& app, const CommandContext& ctx);   // route_commands.cc
void AddWindowCommands(CLI::App& app, const CommandContext& ctx);  // window_commands.cc

}  // namespace vitals::cli
