// `vitals routes add|list|remove` and `vitals deliveries` (F9): where alerts go and what became
// of each notification, over /api/v1/routes and /api/v1/deliveries.
#include <iostream>

#include "cli/client_support.h"
#include "cli/table.h"
#include "server/json/json_writer.h"

namespace vitals::cli {
namespace {

namespace dom = simdjson::dom;
using server::Method;

struct RouteArgs {
  std::string id, kind, url, secret;
  std::vector<std::string> command, severities, source_types, source_ids;
  int reminder_seconds = -1, max_attempts = 0, timeout_ms = 0;
};

void Strings(server::JsonWriter& w, const char* key, const std::vector<std::string>& list) {
  if (list.empty()) return;
  w.Key(key).BeginArray();
  for (const std::string& s : list) w.String(s);
  w.EndArray();
}

std::string RouteBody(const RouteArgs& a) {
  server::JsonWriter w;
  w.BeginObject().Field("id", a.id).Field("kind", a.kind);
  if (!a.url.empty()) w.Field("url", a.url);
  Strings(w, "command", a.command);
  if (!a.secret.empty()) w.Field("secret", a.secret);
  Strings(w, "severities", a.severities);
  Strings(w, "source_types", a.source_types);
  Strings(w, "source_ids", a.source_ids);
  if (a.reminder_seconds >= 0) w.Field("reminder_seconds", a.reminder_seconds);
  if (a.max_attempts > 0) w.Field("max_attempts", a.max_attempts);
  if (a.timeout_ms > 0) w.Field("timeout_ms", a.timeout_ms);
  w.EndObject();
  return w.Take();
}

void RenderRoutes(dom::element r) {
  Table t({"ID", "KIND", "TARGET", "SEVERITIES", "SOURCE TYPES", "SOURCES", "REMINDER S"});
  for (dom::element route : Items(r, "routes")) {
    const std::string kind = Field(route, "kind");
    t.Row({Field(route, "id"), kind,
           kind == "command" ? Joined(route, "command", " ") : Field(route, "url"),
           Joined(route, "severities", ","), Joined(route, "source_types", ","),
           Joined(route, "source_ids", ","), Field(route, "reminder_seconds")});
  }
  t.Print(std::cout);
  std::cout << Count(t.size(), "route", "routes") << "\n";
}

void RenderDeliveries(dom::element r) {
  Table t({"AT", "ALERT", "ROUTE", "CHANGE", "ATTEMPT", "OUTCOME", "DETAIL"});
  for (dom::element d : Items(r, "deliveries")) {
    t.Row({Field(d, "at"), Field(d, "alert_id"), Field(d, "route_id"), Field(d, "change"),
           Field(d, "attempt"), Field(d, "outcome"), Field(d, "detail")});
  }
  t.Print(std::cout, 70);
  std::cout << Count(t.size(), "delivery", "deliveries") << "\n";
}

void AddRouteAdd(CLI::App* routes, const CommandContext& ctx) {
  auto a = std::make_shared<RouteArgs>();
  CLI::App* add = routes->add_subcommand("add", "Add (or replace) a route");
  ctx.Options(add);
  add->add_option("id", a->id, "Route id")->required();
  add->add_option("--kind", a->kind, "webhook, slack, alertmanager or command")
      ->required()
      ->check(CLI::IsMember({"webhook", "slack", "alertmanager", "command"}));
  add->add_option("--url", a->url, "http:// URL (webhook, slack; alertmanager: its base URL)");
  // After `--`, so that the program's own options are not taken for ours.
  add->add_option("command", a->command,
                  "command kind: the program and its arguments after --, run without a shell "
                  "(routes add pager --kind command -- /usr/local/bin/page --team x)");
  add->add_option("--secret", a->secret, "webhook: HMAC-SHA256 key for X-Vitals-Signature");
  add->add_option("--severity", a->severities, "Only these severities (info, warning, critical)")
      ->delimiter(',');
  add->add_option("--source-type", a->source_types,
                  "Only these source types (agent, integration, system, ...)")
      ->delimiter(',');
  add->add_option("--source", a->source_ids, "Only these source ids")->delimiter(',');
  add->add_option("--reminder-seconds", a->reminder_seconds,
                  "Repeat while open and unacknowledged (0: never)");
  add->add_option("--max-attempts", a->max_attempts, "Tries per notification (default 5)");
  add->add_option("--timeout-ms", a->timeout_ms, "Timeout of one attempt (default 10000)");
  ctx.On(add, [g = ctx.g, a] {
    return Run(*g, Method::kPost, "/api/v1/routes", RouteBody(*a),
               [a](dom::element) { std::cout << "route " << a->id << " added\n"; });
  });
}

}  // namespace

void AddRouteCommands(CLI::App& app, const CommandContext& ctx) {
  CLI::App* routes = app.add_subcommand("routes", "Where alerts are delivered");
  routes->require_subcommand(1);
  AddRouteAdd(routes, ctx);
  auto id = std::make_shared<std::string>();
  CLI::App* remove = routes->add_subcommand("remove", "Remove a route");
  ctx.Options(remove);
  remove->add_option("id", *id, "Route id")->required();
  ctx.On(remove, [g = ctx.g, id] {
    return Run(*g, Method::kDelete, "/api/v1/routes/" + Escape(*id), "",
               [id](dom::element) { std::cout << "route " << *id << " removed\n"; });
  });
  CLI::App* test = routes->add_subcommand("test", "Send a test notification through a route");
  ctx.Options(test);
  test->add_option("id", *id, "Route id")->required();
  ctx.On(test, [g = ctx.g, id] {
    return Run(
        *g, Method::kPost, "/api/v1/routes/" + Escape(*id) + "/test", "",
        [id](dom::element) { std::cout << "test notification delivered through " << *id << "\n"; });
  });
  CLI::App* list = routes->add_subcommand("list", "Routes and their filters");
  ctx.Options(list);
  ctx.On(list, [g = ctx.g] { return Run(*g, Method::kGet, "/api/v1/routes", "", RenderRoutes); });

  auto alert = std::make_shared<std::string>();
  auto limit = std::make_shared<int>(50);
  CLI::App* deliveries =
      app.add_subcommand("deliveries", "The delivery log: every attempt, newest first");
  ctx.Options(deliveries);
  deliveries->add_option("--alert", *alert, "Only the deliveries of this alert");
  deliveries->add_option("--limit", *limit, "At most this many rows")->capture_default_str();
  ctx.On(deliveries, [g = ctx.g, alert, limit] {
    std::string target = "/api/v1/deliveries?limit=" + std::to_string(*limit);
    if (!alert->empty()) target += "&alert_id=" + Escape(*alert);
    return Run(*g, Method::kGet, target, "", RenderDeliveries);
  });
}

}  // namespace vitals::cli
