#include "collect/database_spec.h"

#include <charconv>

#include "core/execution_event.h"

namespace vitals::collect {
namespace {

using core::Status;

Status BadUrl(std::string_view why) { return Status::InvalidArgument("url: " + std::string(why)); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Splits "[user[:pass]@]host[:port]" into `u`. IPv6 hosts go in brackets.
Status ParseAuthority(std::string_view authority, int default_port, DatabaseUrl* u) {
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    const size_t colon = userinfo.find(':');
    u->user = PercentDecode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) u->password = PercentDecode(userinfo.substr(colon + 1));
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadUrl("unterminated [ in host");
    u->host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return BadUrl("unexpected text after ]");
    if (!rest.empty()) port_text = rest.substr(1);
  } else {
    const size_t colon = authority.rfind(':');
    u->host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (u->host.empty()) return BadUrl("missing host");
  u->port = default_port;
  if (!port_text.empty() || authority.ends_with(':')) {
    int port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      return BadUrl("bad port \"" + std::string(port_text) + "\" (1..65535)");
    }
    u->port = port;
  }
  return Status::Ok();
}

}  // namespace

std::string_view DatabaseKindName(DatabaseKind kind) {
  switch (kind) {
    case DatabaseKind::kSqlite:
      return "sqlite";
    case DatabaseKind::kPostgres:
      return "postgresql";
    case DatabaseKind::kRedis:
      return "redis";
  }
  return "sqlite";
}

core::Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url) {
  if (url.empty()) return BadUrl("required");
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return BadUrl("expected scheme://...");
  const std::string_view scheme = url.substr(0, sep);
  std::string_view rest = url.substr(sep + 3);
  DatabaseUrl u;
  if (scheme == "sqlite") {
    u.kind = DatabaseKind::kSqlite;
    u.path = PercentDecode(rest);
    if (u.path.empty() || u.path.front() != '/') {
      return BadUrl("sqlite needs an absolute path: sqlite:///abs/path.db");
    }
    return u;
  }
  if (scheme == "postgresql" || scheme == "postgres") {
    u.kind = DatabaseKind::kPostgres;
  } else if (scheme == "redis") {
    u.kind = DatabaseKind::kRedis;
  } else {
    return BadUrl("unknown scheme \"" + std::string(scheme) +
                  "\" (expected sqlite, postgresql or redis)");
  }
  rest = rest.substr(0, rest.find('?'));  // connection options are libpq's business
  const size_t slash = rest.find('/');
  if (slash != std::string_view::npos) u.database = PercentDecode(rest.substr(slash + 1));
  const int default_port = u.kind == DatabaseKind::kRedis ? 6379 : 5432;
  if (Status st = ParseAuthority(rest.substr(0, slash), default_port, &u); !st.ok()) return st;
  if (u.kind == DatabaseKind::kRedis && !u.database.empty()) {
    int db = 0;
    auto [end, ec] = std::from_chars(u.database.data(), u.database.data() + u.database.size(), db);
    if (ec != std::errc() || end != u.database.data() + u.database.size() || db < 0) {
      return BadUrl("redis database must be a number, got \"" + u.database + "\"");
    }
  }
  return u;
}

std::string RedactUrl(std::string_view url) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return std::string(url);
  const size_t start = sep + 3;
  const size_t end = url.find_first_of("/?", start);
  const std::string_view authority =
      url.substr(start, end == std::string_view::npos ? end : end - start);
  const size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  const size_t colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, start + colon + 1));
  out += "***";
  out += url.substr(start + at);
  return out;
}

core::Status DatabaseSpec::Validate() const {
  if (Status st = core::ValidateId("id", id, 256); !st.ok()) return st;
  if (auto u = ParseDatabaseUrl(url); !u.ok()) return u.status();
  if (interval.count() <= 0) return Status::InvalidArgument("interval_seconds: must be > 0");
  if (timeout.count() <= 0 || timeout > core::Seconds(60)) {
    return Status::InvalidArgument("timeout_ms: must be in (0, 60000]");
  }
  return Status::Ok();
}

}  // namespace vitals::collect
