// String lists stored as JSON arrays of strings (health issues, depends_on), as seed 000 stores
// `issues`: readable from SQL with json_each().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::store {

// ["a","b"]; escapes quotes, backslashes and control characters.
std::string EncodeJsonStrings(const std::vector<std::string>& values);

// Parses a JSON array of strings (any JSON whitespace; \uXXXX escapes incl. surrogate pairs).
// nullopt when `json` is anything else.
std::optional<std::vector<std::string>> DecodeJsonStrings(std::string_view json);

}  // namespace vitals::store
