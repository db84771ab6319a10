// Router: maps a method and a path to a handler, with {name} segments captured as parameters.
// 404 when no pattern matches the path, 405 (with Allow) when patterns match it but not the
// method.
//
// Thread-safety: build it once, then Match() concurrently.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/http_types.h"
#include "store/store_types.h"

namespace vitals::server {

using PathParams = std::vector<std::pair<std::string, std::string>>;

struct RequestContext {
  std::string organization_id;
  store::KeyScope scope = store::KeyScope::kAdmin;
  std::string key_id;  // "" in open mode (no keys configured)
  PathParams params;

  std::string_view Param(std::string_view name) const;
};

using RouteHandler = std::function<void(HttpRequest&, RequestContext&, Responder)>;

struct Route {
  Method method;
  std::string pattern;    // "/api/v1/agents/{id}/pause"
  store::KeyScope scope;  // the least scope allowed to call it
  RouteHandler handler;
  bool authenticate = true;  // false: anyone may call it (liveness probes)
};

class Router {
 public:
  void Add(Method method, std::string pattern, store::KeyScope scope, RouteHandler handler);
  // A route that needs no credentials.
  void AddPublic(Method method, std::string pattern, RouteHandler handler);

  struct Match {
    const Route* route = nullptr;  // nullptr: see status
    PathParams params;
    int status = 200;   // 404 or 405 when route is nullptr
    std::string allow;  // for 405: "GET, PUT"
  };
  Match Find(Method method, std::string_view path) const;

 private:
  static bool MatchPattern(std::string_view pattern, std::string_view path, PathParams* params);
  std::vector<Route> routes_;
};

}  // namespace vitals::server
