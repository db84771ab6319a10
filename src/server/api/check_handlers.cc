// Active checks (issue 4): POST /api/v1/checks, GET /api/v1/checks, GET and DELETE
// /api/v1/checks/{id}. A check is validated in full, then written to the store (resource kind
// "check", so a restart keeps it), then handed to the CheckRunner — nothing half-registered.
#include "server/api/api_server.h"
#include "server/api/error_mapping.h"
#include "server/api/tenant_policy.h"
#include "server/checks/check_runner.h"
#include "server/checks/check_spec_json.h"
#include "server/json/json_writer.h"

namespace vitals::server {

namespace {

using core::Status;

constexpr std::string_view kKind = "check";

void WriteOutcome(JsonWriter& w, const CheckOutcome& o) {
  w.BeginObject()
      .Field("at", o.at)
      .Field("success", o.success)
      .Field("state", CheckStateName(o.state))
      .Field("state_changed", o.state_changed)
      .Field("latency_ms", o.latency_ms)
      .Field("status_code", o.status_code)
      .Field("detail", o.detail)
      .EndObject();
}

void WriteView(JsonWriter& w, const CheckView& v, bool with_history) {
  w.BeginObject();
  WriteCheckSpecFields(w, v.spec);
  w.Field("state", CheckStateName(v.state))
      .Field("last_checked", v.last_checked)
      .Field("latency_ms", v.last_checked ? std::optional<double>(v.latency_ms) : std::nullopt)
      .Field("status_code", v.status_code)
      .Field("consecutive_failures", v.consecutive_failures)
      .Field("last_error",
             v.last_error.empty() ? std::nullopt : std::optional<std::string>(v.last_error));
  if (with_history) {
    w.Key("history").BeginArray();
    for (const CheckOutcome& o : v.history) WriteOutcome(w, o);
    w.EndArray();
  }
  w.EndObject();
}

HttpResponse TurnedOff() {
  return ErrorResponse(Status::Unavailable("active checks are turned off on this server"));
}

void Post(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  if (s.checks == nullptr) return respond(TurnedOff());
  auto spec = ParseCheckSpec(req.body, ctx.organization_id);
  if (!spec.ok()) return respond(ErrorResponse(spec.status()));
  if (Status st = AdmitCheck(*spec, s.grants); !st.ok()) return respond(ErrorResponse(st));
  const bool existed = s.checks->Get(ctx.organization_id, spec->id).ok();
  const core::Timestamp now = s.clock->Now();
  store::ResourceRecord record{
      ctx.organization_id, std::string(kKind), spec->id, CheckSpecToJson(*spec), now, now};
  if (Status st = s.store.PutResource(record); !st.ok()) return respond(ErrorResponse(st));
  if (Status st = s.checks->Put(*spec); !st.ok()) {
    // Only a new check can be refused here (too many checks): take it back out of the store.
    if (!existed) (void)s.store.DeleteResource(ctx.organization_id, kKind, spec->id);
    return respond(ErrorResponse(st));
  }
  auto view = s.checks->Get(ctx.organization_id, spec->id);
  if (!view.ok()) return respond(ErrorResponse(view.status()));  // removed meanwhile
  JsonWriter w;
  WriteView(w, *view, false);
  respond(HttpResponse::Json(existed ? 200 : 201, w.Take()));
}

void List(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  if (s.checks == nullptr) return respond(TurnedOff());
  const std::vector<CheckView> views = s.checks->List(ctx.organization_id);
  JsonWriter w;
  w.BeginObject().Field("total", static_cast<uint64_t>(views.size())).Key("checks").BeginArray();
  for (const CheckView& v : views) WriteView(w, v, false);
  w.EndArray().EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

void Get(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  if (s.checks == nullptr) return respond(TurnedOff());
  auto view = s.checks->Get(ctx.organization_id, ctx.Param("id"));
  if (!view.ok()) return respond(ErrorResponse(view.status()));
  JsonWriter w;
  WriteView(w, *view, true);
  respond(HttpResponse::Json(200, w.Take()));
}

void Delete(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  if (s.checks == nullptr) return respond(TurnedOff());
  const std::string_view id = ctx.Param("id");
  const Status stored = s.store.DeleteResource(ctx.organization_id, kKind, id);
  if (!stored.ok() && stored.code() != core::StatusCode::kNotFound) {
    return respond(ErrorResponse(stored));
  }
  const Status running = s.checks->Remove(ctx.organization_id, id);
  if (!running.ok() && !stored.ok()) return respond(ErrorResponse(running));
  JsonWriter w;
  w.BeginObject().Field("id", id).Field("deleted", true).EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

}  // namespace

void RegisterCheckRoutes(Router& router, Services& s) {
  using store::KeyScope;
  auto bind = [&s](void (*f)(HttpRequest&, RequestContext&, Responder, Services&)) {
    return [&s, f](HttpRequest& r, RequestContext& c, Responder d) { f(r, c, std::move(d), s); };
  };
  router.Add(Method::kPost, "/api/v1/checks", KeyScope::kAdmin, bind(Post));
  router.Add(Method::kGet, "/api/v1/checks", KeyScope::kRead, bind(List));
  router.Add(Method::kGet, "/api/v1/checks/{id}", KeyScope::kRead, bind(Get));
  router.Add(Method::kDelete, "/api/v1/checks/{id}", KeyScope::kAdmin, bind(Delete));
}

}  // namespace vitals::server
