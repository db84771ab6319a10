// Who acknowledges, from the body of POST .../alerts/{id}/acknowledge and
// .../incidents/{id}/acknowledge: {"by": NAME} or {"acknowledged_by": NAME} (the README's
// name); with neither (or no body) the caller's key id, else "api".
#pragma once

#include <string>

#include "core/status.h"
#include "server/api/router.h"
#include "server/http/http_types.h"

namespace vitals::server {

// InvalidArgument naming the field for a body that is not a JSON object, a name that is not a
// non-empty string of at most 256 bytes, or "by" and "acknowledged_by" naming different people.
core::Result<std::string> AcknowledgedBy(const HttpRequest& req, const RequestContext& ctx);

}  // namespace vitals::server
