// The one table from core::StatusCode to HTTP status, and the JSON error body every failure
// carries: {"error": "<message naming the problem>", "code": "invalid_argument", "status": 400}.
// Storage and internal failures (kIoError, kInternal) are the exception: their details (file
// paths, SQL) are logged, and the client gets a generic message.
#pragma once

#include "core/status.h"
#include "server/http/http_types.h"

namespace vitals::server {

int HttpStatusFor(core::StatusCode code);
HttpResponse ErrorResponse(const core::Status& status);
// For statuses that have no StatusCode (404 route, 405 method): same body shape.
HttpResponse ErrorResponse(int http_status, std::string_view code, std::string_view message);

}  // namespace vitals::server
