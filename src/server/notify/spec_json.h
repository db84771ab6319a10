// The JSON specs of routes and maintenance windows: what the API accepts and what the store
// keeps (resources of kind "route" and "maintenance_window"). Parsing validates fully, so a spec
// that parses can be applied as is.
//
// DeliveryRoute:  {"id", "kind": "webhook|slack|alertmanager|command", "url" | "command": [...],
//          "secret"?, "severities"?, "source_types"?, "source_ids"?, "reminder_seconds"?,
//          "max_attempts"?, "timeout_ms"?}
// Window: {"id", "agents"?, "integrations"?, "labels"? {"key": "value"}, "starts_at",
//          "ends_at"} (RFC 3339)
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "server/notify/delivery_route.h"
#include "server/notify/maintenance_window.h"

namespace vitals::server {

inline constexpr std::string_view kRouteKind = "route";
inline constexpr std::string_view kWindowKind = "maintenance_window";

// InvalidArgument naming the field on anything malformed or invalid.
core::Result<DeliveryRoute> ParseRouteSpec(std::string_view json,
                                           const std::string& organization_id);
// `with_secret`: the stored form keeps the secret; API answers say only "secret_set".
std::string RouteSpecJson(const DeliveryRoute& route, bool with_secret);

core::Result<MaintenanceWindow> ParseWindowSpec(std::string_view json,
                                                const std::string& organization_id);
std::string WindowSpecJson(const MaintenanceWindow& window);

}  // namespace vitals::server
