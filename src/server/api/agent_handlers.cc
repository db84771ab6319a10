// The agent registry: PUT/GET/DELETE /api/v1/agents/{id}, GET /api/v1/agents,
// POST /api/v1/agents/{id}/pause and /resume. Registrations are written to the store (durable)
// before the engine applies them, so a restart keeps them.
#include "server/api/api_server.h"
#include "server/api/error_mapping.h"
#include "server/api/query_params.h"
#include "server/json/settings_json.h"
#include "server/json/views_json.h"

namespace vitals::server {
namespace {

using core::Status;

void WriteAgentRecord(JsonWriter& w, std::string_view agent_id, const core::AgentSettings& s,
                      const engine::AgentSummary* summary) {
  w.BeginObject().Field("agent_id", agent_id).Key("settings");
  WriteSettings(w, s);
  if (summary) {
    w.Field("health", core::HealthStatusName(summary->status))
        .Field("status", core::ActivityStatusName(summary->activity));
  }
  w.EndObject();
}

// Writes `settings` for the agent to the store, then to the engine.
Status Persist(Services& s, const RequestContext& ctx, std::string_view agent_id,
               const core::AgentSettings& settings, bool* created) {
  if (Status v = core::ValidateAgentId(agent_id, s.monitor.options().limits.max_id_length);
      !v.ok()) {
    return v;
  }
  if (Status v = settings.Validate(); !v.ok()) return v;
  const core::Timestamp now = s.clock->Now();
  store::RegisteredAgent rec{ctx.organization_id, std::string(agent_id), settings, now, now};
  if (Status w = s.store.UpsertAgent(rec); !w.ok()) return w;
  auto r = s.monitor.RegisterAgent(ctx.organization_id, agent_id, settings);
  if (!r.ok()) return r.status();
  if (created) *created = *r;
  return Status::Ok();
}

core::AgentSettings CurrentSettings(Services& s, const RequestContext& ctx,
                                    std::string_view agent_id) {
  auto v = s.monitor.GetAgent(ctx.organization_id, agent_id);
  return v.ok() ? v->settings : s.monitor.options().defaults;
}

void Put(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  const std::string agent_id(ctx.Param("id"));
  core::AgentSettings settings = CurrentSettings(s, ctx, agent_id);
  if (Status st = MergeSettingsJson(req.body, &settings); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  bool created = false;
  if (Status st = Persist(s, ctx, agent_id, settings, &created); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  JsonWriter w;
  WriteAgentRecord(w, agent_id, settings, nullptr);
  respond(HttpResponse::Json(created ? 201 : 200, w.Take()));
}

void Get(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  auto v = s.monitor.GetAgent(ctx.organization_id, ctx.Param("id"));
  if (!v.ok()) return respond(ErrorResponse(v.status()));
  engine::AgentSummary summary;
  summary.status = v->health.status;
  summary.activity = v->activity;
  JsonWriter w;
  WriteAgentRecord(w, v->agent_id, v->settings, &summary);
  respond(HttpResponse::Json(200, w.Take()));
}

void List(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  if (core::Status st = KnownParams(req, {"limit", "offset"}); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  auto limit = IntParam(req, "limit", 1000, 1, s.limits.max_page_size);
  auto offset = IntParam(req, "offset", 0, 0, INT64_MAX);
  if (!limit.ok()) return respond(ErrorResponse(limit.status()));
  if (!offset.ok()) return respond(ErrorResponse(offset.status()));
  std::vector<engine::AgentSummary> rows = s.monitor.ListAgents(ctx.organization_id);
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.agent_id < b.agent_id; });
  JsonWriter w;
  w.BeginObject().Field("total", static_cast<uint64_t>(rows.size())).Key("agents").BeginArray();
  const size_t end = std::min(rows.size(), static_cast<size_t>(*offset + *limit));
  for (size_t i = static_cast<size_t>(*offset); i < end; ++i) {
    auto v = s.monitor.GetAgent(ctx.organization_id, rows[i].agent_id);
    if (v.ok()) WriteAgentRecord(w, rows[i].agent_id, v->settings, &rows[i]);
  }
  w.EndArray().EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

void Delete(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  const std::string_view id = ctx.Param("id");
  const Status stored = s.store.DeleteAgent(ctx.organization_id, id);
  if (!stored.ok() && stored.code() != core::StatusCode::kNotFound) {
    return respond(ErrorResponse(stored));
  }
  const Status engine = s.monitor.RemoveAgent(ctx.organization_id, id);
  if (!engine.ok() && !stored.ok()) return respond(ErrorResponse(engine));
  JsonWriter w;
  w.BeginObject().Field("agent_id", id).Field("deleted", true).EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

void SetPaused(RequestContext& ctx, Responder respond, Services& s, bool paused) {
  auto v = s.monitor.GetAgent(ctx.organization_id, ctx.Param("id"));
  if (!v.ok()) return respond(ErrorResponse(v.status()));
  core::AgentSettings settings = v->settings;
  settings.paused = paused;
  if (Status st = Persist(s, ctx, v->agent_id, settings, nullptr); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  JsonWriter w;
  w.BeginObject().Field("agent_id", v->agent_id).Field("paused", paused).EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

}  // namespace

void RegisterAgentRoutes(Router& router, Services& s) {
  using store::KeyScope;
  auto bind = [&s](void (*f)(HttpRequest&, RequestContext&, Responder, Services&)) {
    return [&s, f](HttpRequest& r, RequestContext& c, Responder d) { f(r, c, std::move(d), s); };
  };
  router.Add(Method::kPut, "/api/v1/agents/{id}", KeyScope::kAdmin, bind(Put));
  router.Add(Method::kGet, "/api/v1/agents/{id}", KeyScope::kRead, bind(Get));
  router.Add(Method::kDelete, "/api/v1/agents/{id}", KeyScope::kAdmin, bind(Delete));
  router.Add(Method::kGet, "/api/v1/agents", KeyScope::kRead, bind(List));
  router.Add(
      Method::kPost, "/api/v1/agents/{id}/pause", KeyScope::kAdmin,
      [&s](HttpRequest&, RequestContext& c, Responder d) { SetPaused(c, std::move(d), s, true); });
  router.Add(
      Method::kPost, "/api/v1/agents/{id}/resume", KeyScope::kAdmin,
      [&s](HttpRequest&, RequestContext& c, Responder d) { SetPaused(c, std::move(d), s, false); });
}

}  // namespace vitals::server
