// Where alerts go: delivery routes (POST/GET /api/v1/routes, DELETE /api/v1/routes/{id},
// POST /api/v1/routes/{id}/test),
// maintenance windows (POST/GET /api/v1/maintenance-windows, DELETE .../{id}) and the delivery
// log (GET /api/v1/deliveries?alert_id=&limit=). A spec is validated whole, written to the store
// (durable) and only then applied to the Notifier, so a restart keeps it and nothing is
// half-registered.
#include "server/api/api_server.h"
#include "server/api/error_mapping.h"
#include "server/api/query_params.h"
#include "server/api/tenant_policy.h"
#include "server/json/json_writer.h"
#include "server/notify/notifier.h"
#include "server/notify/spec_json.h"

namespace vitals::server {

namespace {

using core::Status;

Status Persist(Services& s, const RequestContext& ctx, std::string_view kind, const std::string& id,
               std::string spec) {
  const core::Timestamp now = s.clock->Now();
  return s.store.PutResource(
      store::ResourceRecord{ctx.organization_id, std::string(kind), id, std::move(spec), now, now});
}

HttpResponse Unavailable() {
  return ErrorResponse(Status::Unavailable("alert delivery is turned off on this server"));
}

void PostRoute(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  if (!s.notifier) return respond(Unavailable());
  auto route = ParseRouteSpec(req.body, ctx.organization_id);
  if (!route.ok()) return respond(ErrorResponse(route.status()));
  if (Status st = AdmitRoute(*route, s.grants); !st.ok()) return respond(ErrorResponse(st));
  for (const DeliveryRoute& existing : s.notifier->ListRoutes(ctx.organization_id)) {
    if (existing.id == route->id && existing.operator_defined) {
      return respond(ErrorResponse(Status::FailedPrecondition(
          "id: route " + route->id + " is defined in the server's config file")));
    }
  }
  if (Status st = Persist(s, ctx, kRouteKind, route->id, RouteSpecJson(*route, true)); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  std::string body = RouteSpecJson(*route, false);
  s.notifier->PutRoute(std::move(route.value()));
  respond(HttpResponse::Json(201, std::move(body)));
}

void ListRoutes(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  if (!s.notifier) return respond(Unavailable());
  std::string body = R"({"routes":[)";
  const char* sep = "";
  for (const DeliveryRoute& r : s.notifier->ListRoutes(ctx.organization_id)) {
    body.append(sep).append(RouteSpecJson(r, false));
    sep = ",";
  }
  respond(HttpResponse::Json(200, body + "]}"));
}

// Sends a test notification through the route and answers with the channel's outcome: 200 when
// the receiver took it, 502 naming why not.
void TestRoute(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  if (!s.notifier) return respond(Unavailable());
  const std::string id(ctx.Param("id"));
  auto done = [id, respond](Status status, std::string detail) {
    if (!status.ok()) {
      return respond(HttpResponse::Error(
          502, "route " + id + ": the test notification was not delivered: " + status.message()));
    }
    JsonWriter w;
    w.BeginObject().Field("route_id", id).Field("delivered", true).Field("detail", detail);
    respond(HttpResponse::Json(200, w.EndObject().Take()));
  };
  if (Status st = s.notifier->SendTest(ctx.organization_id, id, std::move(done)); !st.ok()) {
    respond(ErrorResponse(st));
  }
}

void PostWindow(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  if (!s.notifier) return respond(Unavailable());
  auto window = ParseWindowSpec(req.body, ctx.organization_id);
  if (!window.ok()) return respond(ErrorResponse(window.status()));
  std::string spec = WindowSpecJson(*window);
  if (Status st = Persist(s, ctx, kWindowKind, window->id, spec); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  s.notifier->PutWindow(std::move(window.value()));
  respond(HttpResponse::Json(201, std::move(spec)));
}

void ListWindows(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  if (!s.notifier) return respond(Unavailable());
  std::string body = R"({"windows":[)";
  const char* sep = "";
  for (const MaintenanceWindow& w : s.notifier->ListWindows(ctx.organization_id)) {
    body.append(sep).append(WindowSpecJson(w));
    sep = ",";
  }
  respond(HttpResponse::Json(200, body + "]}"));
}

// Deletes from the store first; the Notifier forgets it even if only the store had it.
void Delete(RequestContext& ctx, Responder respond, Services& s, std::string_view kind) {
  if (!s.notifier) return respond(Unavailable());
  const std::string id(ctx.Param("id"));
  if (Status st = s.store.DeleteResource(ctx.organization_id, kind, id); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  if (kind == kRouteKind) {
    s.notifier->RemoveRoute(ctx.organization_id, id);
  } else {
    s.notifier->RemoveWindow(ctx.organization_id, id);
  }
  JsonWriter w;
  w.BeginObject().Field("id", id).Field("deleted", true).EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

void ListDeliveries(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  if (core::Status st = KnownParams(req, {"limit", "incident_id", "alert_id"}); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  auto limit = IntParam(req, "limit", s.limits.default_page_size, 1, s.limits.max_page_size);
  if (!limit.ok()) return respond(ErrorResponse(limit.status()));
  // Deliveries are per incident; the log's column keeps its older name, alert_id, accepted too.
  const std::string alert_id(req.Query("incident_id").value_or(req.Query("alert_id").value_or("")));
  auto rows = s.store.QueryDeliveries(ctx.organization_id, alert_id, static_cast<int>(*limit));
  if (!rows.ok()) return respond(ErrorResponse(rows.status()));
  JsonWriter w;
  w.BeginObject().Key("deliveries").BeginArray();
  for (const store::DeliveryRecord& d : *rows) {
    w.BeginObject()
        .Field("id", d.id)
        .Field("incident_id", d.alert_id)
        .Field("alert_id", d.alert_id)
        .Field("route_id", d.route_id)
        .Field("change", d.change)
        .Field("attempt", d.attempt)
        .Field("outcome", d.outcome)
        .Field("detail", d.detail)
        .Field("at", d.at)
        .EndObject();
  }
  w.EndArray().EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

}  // namespace

void RegisterDeliveryRoutes(Router& router, Services& s) {
  using store::KeyScope;
  auto bind = [&s](void (*fn)(HttpRequest&, RequestContext&, Responder, Services&)) {
    return [&s, fn](HttpRequest& r, RequestContext& c, Responder d) { fn(r, c, std::move(d), s); };
  };
  router.Add(Method::kPost, "/api/v1/routes", KeyScope::kAdmin, bind(PostRoute));
  router.Add(Method::kGet, "/api/v1/routes", KeyScope::kRead, bind(ListRoutes));
  router.Add(Method::kPost, "/api/v1/routes/{id}/test", KeyScope::kAdmin, bind(TestRoute));
  router.Add(Method::kDelete, "/api/v1/routes/{id}", KeyScope::kAdmin,
             [&s](HttpRequest&, RequestContext& c, Responder d) {
               Delete(c, std::move(d), s, kRouteKind);
             });
  router.Add(Method::kPost, "/api/v1/maintenance-windows", KeyScope::kAdmin, bind(PostWindow));
  router.Add(Method::kGet, "/api/v1/maintenance-windows", KeyScope::kRead, bind(ListWindows));
  router.Add(Method::kDelete, "/api/v1/maintenance-windows/{id}", KeyScope::kAdmin,
             [&s](HttpRequest&, RequestContext& c, Responder d) {
               Delete(c, std::move(d), s, kWindowKind);
             });
  router.Add(Method::kGet, "/api/v1/deliveries", KeyScope::kRead, bind(ListDeliveries));
}

}  // namespace vitals::server
