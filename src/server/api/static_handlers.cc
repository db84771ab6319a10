// The dashboard's files: GET / (index.html) and GET /assets/{file} from the web root, public
// because the page holds no data (the data APIs it calls ask for the key). Files are read from
// disk on each request so a rebuilt dashboard is served without a restart; ETag (size and
// modification time) plus "Cache-Control: no-cache" make the browser revalidate cheaply.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include "server/api/api_server.h"
#include "server/api/error_mapping.h"

namespace vitals::server {
namespace {

namespace fs = std::filesystem;

// The default when the caller passes no root: $VITALS_WEB_ROOT, else `web` beside the binary
// (the build copies web/dist there, so build/vitals finds build/web).
std::string DefaultWebRoot() {
  if (const char* env = std::getenv("VITALS_WEB_ROOT"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "web";
  return (exe.parent_path() / "web").string();
}

// Only plain names: no separators, no leading dot (so neither ".." nor hidden files).
bool SafeName(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.front() == '.') return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string_view ContentType(std::string_view name) {
  struct Entry {
    std::string_view ext, type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".map", "application/json"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
  };
  for (const Entry& e : kTypes) {
    if (name.ends_with(e.ext)) return e.type;
  }
  return "application/octet-stream";
}

std::string ETagOf(const fs::path& file, uintmax_t size) {
  std::error_code ec;
  const auto mtime = fs::last_write_time(file, ec).time_since_epoch().count();
  std::ostringstream tag;
  tag << '"' << std::hex << size << '-' << mtime << '"';
  return tag.str();
}

// Serves one regular file under `root`; 404 when it is missing (the dashboard not built).
HttpResponse ServeFile(const HttpRequest& request, const fs::path& root, std::string_view name) {
  const fs::path file = root / std::string(name);
  std::error_code ec;
  const uintmax_t size = fs::file_size(file, ec);
  if (ec || !fs::is_regular_file(file, ec)) {
    return ErrorResponse(404, "not_found", "no such file: " + std::string(name));
  }
  HttpResponse r;
  r.content_type = ContentType(name);
  const std::string etag = ETagOf(file, size);
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (auto match = request.headers.Get("If-None-Match"); match && *match == etag) {
    r.status = 304;
    return r;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  if (!in && !in.eof()) {
    return ErrorResponse(500, "internal", "cannot read " + std::string(name));
  }
  r.body = std::move(body).str();
  return r;
}

}  // namespace

void RegisterStaticRoutes(Router& router, Services& services, std::string web_root) {
  const fs::path root = web_root.empty() ? DefaultWebRoot() : std::move(web_root);
  router.AddPublic(Method::kGet, "/", [root](HttpRequest& r, RequestContext&, Responder d) {
    HttpResponse page = ServeFile(r, root, "index.html");
    // The page runs only its own script and talks only to this server.
    page.headers.emplace_back("Content-Security-Policy",
                              "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                              "img-src 'self' data:; connect-src 'self' ws: wss:");
    d(std::move(page));
  });
  router.AddPublic(
      Method::kGet, "/assets/{file}", [root](HttpRequest& r, RequestContext& c, Responder d) {
        const std::string_view name = c.Param("file");
        if (!SafeName(name)) {
          return d(ErrorResponse(404, "not_found", "no such file: " + std::string(name)));
        }
        d(ServeFile(r, root / "assets", name));
      });
}

}  // namespace vitals::server
