// `vitals incidents [--state ...]` and `vitals incidents ack ID --by NAME`: the incidents API
// (GET /api/health/incidents, POST /api/health/incidents/{id}/acknowledge) from the shell.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/client_support.h"

namespace vitals::cli {

void AddIncidentCommands(CLI::App& app, const CommandContext& ctx);

}  // namespace vitals::cli
