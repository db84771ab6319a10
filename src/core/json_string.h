#pragma once

#include <string>
#include <string_view>

namespace vitals::core {

// Appends `s` to `out` as a JSON string literal, quotes included. Control characters become
// escapes; bytes >= 0x80 pass through untouched (the caller's text is UTF-8).
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace vitals::core
