#include "server/api/api_server.h"

#include "server/api/error_mapping.h"

namespace vitals::server {

ApiServer::ApiServer(Services& services, std::string web_root) : services_(services) {
  if (services_.cluster != nullptr)
    proxy_ = std::make_unique<OwnerProxy>(*services_.cluster, services_.limits.default_page_size);
  RegisterIngestRoutes(router_, services_);
  RegisterAgentRoutes(router_, services_);
  RegisterHealthRoutes(router_, services_);
  RegisterOpsRoutes(router_, services_);
  RegisterKeyRoutes(router_, services_);
  RegisterCollectRoutes(router_, services_);
  RegisterDeliveryRoutes(router_, services_);
  RegisterCheckRoutes(router_, services_);
  RegisterStaticRoutes(router_, services_, std::move(web_root));
}

void ApiServer::Handle(HttpRequest request, Responder respond) {
  // Count every outcome, whichever thread completes the request.
  Responder counted = [this, respond = std::move(respond)](HttpResponse r) {
    ApiCounters& c = services_.counters;
    (r.status >= 500 ? c.requests_5xx : r.status >= 400 ? c.requests_4xx : c.requests_2xx)++;
    respond(std::move(r));
  };
  Router::Match m = router_.Find(request.method, request.path);
  if (!m.route) {
    if (m.status == 405) {
      HttpResponse r =
          ErrorResponse(405, "method_not_allowed",
                        std::string(MethodName(request.method)) + " is not allowed on " +
                            request.path + " (allowed: " + m.allow + ")");
      r.headers.emplace_back("Allow", m.allow);
      counted(std::move(r));
      return;
    }
    counted(ErrorResponse(404, "not_found", "no such endpoint: " + request.path));
    return;
  }
  RequestContext ctx;
  if (!m.route->authenticate) {
    ctx.params = std::move(m.params);
    m.route->handler(request, ctx, std::move(counted));
    return;
  }
  if (core::Status s = services_.auth.Authenticate(request, m.route->scope, &ctx); !s.ok()) {
    HttpResponse r = ErrorResponse(s);
    if (s.code() == core::StatusCode::kUnauthenticated) {
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
    }
    counted(std::move(r));
    return;
  }
  ctx.params = std::move(m.params);
  if (proxy_ && proxy_->MaybeProxy(request, *m.route, ctx, counted)) return;
  m.route->handler(request, ctx, std::move(counted));
}

}  // namespace vitals::server
