// OperatorGrants: the host-level powers the operator hands to tenants (issue 14). An API key is
// an organization's, not the machine's: without a grant, nothing registered through the API runs
// a program on the host, reads a file of the operator's choosing, or reaches the host's own
// network. Set from the server's configuration (--allow-command-routes, --allow-private-targets,
// --allow-paths); every field's default refuses.
#pragma once

#include <string>
#include <vector>

namespace vitals::server {

struct OperatorGrants {
  bool allow_command_routes = false;   // tenants may create `command` delivery routes
  bool allow_private_targets = false;  // routes, checks and database probes may reach
                                       // loopback, link-local and private addresses
  // Directories under which tenants may register workspaces and sqlite probes (compared after
  // resolving symlinks and `..` on both sides); empty: none.
  std::vector<std::string> allowed_paths;
  // The server's own database: never a probe target, nor its -wal, -shm and -journal files.
  std::string database_path;
};

}  // namespace vitals::server
