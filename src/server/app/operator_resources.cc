#include "server/app/operator_resources.h"

#include <sstream>

#include "collect/collector_specs.h"
#include "server/notify/spec_json.h"

namespace vitals::server {
namespace {

using core::Status;

Status Validate(std::string_view kind, const std::string& json, const std::string& org) {
  if (kind == "routes") return ParseRouteSpec(json, org).status();
  if (kind == "workspaces") {
    auto spec = collect::ParseWorkspaceSpec(json, org);
    return spec.ok() ? spec->ValidateFields() : spec.status();
  }
  auto spec = collect::ParseDatabaseSpec(json, org);
  return spec.ok() ? spec->Validate() : spec.status();
}

}  // namespace

bool IsOperatorResourceKey(std::string_view key) {
  return key == "routes" || key == "workspaces" || key == "databases";
}

Status AddOperatorResources(std::string_view key, const toml::array& list, ServerConfig* config) {
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
    const toml::table* table = list[i].as_table();
    if (table == nullptr) return Status::InvalidArgument(where + ": expected a table");
    toml::table spec = *table;
    std::string org = "default";
    if (const toml::node* o = spec.get("organization")) {
      auto text = o->value<std::string>();
      if (!text || text->empty()) {
        return Status::InvalidArgument(where + ": organization: expected a non-empty string");
      }
      org = *text;
      spec.erase("organization");
    }
    std::ostringstream json;
    json << toml::json_formatter(spec);
    if (Status s = Validate(key, json.str(), org); !s.ok()) {
      return Status::InvalidArgument(where + ": " + s.message());
    }
    config->operator_resources.push_back({std::string(key), org, json.str()});
  }
  return Status::Ok();
}

}  // namespace vitals::server
