#include "server/api/error_mapping.h"

#include <spdlog/spdlog.h>

#include "server/json/json_writer.h"

namespace vitals::server {

int HttpStatusFor(core::StatusCode code) {
  using C = core::StatusCode;
  switch (code) {
    case C::kOk:
      return 200;
    case C::kInvalidArgument:
      return 400;
    case C::kUnauthenticated:
      return 401;
    case C::kPermissionDenied:
      return 403;
    case C::kNotFound:
      return 404;
    case C::kAlreadyExists:
      return 409;
    case C::kFailedPrecondition:
      return 409;
    case C::kPayloadTooLarge:
      return 413;
    case C::kUnsupportedMedia:
      return 415;
    case C::kResourceExhausted:
      return 429;
    case C::kUnavailable:
      return 503;
    case C::kIoError:
      return 503;
    case C::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse ErrorResponse(int http_status, std::string_view code, std::string_view message) {
  JsonWriter w;
  w.BeginObject()
      .Field("error", message)
      .Field("code", code)
      .Field("status", http_status)
      .EndObject();
  HttpResponse r = HttpResponse::Json(http_status, w.Take());
  if (http_status == 429 || http_status == 503) r.headers.emplace_back("Retry-After", "1");
  return r;
}

HttpResponse ErrorResponse(const core::Status& status) {
  const int http_status = HttpStatusFor(status.code());
  const std::string_view code = core::StatusCodeName(status.code());
  if (status.code() == core::StatusCode::kIoError || status.code() == core::StatusCode::kInternal) {
    // Their messages name the database file, SQL and system errors: for the operator's log, not
    // for whoever sent the request.
    spdlog::error("answering {} ({}): {}", http_status, code, status.message());
    return ErrorResponse(http_status, code,
                         status.code() == core::StatusCode::kIoError
                             ? "storage error; the details are in the server log"
                             : "internal error; the details are in the server log");
  }
  return ErrorResponse(http_status, code, status.message());
}

}  // namespace vitals::server
