// `vitals windows add|list|remove` (maintenance windows, over /api/v1/maintenance-windows) and
// `vitals databases add|list|remove` (probed databases, over /api/v1/databases): F9.
#include <iostream>

#include "cli/client_support.h"
#include "cli/table.h"
#include "server/json/json_writer.h"

namespace vitals::cli {
namespace {

namespace dom = simdjson::dom;
using server::Method;

struct WindowArgs {
  std::string id, starts_at, ends_at;
  std::vector<std::string> agents, integrations, labels;  // labels as key=value
};

// InvalidArgument naming the label when it is not key=value.
core::Result<std::string> WindowBody(const WindowArgs& a) {
  server::JsonWriter w;
  w.BeginObject().Field("id", a.id);
  w.Key("agents").BeginArray();
  for (const std::string& s : a.agents) w.String(s);
  w.EndArray().Key("integrations").BeginArray();
  for (const std::string& s : a.integrations) w.String(s);
  w.EndArray().Key("labels").BeginObject();
  for (const std::string& l : a.labels) {
    const size_t eq = l.find('=');
    if (eq == std::string::npos || eq == 0) {
      return core::Status::InvalidArgument("--label: expected key=value, got \"" + l + "\"");
    }
    w.Field(l.substr(0, eq), l.substr(eq + 1));
  }
  w.EndObject().Field("starts_at", a.starts_at).Field("ends_at", a.ends_at).EndObject();
  return w.Take();
}

std::string Labels(dom::element o) {
  dom::object labels;
  if (o["labels"].get_object().get(labels)) return "-";
  std::string out;
  for (auto [k, v] : labels) out += (out.empty() ? "" : ",") + std::string(k) + "=" + Text(v);
  return out.empty() ? "-" : out;
}

void RenderWindows(dom::element r) {
  Table t({"ID", "STARTS", "ENDS", "AGENTS", "INTEGRATIONS", "LABELS"});
  for (dom::element w : Items(r, "maintenance_windows", "windows")) {
    t.Row({Field(w, "id"), Field(w, "starts_at"), Field(w, "ends_at"), Joined(w, "agents", ","),
           Joined(w, "integrations", ","), Labels(w)});
  }
  t.Print(std::cout);
  std::cout << Count(t.size(), "window", "windows") << "\n";
}

void RenderDatabases(dom::element r) {
  Table t({"ID", "URL", "KIND", "UP", "ROUND TRIP MS", "CHECKED", "ERROR"});
  for (dom::element d : Items(r, "databases")) {
    dom::element latest;
    const bool has = !d["latest"].get(latest) && latest.is_object();
    auto l = [&](const char* key) { return has ? Field(latest, key) : std::string("-"); };
    t.Row({Field(d, "id"), Field(d, "url"), l("kind"), l("up"), l("round_trip_ms"), l("at"),
           l("error")});
  }
  t.Print(std::cout, 70);
  std::cout << Count(t.size(), "database", "databases") << "\n";
}

void AddWindows(CLI::App& app, const CommandContext& ctx) {
  CLI::App* windows =
      app.add_subcommand("windows", "Maintenance windows: nothing is delivered during one");
  windows->require_subcommand(1);
  auto a = std::make_shared<WindowArgs>();
  CLI::App* add = windows->add_subcommand("add", "Add (or replace) a maintenance window");
  ctx.Options(add);
  add->add_option("id", a->id, "Window id")->required();
  add->add_option("--starts-at", a->starts_at, "Start, RFC 3339 (2026-12-04T22:00:00Z)")
      ->required();
  add->add_option("--ends-at", a->ends_at, "End, RFC 3339")->required();
  add->add_option("--agent", a->agents, "Agents it covers (repeat or comma-separate)")
      ->delimiter(',');
  add->add_option("--integration", a->integrations, "Integrations it covers")->delimiter(',');
  add->add_option("--label", a->labels,
                  "key=value that must all hold (keys: source_type, source_id, type, severity, "
                  "agent_type)");
  ctx.On(add, [g = ctx.g, a] {
    auto body = WindowBody(*a);
    if (!body.ok()) {
      std::cerr << "vitals: " << body.status().message() << "\n";
      return 2;
    }
    return Run(*g, Method::kPost, "/api/v1/maintenance-windows", *body,
               [a](dom::element) { std::cout << "window " << a->id << " added\n"; });
  });
  auto id = std::make_shared<std::string>();
  CLI::App* remove = windows->add_subcommand("remove", "Remove a maintenance window");
  ctx.Options(remove);
  remove->add_option("id", *id, "Window id")->required();
  ctx.On(remove, [g = ctx.g, id] {
    return Run(*g, Method::kDelete, "/api/v1/maintenance-windows/" + Escape(*id), "",
               [id](dom::element) { std::cout << "window " << *id << " removed\n"; });
  });
  CLI::App* list = windows->add_subcommand("list", "Maintenance windows");
  ctx.Options(list);
  ctx.On(list, [g = ctx.g] {
    return Run(*g, Method::kGet, "/api/v1/maintenance-windows", "", RenderWindows);
  });
}

struct DatabaseArgs {
  std::string id, url;
  double interval_seconds = 0;
  int timeout_ms = 0;
};

void AddDatabases(CLI::App& app, const CommandContext& ctx) {
  CLI::App* dbs = app.add_subcommand("databases", "Probe databases: up and round-trip time");
  dbs->require_subcommand(1);
  auto a = std::make_shared<DatabaseArgs>();
  CLI::App* add = dbs->add_subcommand("add", "Probe a database (or replace its probe)");
  ctx.Options(add);
  add->add_option("id", a->id, "Database id")->required();
  add->add_option("url", a->url, "sqlite:///path, postgresql://... or redis://...")->required();
  add->add_option("--interval", a->interval_seconds, "Seconds between probes");
  add->add_option("--timeout-ms", a->timeout_ms, "Timeout of one probe");
  ctx.On(add, [g = ctx.g, a] {
    server::JsonWriter w;
    w.BeginObject().Field("id", a->id).Field("url", a->url);
    if (a->interval_seconds > 0) w.Field("interval_seconds", a->interval_seconds);
    if (a->timeout_ms > 0) w.Field("timeout_ms", a->timeout_ms);
    w.EndObject();
    return Run(*g, Method::kPost, "/api/v1/databases", w.Take(),
               [a](dom::element) { std::cout << "database " << a->id << " added\n"; });
  });
  auto id = std::make_shared<std::string>();
  CLI::App* remove = dbs->add_subcommand("remove", "Stop probing a database");
  ctx.Options(remove);
  remove->add_option("id", *id, "Database id")->required();
  ctx.On(remove, [g = ctx.g, id] {
    return Run(*g, Method::kDelete, "/api/v1/databases/" + Escape(*id), "",
               [id](dom::element) { std::cout << "database " << *id << " removed\n"; });
  });
  CLI::App* list = dbs->add_subcommand("list", "Probed databases and their latest probe");
  ctx.Options(list);
  ctx.On(list,
         [g = ctx.g] { return Run(*g, Method::kGet, "/api/v1/databases", "", RenderDatabases); });
}

}  // namespace

void AddWindowCommands(CLI::App& app, const CommandContext& ctx) {
  AddWindows(app, ctx);
  AddDatabases(app, ctx);
}

}  // namespace vitals::cli
