// What `vitals serve --help` and the log lines show: the kind of value each setting takes (F25:
// SECONDS, ADDRESS, FILE... rather than TEXT), and logfmt-safe message text.
#pragma once

#include <string>
#include <string_view>

#include "server/app/server_config.h"

namespace vitals::cli {

// The placeholder shown after the flag in --help: "HOST:PORT", "FILE", "SECONDS", "MS",
// "BYTES", "PERCENT", "true|false", "INTEGER", "NUMBER", ... (from the option's key, help text
// and parser).
std::string ConfigValueKind(const server::ConfigOption& option);

// `text` fit to stand between the double quotes of a logfmt value: `"` and `\` escaped,
// newlines and other control characters as \n, \t or \xHH.
std::string EscapeLogfmt(std::string_view text);

// Makes spdlog's default logger write `time level=... msg="..."` lines, the message escaped as
// above so that every line stays parseable logfmt.
void InstallLogfmtPattern();

}  // namespace vitals::cli
