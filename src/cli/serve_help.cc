#include "cli/serve_help.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "core/json_string.h"

namespace vitals::cli {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// spdlog flag %* : the message, escaped for a quoted logfmt value.
class LogfmtMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string escaped =
        EscapeLogfmt(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return spdlog::details::make_unique<LogfmtMessage>();
  }
};

}  // namespace

std::string ConfigValueKind(const server::ConfigOption& o) {
  static constexpr std::pair<std::string_view, std::string_view> kByFlag[] = {
      {"--listen", "HOST:PORT"},
      {"--db", "FILE"},
      {"--store", "URL"},
      {"--redis", "URL"},
      {"--node-id", "NAME"},
      {"--web-root", "DIR"},
      {"--allow-paths", "DIR[,DIR...]"},
      {"--log-level", "LEVEL"},
      {"--synchronous", "full|normal"},
      {"--system-organization", "ORGANIZATION"},
  };
  for (const auto& [flag, kind] : kByFlag) {
    if (o.flag == flag) return std::string(kind);
  }
  const std::string_view key = o.key;
  if (EndsWith(key, "_seconds")) return "SECONDS";
  if (EndsWith(key, "_ms")) return "MS";
  if (EndsWith(key, "_bytes")) return "BYTES";
  if (EndsWith(key, "_days")) return "DAYS";
  if (o.help.find("(%)") != std::string::npos) return "PERCENT";
  // What the parser says about a value that is no number tells its kind.
  server::ServerConfig scratch;
  const std::string refusal = o.set(scratch, "?").message();
  if (refusal.find("true or false") != std::string::npos) return "true|false";
  if (refusal.find("an integer") != std::string::npos) return "INTEGER";
  if (refusal.find("a number") != std::string::npos) return "NUMBER";
  return "TEXT";
}

std::string EscapeLogfmt(std::string_view text) {
  // logfmt's quoted values take Go's string escapes, of which JSON's are a subset.
  std::string out;
  core::AppendJsonString(out, text);
  return out.substr(1, out.size() - 2);
}

void InstallLogfmtPattern() {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<LogfmtMessage>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%eZ level=%l msg=\"%*\"");
  spdlog::set_formatter(std::move(formatter));
}

}  // namespace vitals::cli
