// Typed reads of query parameters, each failing with a message that names the parameter.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>

#include "core/status.h"
#include "core/time.h"
#include "server/http/http_types.h"

namespace vitals::server {

// Ok when every query parameter of `r` is one of `accepted` or an authentication parameter
// (token, api_key: any endpoint takes them). Else InvalidArgument naming the first unknown one
// and listing the accepted ones, so a mistyped filter is not silently ignored (F22).
core::Status KnownParams(const HttpRequest& r, std::initializer_list<std::string_view> accepted);

// An integer in [lo, hi]; `fallback` when absent.
core::Result<int64_t> IntParam(const HttpRequest& r, std::string_view name, int64_t fallback,
                               int64_t lo, int64_t hi);
// An RFC 3339 time or seconds since the epoch; nullopt when absent.
core::Result<std::optional<core::Timestamp>> TimeParam(const HttpRequest& r, std::string_view name);
// "true"/"false"/"1"/"0"; nullopt when absent.
core::Result<std::optional<bool>> BoolParam(const HttpRequest& r, std::string_view name);

}  // namespace vitals::server
