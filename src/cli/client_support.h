// What every client command shares: the server address and key options, the call that prints
// a table or the raw JSON, and the small formatters the tables use.
#pragma once

#include <simdjson.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

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

// Calls the server; prints `render(json)` for people or the raw JSON with --json. Returns the
// process exit code: 0, 1 (the server said no, or is unreachable), 2 (bad --server).
int Run(const Globals& g, server::Method method, const std::string& target, const std::string& body,
        const std::function<void(simdjson::dom::element)>& render);

std::string Text(simdjson::dom::element e);                    // "-" for null
std::string Field(simdjson::dom::element o, const char* key);  // "-" when absent
std::string Percent(simdjson::dom::element o, const char* key);
std::string Escape(const std::string& id);  // for a URL path segment

// Adds `workspaces` and `checks` (issue 4's registered resources).
void AddResourceCommands(CLI::App& app, const CommandContext& ctx);

}  // namespace vitals::cli
