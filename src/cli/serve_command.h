// `vitals serve`: every ConfigOption as a flag (its help names the environment variable and the
// default), then defaults < TOML file < environment < flags, then the server until SIGINT/SIGTERM.
#pragma once

#include <CLI/CLI.hpp>

namespace vitals::cli {

// Adds the subcommand; returns a function that runs it once parsed (exit code).
std::function<int()> AddServeCommand(CLI::App& app);

}  // namespace vitals::cli
