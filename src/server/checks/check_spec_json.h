// CheckSpec to and from JSON: the body of POST /api/v1/checks and the spec kept in the store
// (resource kind "check").
//
// Fields: id, target_type ("agent" | "integration"), target_id, kind ("http" | "tcp"; "tcp" by
// default when only `address` is given), url (http://host:port/path; for tcp host:port, also
// accepted as `address`), method, headers (object of strings), body, expected_status (200,
// "200-299", "2xx", or an array of these), body_keyword, keyword_absent, json_condition {path,
// op, value}, interval_seconds (or interval_ms), timeout_ms (or timeout_seconds), retries,
// enabled. Unknown fields are rejected, so a typo is not silently a default.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "server/checks/check_spec.h"
#include "server/json/json_writer.h"

namespace vitals::server {

// Parses and validates; kInvalidArgument naming the field. `organization_id` is the caller's,
// never taken from the body.
core::Result<CheckSpec> ParseCheckSpec(std::string_view json, std::string_view organization_id);

// Writes the spec's fields (not the organization) into the object `w` is inside.
void WriteCheckSpecFields(JsonWriter& w, const CheckSpec& spec);
// The spec as a JSON object, as ParseCheckSpec reads it back.
std::string CheckSpecToJson(const CheckSpec& spec);

}  // namespace vitals::server
