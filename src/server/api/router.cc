#include "server/api/router.h"

namespace vitals::server {

std::string_view RequestContext::Param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return {};
}

void Router::Add(Method method, std::string pattern, store::KeyScope scope, RouteHandler handler) {
  routes_.push_back(Route{method, std::move(pattern), scope, std::move(handler)});
}

void Router::AddPublic(Method method, std::string pattern, RouteHandler handler) {
  routes_.push_back(
      Route{method, std::move(pattern), store::KeyScope::kRead, std::move(handler), false});
}

bool Router::MatchPattern(std::string_view pattern, std::string_view path, PathParams* params) {
  params->clear();
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const size_t pe = pattern.find('/'), se = path.find('/');
    const std::string_view pseg = pattern.substr(0, pe), seg = path.substr(0, se);
    if (pseg.size() > 2 && pseg.front() == '{' && pseg.back() == '}') {
      if (seg.empty()) return false;
      params->emplace_back(std::string(pseg.substr(1, pseg.size() - 2)), std::string(seg));
    } else if (pseg != seg) {
      return false;
    }
    pattern = pe == std::string_view::npos ? std::string_view() : pattern.substr(pe);
    path = se == std::string_view::npos ? std::string_view() : path.substr(se);
  }
  return true;
}

Router::Match Router::Find(Method method, std::string_view path) const {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  Match m;
  m.status = 404;
  PathParams params;
  for (const Route& r : routes_) {
    if (!MatchPattern(r.pattern, path, &params)) continue;
    if (r.method == method || (method == Method::kHead && r.method == Method::kGet)) {
      m.route = &r;
      m.params = std::move(params);
      m.status = 200;
      return m;
    }
    m.status = 405;
    if (m.allow.find(MethodName(r.method)) == std::string::npos) {
      if (!m.allow.empty()) m.allow += ", ";
      m.allow += MethodName(r.method);
    }
  }
  return m;
}

}  // namespace vitals::server
