// Incidents: GET /api/health/incidents, GET /api/health/incidents/{id},
// POST /api/health/incidents/{id}/acknowledge. Incidents are not stored: they are recomputed
// from the engine's open alerts and the store's recent ones (core::GroupIncidents groups them as
// the live tracker does), so their ids hold across restarts.
#include <algorithm>

#include "server/api/acknowledge_body.h"
#include "server/api/alert_filter.h"
#include "server/api/api_server.h"
#include "server/api/error_mapping.h"
#include "server/api/incident_listing.h"
#include "server/json/views_json.h"

namespace vitals::server {
namespace {

using core::Status;

struct SourceSelector {
  std::optional<core::AlertSource> type;
  std::optional<std::string> id;
  bool open_only = false;  // only open incidents are wanted: none without an open alert
};

// The alerts to group: the engine's open ones of the selected sources and the newest
// max_page_size stored ones. An incident older than that window may come back without its first
// alerts; at the default page size that takes ten thousand newer alerts of the organization.
core::Result<std::vector<core::Alert>> LoadAlerts(Services& s, const std::string& org,
                                                  const SourceSelector& sel) {
  std::vector<core::Alert> open;
  for (core::Alert& a : s.monitor.OpenAlerts(org)) {
    if ((!sel.type || a.source_type == *sel.type) && (!sel.id || a.source_id == *sel.id)) {
      open.push_back(std::move(a));
    }
  }
  if (sel.open_only && open.empty()) return open;  // spares the store read while all is well
  store::AlertQuery q;
  q.organization_id = org;
  q.source_type = sel.type;
  q.source_id = sel.id;
  q.limit = s.limits.max_page_size;
  auto stored = s.store.QueryAlerts(q);
  if (!stored.ok()) return stored.status();
  return AlertsForIncidents(std::move(open), std::move(*stored));
}

// The incident `id` of the organization: found through its first alert, then regrouped from
// the alerts of that alert's source (all of them, not only those raised since: the first alert
// may have joined an earlier incident, and then there is no incident `id`).
core::Result<std::optional<core::Incident>> LoadIncident(Services& s, const std::string& org,
                                                         std::string_view id) {
  std::optional<core::Alert> first;
  const std::vector<core::Alert> open = s.monitor.OpenAlerts(org);
  for (const std::string& candidate : FirstAlertIdCandidates(id)) {
    auto it = std::find_if(open.begin(), open.end(),
                           [&](const core::Alert& a) { return a.id == candidate; });
    if (it != open.end()) {
      first = *it;
      break;
    }
    auto stored = s.store.GetAlert(org, candidate);
    if (!stored.ok()) return stored.status();
    if (*stored) {
      first = std::move(**stored);
      break;
    }
  }
  if (!first) return std::optional<core::Incident>();
  auto alerts = LoadAlerts(s, org, {first->source_type, first->source_id});
  if (!alerts.ok()) return alerts.status();
  return FindIncident(std::move(*alerts), id);
}

HttpResponse IncidentResponse(const core::Incident& incident) {
  JsonWriter w;
  WriteIncident(w, incident);
  return HttpResponse::Json(200, w.Take());
}

void ListIncidents(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  auto f = ParseAlertFilter(req, s.limits);
  if (!f.ok()) return respond(ErrorResponse(f.status()));
  auto alerts =
      LoadAlerts(s, ctx.organization_id, {f->source_type, f->source_id, !f->WantsResolved()});
  if (!alerts.ok()) return respond(ErrorResponse(alerts.status()));
  const std::vector<core::Incident> incidents = SelectIncidents(std::move(*alerts), *f);
  JsonWriter w;
  w.BeginObject().Key("incidents").BeginArray();
  for (const core::Incident& i : incidents) WriteIncident(w, i);
  w.EndArray().Field("count", static_cast<int64_t>(incidents.size())).EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

void GetIncident(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  const std::string_view id = ctx.Param("id");
  auto incident = LoadIncident(s, ctx.organization_id, id);
  if (!incident.ok()) return respond(ErrorResponse(incident.status()));
  if (!*incident) {
    return respond(ErrorResponse(Status::NotFound("incident '" + std::string(id) + "' not found")));
  }
  respond(IncidentResponse(**incident));
}

// Acknowledges each open, unacknowledged alert of the incident as the alert endpoint does; an
// alert that resolves meanwhile is skipped (the incident stays, or becomes, resolved).
void AcknowledgeIncident(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  auto by = AcknowledgedBy(req, ctx);
  if (!by.ok()) return respond(ErrorResponse(by.status()));
  const std::string_view id = ctx.Param("id");
  auto incident = LoadIncident(s, ctx.organization_id, id);
  if (!incident.ok()) return respond(ErrorResponse(incident.status()));
  if (!*incident || !(*incident)->open()) {
    return respond(ErrorResponse(Status::NotFound("no open incident '" + std::string(id) + "'")));
  }
  for (const core::Alert& a : (*incident)->alerts) {
    if (!a.open() || a.acknowledged()) continue;
    auto acked = s.monitor.AcknowledgeAlert(ctx.organization_id, a.id, *by);
    if (!acked.ok() && acked.status().code() != core::StatusCode::kNotFound) {
      return respond(ErrorResponse(acked.status()));
    }
  }
  auto after = LoadIncident(s, ctx.organization_id, id);
  if (!after.ok()) return respond(ErrorResponse(after.status()));
  respond(IncidentResponse(*after ? **after : **incident));
}

}  // namespace

void RegisterIncidentRoutes(Router& router, Services& s) {
  using store::KeyScope;
  auto bind = [&s](void (*f)(HttpRequest&, RequestContext&, Responder, Services&)) {
    return [&s, f](HttpRequest& r, RequestContext& c, Responder d) { f(r, c, std::move(d), s); };
  };
  router.Add(Method::kGet, "/api/health/incidents", KeyScope::kRead, bind(ListIncidents));
  router.Add(Method::kGet, "/api/health/incidents/{id}", KeyScope::kRead, bind(GetIncident));
  // As for alerts: acknowledging is part of watching, so read keys may do it.
  router.Add(Method::kPost, "/api/health/incidents/{id}/acknowledge", KeyScope::kRead,
             bind(AcknowledgeIncident));
}

}  // namespace vitals::server
