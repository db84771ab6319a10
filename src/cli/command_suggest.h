// What `vitals WORD` means when WORD is no command: the command a user of seed 003's daemon, or
// a typo, most likely meant (F13). Pure: no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vitals::cli {

// The command line to suggest for `word` among `commands` (the binary's subcommand names):
// known aliases first ("start" -> "serve", "add" -> "agents add"), else the nearest name within
// two edits, else "" (no guess).
std::string SuggestCommand(std::string_view word, const std::vector<std::string>& commands);

// The message for an unknown command: "unknown command 'start' (did you mean serve?)".
std::string UnknownCommandMessage(std::string_view word, const std::vector<std::string>& commands);

}  // namespace vitals::cli
