// The JSON form of workspace and database specs — the API's request bodies and the spec_json the
// store keeps (ResourceRecord kinds "workspace" and "database") — and loading them back at start.
//
// Workspace: {"id", "path", "warning_bytes"?, "critical_bytes"?, "max_entries"?,
//             "time_budget_ms"?, "interval_seconds"?}
// Database:  {"id", "url", "interval_seconds"?, "timeout_ms"?}
// Unknown fields are refused, so a misspelt threshold is not silently ignored.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "collect/collector_runner.h"
#include "store/store.h"

namespace vitals::collect {

inline constexpr std::string_view kWorkspaceKind = "workspace";
inline constexpr std::string_view kDatabaseKind = "database";

// Parses the fields of a spec; absent optional fields keep their defaults. InvalidArgument
// naming the field for bad JSON, a wrong type or an unknown field. Does not validate values:
// call Validate() on the result.
core::Result<WorkspaceSpec> ParseWorkspaceSpec(std::string_view json, std::string organization_id);
core::Result<DatabaseSpec> ParseDatabaseSpec(std::string_view json, std::string organization_id);

// Every field, in the form Parse*Spec reads. The database URL is kept whole (with its password):
// this is what the store keeps, not what the API shows.
std::string WorkspaceSpecToJson(const WorkspaceSpec& spec);
std::string DatabaseSpecToJson(const DatabaseSpec& spec);

struct LoadReport {
  int workspaces = 0;
  int databases = 0;
  std::vector<std::string> errors;  // "workspace acme/ws1: path: must be absolute", ...
};

// Decides whether a stored spec may still run, as a new registration would be decided (the
// server's policy on paths and hosts); may rewrite the workspace's path to its canonical form.
// Unset: every spec that validates is admitted.
struct SpecAdmission {
  std::function<core::Status(WorkspaceSpec&)> workspace;
  std::function<core::Status(const DatabaseSpec&)> database;
};

// Registers every stored workspace and database in `runner` (at start). A spec that no longer
// parses, validates or is admitted is skipped and named in `errors`; a collector that is turned
// off skips its kind silently. kIoError only when the store cannot be read.
core::Result<LoadReport> LoadCollectorSpecs(store::Store& store, CollectorRunner& runner,
                                            const SpecAdmission& admission = {});

}  // namespace vitals::collect
