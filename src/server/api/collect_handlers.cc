// Registered workspaces and database targets (issue 4): POST/GET /api/v1/workspaces,
// DELETE /api/v1/workspaces/{id}, and the same under /api/v1/databases. A spec is validated in
// full before anything is written (400 naming the field, nothing half-registered), persisted in
// the store, then handed to the CollectorRunner; without a runner the routes answer 503.
#include "collect/collector_specs.h"
#include "server/api/api_server.h"
#include "server/api/error_mapping.h"
#include "server/api/tenant_policy.h"
#include "server/json/json_writer.h"

namespace vitals::server {
namespace {

using core::Status;

void WriteWorkspace(JsonWriter& w, const collect::WorkspaceStatus& ws) {
  const collect::WorkspaceSpec& s = ws.spec;
  w.BeginObject()
      .Field("id", s.id)
      .Field("path", s.path)
      .Field("warning_bytes", s.warning_bytes)
      .Field("critical_bytes", s.critical_bytes)
      .Field("max_entries", s.max_entries)
      .Field("time_budget_ms", core::ToMillisF(s.time_budget))
      .Field("interval_seconds", core::ToSecondsF(s.interval))
      .Key("latest");
  if (!ws.latest) {
    w.Null().EndObject();
    return;
  }
  const collect::WorkspaceSample& l = *ws.latest;
  w.BeginObject()
      .Field("at", l.at)
      .Field("status", collect::WorkspaceStatusName(l.status))
      .Field("exists", l.exists)
      .Field("readable", l.readable)
      .Field("writable", l.writable)
      .Field("size_bytes", l.size_bytes)
      .Field("file_count", l.file_count)
      .Field("complete", l.complete)
      .Field("growth_bytes_per_hour", l.growth_bytes_per_hour)
      .Field("scan_ms", l.scan_ms)
      .Key("issues")
      .BeginArray();
  for (const std::string& issue : l.issues) w.String(issue);
  w.EndArray().EndObject().EndObject();
}

void WriteDatabase(JsonWriter& w, const collect::DatabaseStatus& db) {
  const collect::DatabaseSpec& s = db.spec;
  w.BeginObject()
      .Field("id", s.id)
      .Field("url", collect::RedactUrl(s.url))
      .Field("interval_seconds", core::ToSecondsF(s.interval))
      .Field("timeout_ms", core::ToMillisF(s.timeout))
      .Key("latest");
  if (!db.latest) {
    w.Null().EndObject();
    return;
  }
  const collect::DatabaseSample& l = *db.latest;
  w.BeginObject()
      .Field("at", l.at)
      .Field("kind", collect::DatabaseKindName(l.kind))
      .Field("up", l.up)
      .Field("round_trip_ms", l.round_trip_ms)
      .Field("error", l.up ? std::optional<std::string>() : std::optional<std::string>(l.error))
      .EndObject()
      .EndObject();
}

HttpResponse CollectorsOff() {
  return ErrorResponse(Status::Unavailable("collectors are turned off"));
}

// Stores the spec, then registers it; a registration that fails takes the stored row back out.
template <typename Spec>
Status Register(Services& s, std::string_view kind, const Spec& spec, std::string json,
                Status (collect::CollectorRunner::*add)(Spec)) {
  const core::Timestamp now = s.clock->Now();
  if (Status st = s.store.PutResource(
          {spec.organization_id, std::string(kind), spec.id, std::move(json), now, now});
      !st.ok()) {
    return st;
  }
  Status added = (s.collectors->*add)(spec);
  if (!added.ok()) (void)s.store.DeleteResource(spec.organization_id, kind, spec.id);
  return added;
}

void PostWorkspace(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  if (!s.collectors) return respond(CollectorsOff());
  auto spec = collect::ParseWorkspaceSpec(req.body, ctx.organization_id);
  if (!spec.ok()) return respond(ErrorResponse(spec.status()));
  if (Status st = spec->ValidateFields(); !st.ok()) return respond(ErrorResponse(st));
  // Before Validate, which stats the path: outside the allowed directories, nothing is looked at.
  auto path = AdmitWorkspacePath(spec->path, s.grants);
  if (!path.ok()) return respond(ErrorResponse(path.status()));
  spec->path = std::move(*path);  // what was checked is what is scanned
  if (Status st = spec->Validate(); !st.ok()) return respond(ErrorResponse(st));
  if (Status st = Register(s, collect::kWorkspaceKind, *spec, collect::WorkspaceSpecToJson(*spec),
                           &collect::CollectorRunner::AddWorkspace);
      !st.ok()) {
    return respond(ErrorResponse(st));
  }
  JsonWriter w;
  WriteWorkspace(w, {*spec, std::nullopt});
  respond(HttpResponse::Json(201, w.Take()));
}

void PostDatabase(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  if (!s.collectors) return respond(CollectorsOff());
  auto spec = collect::ParseDatabaseSpec(req.body, ctx.organization_id);
  if (!spec.ok()) return respond(ErrorResponse(spec.status()));
  if (Status st = spec->Validate(); !st.ok()) return respond(ErrorResponse(st));
  if (Status st = AdmitDatabase(*spec, s.grants); !st.ok()) return respond(ErrorResponse(st));
  if (Status st = Register(s, collect::kDatabaseKind, *spec, collect::DatabaseSpecToJson(*spec),
                           &collect::CollectorRunner::AddDatabase);
      !st.ok()) {
    return respond(ErrorResponse(st));
  }
  JsonWriter w;
  WriteDatabase(w, {*spec, std::nullopt});
  respond(HttpResponse::Json(201, w.Take()));
}

void ListWorkspaces(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  if (!s.collectors) return respond(CollectorsOff());
  JsonWriter w;
  w.BeginObject().Key("workspaces").BeginArray();
  for (const auto& ws : s.collectors->ListWorkspaces(ctx.organization_id)) WriteWorkspace(w, ws);
  w.EndArray().EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

void ListDatabases(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  if (!s.collectors) return respond(CollectorsOff());
  JsonWriter w;
  w.BeginObject().Key("databases").BeginArray();
  for (const auto& db : s.collectors->ListDatabases(ctx.organization_id)) WriteDatabase(w, db);
  w.EndArray().EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

// Removes the stored spec and the registration; 404 only when neither existed.
void Remove(RequestContext& ctx, Responder respond, Services& s, std::string_view kind) {
  if (!s.collectors) return respond(CollectorsOff());
  const std::string_view id = ctx.Param("id");
  const Status stored = s.store.DeleteResource(ctx.organization_id, kind, id);
  if (!stored.ok() && stored.code() != core::StatusCode::kNotFound) {
    return respond(ErrorResponse(stored));
  }
  const Status running = kind == collect::kWorkspaceKind
                             ? s.collectors->RemoveWorkspace(ctx.organization_id, id)
                             : s.collectors->RemoveDatabase(ctx.organization_id, id);
  if (!stored.ok() && !running.ok()) return respond(ErrorResponse(running));
  JsonWriter w;
  w.BeginObject().Field("id", id).Field("deleted", true).EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

}  // namespace

void RegisterCollectRoutes(Router& router, Services& s) {
  using store::KeyScope;
  auto bind = [&s](void (*f)(HttpRequest&, RequestContext&, Responder, Services&)) {
    return [&s, f](HttpRequest& r, RequestContext& c, Responder d) { f(r, c, std::move(d), s); };
  };
  auto remove = [&s](std::string_view kind) {
    return [&s, kind](HttpRequest&, RequestContext& c, Responder d) {
      Remove(c, std::move(d), s, kind);
    };
  };
  router.Add(Method::kPost, "/api/v1/workspaces", KeyScope::kAdmin, bind(PostWorkspace));
  router.Add(Method::kGet, "/api/v1/workspaces", KeyScope::kRead, bind(ListWorkspaces));
  router.Add(Method::kDelete, "/api/v1/workspaces/{id}", KeyScope::kAdmin,
             remove(collect::kWorkspaceKind));
  router.Add(Method::kPost, "/api/v1/databases", KeyScope::kAdmin, bind(PostDatabase));
  router.Add(Method::kGet, "/api/v1/databases", KeyScope::kRead, bind(ListDatabases));
  router.Add(Method::kDelete, "/api/v1/databases/{id}", KeyScope::kAdmin,
             remove(collect::kDatabaseKind));
}

}  // namespace vitals::server
