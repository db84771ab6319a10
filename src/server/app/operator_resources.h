// Resources the operator defines in the server's own config file — the way to give a `command`
// route, a workspace or a sqlite probe to an organization without handing that power to every
// API key:
//
//   [[routes]]                       # any route spec of POST /api/v1/routes
//   organization = "acme"            # default: "default"
//   id = "restart"
//   kind = "command"
//   command = ["/usr/local/bin/restart-agent"]
//
//   [[workspaces]]  organization, and a spec of POST /api/v1/workspaces
//   [[databases]]   organization, and a spec of POST /api/v1/databases
//
// They are not subject to the operator's grants, are not written to the store (the file stays
// their one source), and the API lists them but cannot replace or delete them.
#pragma once

#include <toml++/toml.h>

#include <string>

#include "core/status.h"
#include "server/app/server_config.h"

namespace vitals::server {

// Whether `key` names a table array of operator resources ("routes", "workspaces", "databases").
bool IsOperatorResourceKey(std::string_view key);
// Validates each table of `list` as a spec of kind `key` and appends it to the config.
// InvalidArgument naming "routes[1]: command: ...".
core::Status AddOperatorResources(std::string_view key, const toml::array& list,
                                  ServerConfig* config);

}  // namespace vitals::server
