#include "cli/command_suggest.h"

#include <algorithm>
#include <utility>

namespace vitals::cli {
namespace {

// Words from other monitors' CLIs (seed 003's daemon, service managers) and what they are here.
constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    {"start", "serve"},
    {"run", "serve"},
    {"server", "serve"},
    {"daemon", "serve"},
    {"add", "agents add"},
    {"remove", "agents remove"},
    {"rm", "agents remove"},
    {"pause", "agents pause"},
    {"resume", "agents resume"},
    {"agent", "agents"},
    {"ls", "list"},
    {"health", "status"},
    {"summary", "status"},
    {"key", "keys"},
    {"alert", "alerts"},
    {"route", "routes"},
    {"window", "windows"},
    {"database", "databases"},
    {"workspace", "workspaces"},
    {"check", "checks"},
    {"delivery", "deliveries"},
};

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string SuggestCommand(std::string_view word, const std::vector<std::string>& commands) {
  for (const auto& [alias, meant] : kAliases) {
    const std::string_view head = meant.substr(0, meant.find(' '));
    if (alias == word && std::find(commands.begin(), commands.end(), head) != commands.end()) {
      return std::string(meant);
    }
  }
  std::string best;
  size_t best_distance = 3;  // more than two edits is no longer a typo
  for (const std::string& c : commands) {
    const size_t d = EditDistance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string UnknownCommandMessage(std::string_view word, const std::vector<std::string>& commands) {
  std::string message = "unknown command '" + std::string(word) + "'";
  const std::string meant = SuggestCommand(word, commands);
  if (!meant.empty()) message += " (did you mean " + meant + "?)";
  return message;
}

}  // namespace vitals::cli
