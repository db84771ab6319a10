// TenantPolicy: what a tenant's registration may ask of the host, decided against the operator's
// grants before anything is stored. Refusals are kPermissionDenied (403) naming the field, the
// reason and the operator's flag that would allow it. These are the registration-time checks; the
// clients check outbound addresses again when they connect (so a name that later resolves
// elsewhere is caught), and the Notifier refuses command routes again when delivering.
#pragma once

#include <string>

#include "collect/database_spec.h"
#include "core/status.h"
#include "server/api/operator_grants.h"
#include "server/checks/check_spec.h"
#include "server/notify/delivery_route.h"

namespace vitals::server {

// Command routes need allow_command_routes; HTTP routes' hosts must be public (AdmitHost).
core::Status AdmitRoute(const DeliveryRoute& route, const OperatorGrants& grants);
// The check's host must be public (AdmitHost).
core::Status AdmitCheck(const CheckSpec& spec, const OperatorGrants& grants);
// Resolves `host` and refuses it when any of its addresses is not public, unless
// allow_private_targets. A name that does not resolve now is let through: the client checks
// again at connect time. Blocking (getaddrinfo).
core::Status AdmitHost(std::string_view field, const std::string& host,
                       const OperatorGrants& grants);

// `path` (absolute) canonicalised — symlinks and `..` resolved, as far as it exists — when it lies
// in one of the allowed directories. Call before anything looks at the path.
core::Result<std::string> AdmitWorkspacePath(const std::string& path, const OperatorGrants& grants);
// sqlite: the file must lie in an allowed directory and must not be the server's own database;
// postgresql/redis: the host must be public (AdmitHost); postgresql also takes no host list, no
// Unix socket and no connection option that picks another host or a local file.
core::Status AdmitDatabase(const collect::DatabaseSpec& spec, const OperatorGrants& grants);

}  // namespace vitals::server
