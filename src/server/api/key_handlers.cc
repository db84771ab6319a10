// API keys: POST /api/v1/keys (the secret is shown once), GET /api/v1/keys, DELETE
// /api/v1/keys/{id}. An admin key manages its own organization's keys only; on a server started
// open (no key, loopback) the first key can be made for any organization, and the server is keyed
// from then on. Revoking a key also closes its WebSocket/SSE streams.
#include <simdjson.h>

#include "server/api/api_server.h"
#include "server/api/error_mapping.h"
#include "server/api/stream_hub.h"
#include "server/json/json_writer.h"

namespace vitals::server {
namespace {

using core::Status;

void WriteKey(JsonWriter& w, const store::ApiKeyRecord& k, const std::string* secret) {
  w.BeginObject()
      .Field("id", k.id)
      .Field("organization_id", k.organization_id)
      .Field("name", k.name)
      .Field("scope", store::KeyScopeName(k.scope))
      .Field("created_at", k.created_at)
      .Field("revoked_at", k.revoked_at);
  if (secret) w.Field("key", *secret);
  w.EndObject();
}

void Create(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object o;
  if (parser.parse(req.body).get(root) || root.get_object().get(o)) {
    return respond(ErrorResponse(Status::InvalidArgument("body: expected a JSON object")));
  }
  std::string_view org = ctx.organization_id, name, scope_name;
  simdjson::dom::element v;
  if (o["organization_id"].get(v) == simdjson::SUCCESS && v.get_string().get(org)) {
    return respond(ErrorResponse(Status::InvalidArgument("organization_id: expected a string")));
  }
  if (o["name"].get(v) == simdjson::SUCCESS && v.get_string().get(name)) {
    return respond(ErrorResponse(Status::InvalidArgument("name: expected a string")));
  }
  if (o["scope"].get(v) || v.get_string().get(scope_name) || !store::ParseKeyScope(scope_name)) {
    return respond(ErrorResponse(Status::InvalidArgument("scope: expected ingest, read or admin")));
  }
  if (Status id = core::ValidateId("organization_id", org, 256); !id.ok()) {
    return respond(ErrorResponse(id));
  }
  if (!ctx.key_id.empty() && org != ctx.organization_id) {
    return respond(ErrorResponse(Status::PermissionDenied(
        "organization_id: an admin key manages keys of its own organization only")));
  }
  auto [secret, record] = Authenticator::NewKey(std::string(org), std::string(name),
                                                *store::ParseKeyScope(scope_name), s.clock->Now());
  if (Status st = s.store.CreateApiKey(record); !st.ok()) return respond(ErrorResponse(st));
  s.auth.KeyCreated();
  JsonWriter w;
  WriteKey(w, record, &secret);
  respond(HttpResponse::Json(201, w.Take()));
}

void List(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  auto keys = s.store.ListApiKeys(ctx.organization_id);
  if (!keys.ok()) return respond(ErrorResponse(keys.status()));
  JsonWriter w;
  w.BeginObject().Key("keys").BeginArray();
  for (const store::ApiKeyRecord& k : *keys) WriteKey(w, k, nullptr);
  w.EndArray().EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

void Revoke(HttpRequest&, RequestContext& ctx, Responder respond, Services& s) {
  const std::string_view id = ctx.Param("id");
  if (Status st = s.store.RevokeApiKey(ctx.organization_id, id, s.clock->Now()); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  s.auth.Invalidate();
  if (s.hub) s.hub->CloseKeyStreams(id);
  JsonWriter w;
  w.BeginObject().Field("id", id).Field("revoked", true).EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

}  // namespace

void RegisterKeyRoutes(Router& router, Services& s) {
  using store::KeyScope;
  router.Add(
      Method::kPost, "/api/v1/keys", KeyScope::kAdmin,
      [&s](HttpRequest& r, RequestContext& c, Responder d) { Create(r, c, std::move(d), s); });
  router.Add(Method::kGet, "/api/v1/keys", KeyScope::kAdmin,
             [&s](HttpRequest& r, RequestContext& c, Responder d) { List(r, c, std::move(d), s); });
  router.Add(
      Method::kDelete, "/api/v1/keys/{id}", KeyScope::kAdmin,
      [&s](HttpRequest& r, RequestContext& c, Responder d) { Revoke(r, c, std::move(d), s); });
}

}  // namespace vitals::server
