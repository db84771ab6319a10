// ApiServer: the application's RequestHandler — finds the route, authenticates the caller with
// the route's scope, runs the handler, and counts the outcome.
//
// Thread-safety: Handle may be called concurrently.
#pragma once

#include <memory>

#include "server/api/owner_proxy.h"
#include "server/api/router.h"
#include "server/api/services.h"
#include "server/http/stream_handler.h"

namespace vitals::server {

class ApiServer final : public RequestHandler {
 public:
  // `web_root`: the dashboard's files ("" = $VITALS_WEB_ROOT, else web/ beside the binary).
  explicit ApiServer(Services& services, std::string web_root = "");

  void Handle(HttpRequest request, Responder respond) override;
  const Router& router() const { return router_; }

 private:
  Services& services_;
  Router router_;
  std::unique_ptr<OwnerProxy> proxy_;  // in a cluster
};

// Route registration, one function per family of endpoints (see each *_handlers.cc).
void RegisterIngestRoutes(Router& router, Services& services);
void RegisterAgentRoutes(Router& router, Services& services);
void RegisterHealthRoutes(Router& router, Services& services);
void RegisterOpsRoutes(Router& router, Services& services);
void RegisterKeyRoutes(Router& router, Services& services);
void RegisterCollectRoutes(Router& router, Services& services);
void RegisterDeliveryRoutes(Router& router, Services& services);
void RegisterCheckRoutes(Router& router, Services& services);
// The dashboard's files from `web_root` ("" = $VITALS_WEB_ROOT, else <binary's directory>/web).
void RegisterStaticRoutes(Router& router, Services& services, std::string web_root);

}  // namespace vitals::server
