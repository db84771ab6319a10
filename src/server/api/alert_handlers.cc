// Alerts: GET /api/health/alerts, POST /api/health/alerts/{id}/acknowledge.
#include <algorithm>

#include "server/api/acknowledge_body.h"
#include "server/api/alert_filter.h"
#include "server/api/api_server.h"
#include "server/api/error_mapping.h"
#include "server/json/views_json.h"

namespace vitals::server {
namespace {

using core::Status;

void ListAlerts(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  auto f = ParseAlertFilter(req, s.limits);
  if (!f.ok()) return respond(ErrorResponse(f.status()));
  std::vector<core::Alert> out;
  if (f->WantsOpen()) {  // open alerts: the engine is the authority
    for (core::Alert& a : s.monitor.OpenAlerts(ctx.organization_id)) {
      if (f->Matches(a)) out.push_back(std::move(a));
    }
  }
  if (f->WantsResolved()) {
    store::AlertQuery q;
    q.organization_id = ctx.organization_id;
    q.open = false;
    q.severity = f->severity;
    q.source_type = f->source_type;
    q.source_id = f->source_id;
    q.acknowledged = f->acknowledged;
    q.since = f->since;
    q.limit = f->limit;
    auto stored = s.store.QueryAlerts(q);
    if (!stored.ok()) return respond(ErrorResponse(stored.status()));
    for (core::Alert& a : *stored) out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(),
            [](const core::Alert& a, const core::Alert& b) { return a.raised_at > b.raised_at; });
  if (out.size() > static_cast<size_t>(f->limit)) out.resize(static_cast<size_t>(f->limit));
  JsonWriter w;
  w.BeginArray();
  for (const core::Alert& a : out) WriteAlert(w, a);
  w.EndArray();
  respond(HttpResponse::Json(200, w.Take()));
}

void Acknowledge(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  auto by = AcknowledgedBy(req, ctx);
  if (!by.ok()) return respond(ErrorResponse(by.status()));
  const std::string_view id = ctx.Param("id");
  auto acked = s.monitor.AcknowledgeAlert(ctx.organization_id, id, *by);
  if (!acked.ok()) {
    auto stored = s.store.GetAlert(ctx.organization_id, id);
    if (stored.ok() && *stored && !(*stored)->open()) {
      return respond(ErrorResponse(
          Status::FailedPrecondition("alert '" + std::string(id) + "' is already resolved")));
    }
    return respond(ErrorResponse(acked.status()));
  }
  JsonWriter w;
  WriteAlert(w, *acked);
  respond(HttpResponse::Json(200, w.Take()));
}

}  // namespace

void RegisterAlertRoutes(Router& router, Services& s) {
  using store::KeyScope;
  router.Add(
      Method::kGet, "/api/health/alerts", KeyScope::kRead,
      [&s](HttpRequest& r, RequestContext& c, Responder d) { ListAlerts(r, c, std::move(d), s); });
  // Acknowledging is part of watching: read keys (dashboards, on-call people) may do it.
  router.Add(
      Method::kPost, "/api/health/alerts/{id}/acknowledge", KeyScope::kRead,
      [&s](HttpRequest& r, RequestContext& c, Responder d) { Acknowledge(r, c, std::move(d), s); });
}

}  // namespace vitals::server
