#include "server/api/tenant_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>

#include "server/http/address_policy.h"
#include "server/notify/http_target.h"

namespace vitals::server {
namespace {

namespace fs = std::filesystem;
using core::Status;

// The class of a resolved address and its text, or nullopt for other families.
std::optional<std::pair<AddressClass, std::string>> Describe(const sockaddr* sa) {
  char text[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    std::array<uint8_t, 4> b{};
    std::memcpy(b.data(), &in->sin_addr, 4);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    return std::pair(ClassifyIpv4(b), std::string(text));
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    std::array<uint8_t, 16> b{};
    std::memcpy(b.data(), &in6->sin6_addr, 16);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    return std::pair(ClassifyIpv6(b), std::string(text));
  }
  return std::nullopt;
}

// `p` made absolute, with symlinks and `..` resolved as far as it exists.
fs::path Canonical(const std::string& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? fs::path(p).lexically_normal() : c;
}

bool Within(const fs::path& target, const fs::path& dir) {
  auto [d, t] = std::mismatch(dir.begin(), dir.end(), target.begin(), target.end());
  return d == dir.end() || (std::next(d) == dir.end() && d->empty());  // "dir/" as "dir"
}

bool SameFile(const fs::path& a, const fs::path& b) {
  struct stat sa {};
  struct stat sb {};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

// Canonicalises `path` and refuses it unless it lies in an allowed directory.
core::Result<fs::path> AdmitPath(std::string_view field, std::string_view what,
                                 const std::string& path, const OperatorGrants& g) {
  if (g.allowed_paths.empty()) {
    return Status::PermissionDenied(std::string(field) + ": " + std::string(what) +
                                    " may be registered through the API only inside directories "
                                    "the operator allows with --allow-paths, and none are set");
  }
  const fs::path canonical = Canonical(path);
  for (const std::string& dir : g.allowed_paths) {
    if (Within(canonical, Canonical(dir))) return canonical;
  }
  std::string shown = path;
  if (canonical.string() != path) shown += " (" + canonical.string() + ")";
  return Status::PermissionDenied(
      std::string(field) + ": " + shown +
      " is outside the directories the operator allows (--allow-paths)");
}

// libpq reads connection options from the URL's query, and some of them choose another host
// (host, hostaddr, service) or a local file (passfile, sslkey, ...): tenants get a few harmless
// ones; others belong in the config file. Keys are compared undecoded, so "ho%73t" is refused too.
Status AdmitPostgresOptions(std::string_view url) {
  static constexpr std::string_view kAllowed[] = {"sslmode", "connect_timeout", "application_name",
                                                  "target_session_attrs"};
  const size_t q = url.find('?');
  if (q == std::string_view::npos) return Status::Ok();
  std::string_view query = url.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::string_view key = pair.substr(0, pair.find('='));
    if (!key.empty() &&
        std::find(std::begin(kAllowed), std::end(kAllowed), key) == std::end(kAllowed)) {
      return Status::PermissionDenied(
          "url: connection option \"" + std::string(key) +
          "\" is not accepted through the API (define the database in the server's config file)");
    }
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return Status::Ok();
}

}  // namespace

Status AdmitHost(std::string_view field, const std::string& host, const OperatorGrants& g) {
  if (g.allow_private_targets) return Status::Ok();
  std::string name = host;
  if (name.size() > 2 && name.front() == '[' && name.back() == ']')
    name = name.substr(1, name.size() - 2);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(name.c_str(), nullptr, &hints, &found) != 0) return Status::Ok();
  Status result;
  for (const addrinfo* a = found; a != nullptr && result.ok(); a = a->ai_next) {
    auto described = Describe(a->ai_addr);
    if (!described || AddressAllowed(described->first, false)) continue;
    const std::string shown =
        described->second == name ? name : host + " (" + described->second + ")";
    result = Status::PermissionDenied(RefusedAddressMessage(field, shown, described->first));
  }
  ::freeaddrinfo(found);
  return result;
}

Status AdmitRoute(const DeliveryRoute& route, const OperatorGrants& g) {
  if (route.kind == ChannelKind::kCommand) {
    if (g.allow_command_routes) return Status::Ok();
    return Status::PermissionDenied(
        "kind: command routes run programs on the server's host and may be created through the "
        "API only when the operator starts the server with --allow-command-routes");
  }
  auto target = HttpTarget::Parse(route.url);
  if (!target.ok()) return target.status();
  return AdmitHost("url", target->host, g);
}

Status AdmitCheck(const CheckSpec& spec, const OperatorGrants& g) {
  auto address = ParseCheckAddress(spec.kind, spec.url);
  if (!address.ok()) return address.status();
  return AdmitHost(spec.kind == CheckKind::kTcp ? "address" : "url", address->host, g);
}

core::Result<std::string> AdmitWorkspacePath(const std::string& path, const OperatorGrants& g) {
  auto admitted = AdmitPath("path", "workspaces", path, g);
  if (!admitted.ok()) return admitted.status();
  return admitted->string();
}

Status AdmitDatabase(const collect::DatabaseSpec& spec, const OperatorGrants& g) {
  auto url = collect::ParseDatabaseUrl(spec.url);
  if (!url.ok()) return url.status();
  if (url->kind != collect::DatabaseKind::kSqlite) {
    if (url->kind == collect::DatabaseKind::kPostgres) {
      if (Status st = AdmitPostgresOptions(spec.url); !st.ok()) return st;
      // libpq takes "a,b" as two hosts and a host starting with '/' as a Unix socket directory.
      if (url->host.find_first_of(",/%") != std::string::npos) {
        return Status::PermissionDenied(
            "url: the host must be one host name or address (no host lists or Unix sockets "
            "through the API; define such a database in the server's config file)");
      }
    }
    return AdmitHost("url", url->host, g);
  }
  auto admitted = AdmitPath("url", "sqlite databases", url->path, g);
  if (!admitted.ok()) return admitted.status();
  if (!g.database_path.empty()) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      const fs::path own = Canonical(g.database_path + suffix);
      if (*admitted == own || SameFile(*admitted, own)) {
        return Status::PermissionDenied("url: " + url->path +
                                        " is the server's own database, which is never probed");
      }
    }
  }
  return Status::Ok();
}

}  // namespace vitals::server
