// Seed 003's commands against a running server, over HTTP: status, list, agents
// add|remove|pause|resume, alerts [ack ID], keys create|list|revoke. Tables for people, --json
// for scripts; a clear message when the server cannot be reached.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace vitals::cli {

// Adds the subcommands; returns a function that runs whichever was parsed (-1: none of them).
std::function<int()> AddClientCommands(CLI::App& app);

}  // namespace vitals::cli
