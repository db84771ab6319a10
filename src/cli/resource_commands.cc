// `vitals workspaces add|remove|list` and `vitals checks add|remove|list` (seed 003): thin
// wrappers over /api/v1/workspaces and /api/v1/checks.
#include <algorithm>
#include <iostream>

#include "cli/client_support.h"
#include "cli/table.h"
#include "server/json/json_writer.h"

namespace vitals::cli {
namespace {

namespace dom = simdjson::dom;
using server::Method;

// A field of the item or of its latest sample/state, whichever has it.
std::string Lookup(dom::element o, const char* key) {
  for (const char* nest : {"", "latest", "state", "sample"}) {
    dom::element v;
    dom::element holder = o;
    if (*nest && o[nest].get(holder)) continue;
    if (!holder[key].get(v)) return Text(v);
  }
  return "-";
}

void RenderWorkspaces(dom::element r) {
  Table t({"ID", "PATH", "STATUS", "SIZE BYTES", "FILES", "GROWTH B/H", "COMPLETE"});
  for (dom::element w : Items(r, "workspaces")) {
    t.Row({Lookup(w, "id"), Lookup(w, "path"), Lookup(w, "status"), Lookup(w, "size_bytes"),
           Lookup(w, "file_count"), Lookup(w, "growth_bytes_per_hour"), Lookup(w, "complete")});
  }
  t.Print(std::cout);
}

void RenderChecks(dom::element r) {
  Table t({"ID", "TARGET", "KIND", "STATE", "LATENCY MS", "LAST CHECKED", "LAST ERROR"});
  for (dom::element c : Items(r, "checks")) {
    t.Row({Lookup(c, "id"), Lookup(c, "target_type") + "/" + Lookup(c, "target_id"),
           Lookup(c, "kind"), Lookup(c, "state"), Lookup(c, "latency_ms"),
           Lookup(c, "last_checked"), Lookup(c, "last_error")});
  }
  t.Print(std::cout, 70);
}

struct WorkspaceArgs {
  std::string id, path;
  int64_t warning_bytes = 0, critical_bytes = 0;
};

struct CheckArgs {
  std::string id, agent, integration, http, tcp, keyword;
  double interval_seconds = 0;
  int timeout_ms = 0, retries = -1, expected_status = 0;
};

}  // namespace

int DefaultCheckTimeoutMs(double interval_seconds) {
  if (interval_seconds <= 0) return 0;
  return static_cast<int>(std::min(10'000.0, interval_seconds * 1000 / 2));
}

namespace {

std::string CheckBody(const CheckArgs& a) {
  server::JsonWriter w;
  w.BeginObject().Field("id", a.id);
  w.Field("target_type", a.agent.empty() ? "integration" : "agent");
  w.Field("target_id", a.agent.empty() ? a.integration : a.agent);
  w.Field("kind", a.tcp.empty() ? "http" : "tcp");
  if (!a.http.empty()) w.Field("url", a.http);
  if (!a.tcp.empty()) w.Field("address", a.tcp);
  if (a.interval_seconds > 0) w.Field("interval_seconds", a.interval_seconds);
  const int timeout_ms =
      a.timeout_ms > 0 ? a.timeout_ms : DefaultCheckTimeoutMs(a.interval_seconds);
  if (timeout_ms > 0) w.Field("timeout_ms", timeout_ms);
  if (a.retries >= 0) w.Field("retries", a.retries);
  if (a.expected_status > 0) w.Field("expected_status", a.expected_status);
  if (!a.keyword.empty()) w.Field("body_keyword", a.keyword);
  w.EndObject();
  return w.Take();
}

void AddWorkspaces(CLI::App& app, const CommandContext& ctx) {
  CLI::App* ws = app.add_subcommand("workspaces", "Watch directories: size, files, access");
  ws->require_subcommand(1);
  auto a = std::make_shared<WorkspaceArgs>();
  CLI::App* add = ws->add_subcommand("add", "Watch a directory");
  ctx.Options(add);
  add->add_option("id", a->id, "Workspace id")->required();
  add->add_option("path", a->path, "Absolute path of the directory")->required();
  add->add_option("--warning-bytes", a->warning_bytes, "Size that warns (default 1 GiB)");
  add->add_option("--critical-bytes", a->critical_bytes, "Size that is critical (default 5 GiB)");
  ctx.On(add, [g = ctx.g, a] {
    server::JsonWriter w;
    w.BeginObject().Field("id", a->id).Field("path", a->path);
    if (a->warning_bytes > 0) w.Field("warning_bytes", a->warning_bytes);
    if (a->critical_bytes > 0) w.Field("critical_bytes", a->critical_bytes);
    w.EndObject();
    return Run(*g, Method::kPost, "/api/v1/workspaces", w.Take(),
               [a](dom::element) { std::cout << "workspace " << a->id << " added\n"; });
  });
  CLI::App* remove = ws->add_subcommand("remove", "Stop watching a directory");
  ctx.Options(remove);
  remove->add_option("id", a->id, "Workspace id")->required();
  ctx.On(remove, [g = ctx.g, a] {
    return Run(*g, Method::kDelete, "/api/v1/workspaces/" + Escape(a->id), "",
               [a](dom::element) { std::cout << "workspace " << a->id << " removed\n"; });
  });
  CLI::App* list = ws->add_subcommand("list", "Watched directories and their latest scan");
  ctx.Options(list);
  ctx.On(list,
         [g = ctx.g] { return Run(*g, Method::kGet, "/api/v1/workspaces", "", RenderWorkspaces); });
}

void AddChecks(CLI::App& app, const CommandContext& ctx) {
  CLI::App* checks = app.add_subcommand("checks", "Active HTTP and TCP checks");
  checks->require_subcommand(1);
  auto a = std::make_shared<CheckArgs>();
  CLI::App* add = checks->add_subcommand("add", "Add (or replace) a check");
  ctx.Options(add);
  add->add_option("id", a->id, "Check id")->required();
  auto* target = add->add_option_group("target", "What the check is about")->require_option(1);
  target->add_option("--agent", a->agent, "The agent it checks");
  target->add_option("--integration", a->integration, "The integration it checks");
  auto* how = add->add_option_group("how", "How to check")->require_option(1);
  how->add_option("--http", a->http, "URL to GET (http://host:port/path)");
  how->add_option("--tcp", a->tcp, "host:port to connect to");
  add->add_option("--interval", a->interval_seconds, "Seconds between checks (default 30)");
  add->add_option("--timeout-ms", a->timeout_ms,
                  "Timeout of one attempt (default: 10000, or half the interval if shorter)");
  add->add_option("--retries", a->retries, "Failures tolerated before the target is down");
  add->add_option("--expect-status", a->expected_status, "HTTP status expected");
  add->add_option("--keyword", a->keyword, "Text the body must contain");
  ctx.On(add, [g = ctx.g, a] {
    return Run(*g, Method::kPost, "/api/v1/checks", CheckBody(*a),
               [a](dom::element) { std::cout << "check " << a->id << " added\n"; });
  });
  CLI::App* remove = checks->add_subcommand("remove", "Remove a check");
  ctx.Options(remove);
  remove->add_option("id", a->id, "Check id")->required();
  ctx.On(remove, [g = ctx.g, a] {
    return Run(*g, Method::kDelete, "/api/v1/checks/" + Escape(a->id), "",
               [a](dom::element) { std::cout << "check " << a->id << " removed\n"; });
  });
  CLI::App* list = checks->add_subcommand("list", "Checks and their latest state");
  ctx.Options(list);
  ctx.On(list, [g = ctx.g] { return Run(*g, Method::kGet, "/api/v1/checks", "", RenderChecks); });
}

}  // namespace

void AddResourceCommands(CLI::App& app, const CommandContext& ctx) {
  AddWorkspaces(app, ctx);
  AddChecks(app, ctx);
  AddRouteCommands(app, ctx);
  AddWindowCommands(app, ctx);
}

}  // namespace vitals::cli
