#include "cli/client_commands.h"

#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/api_client.h"
#include "cli/client_support.h"
#include "cli/incident_commands.h"
#include "cli/table.h"
#include "server/api/authenticator.h"
#include "server/json/json_writer.h"
#include "store/open_store.h"

namespace vitals::cli {
namespace {

namespace dom = simdjson::dom;
using server::Method;

// Whether a keys command works on a store directly (--db FILE or --store URL) instead of over HTTP.
bool Direct(const Globals& g, const std::string& store_url) {
  return !g.db.empty() || !store_url.empty();
}

// The store of --db FILE (sqlite://FILE) or --store URL; an error message when it cannot be used.
core::Result<std::unique_ptr<store::Store>> OpenDirect(const Globals& g,
                                                       const std::string& store_url,
                                                       const std::string& verb, bool init) {
  if (!g.db.empty() && !store_url.empty()) {
    return core::Status::InvalidArgument(
        "--db and --store are both given: use one (--db FILE is "
        "--store sqlite://FILE)");
  }
  const std::string url = store_url.empty() ? store::SqliteStoreUrl(g.db) : store_url;
  auto location = store::ParseStoreUrl(url);
  if (!location.ok()) return location.status();
  // A mistyped --db must not quietly become a new database the server never reads (F14).
  if (location->kind == store::StoreKind::kSqlite && !init &&
      !std::filesystem::exists(location->sqlite_path)) {
    return core::Status::NotFound(location->sqlite_path + ": no such database file" +
                                  (verb == "create" ? " (add --init to create a new one)" : ""));
  }
  auto opened = store::OpenStore(*location, store::StoreOpenOptions{});
  if (!opened.ok()) {
    return core::Status(
        opened.status().code(),
        "cannot open the store " + store::RedactStoreUrl(url) + ": " + opened.status().message());
  }
  return opened;
}

// `vitals keys ... --db FILE | --store URL`: the operator's way in, for organizations that have
// no admin key yet (over HTTP, once any key exists, an admin key manages its own organization
// only).
int KeysDirect(const Globals& g, const std::string& store_url, const std::string& verb,
               const std::string& org, const std::string& scope, const std::string& name,
               const std::string& id, bool init = false) {
  auto opened = OpenDirect(g, store_url, verb, init);
  if (!opened.ok()) {
    std::cerr << "vitals: " << opened.status().message() << "\n";
    return kExitRefused;
  }
  store::Store& st = **opened;
  const core::Timestamp now = core::SystemClock::Instance()->Now();
  if (verb == "create") {
    auto [secret, record] =
        server::Authenticator::NewKey(org, name, *store::ParseKeyScope(scope), now);
    if (core::Status s = st.CreateApiKey(record); !s.ok()) {
      std::cerr << "vitals: " << s.message() << "\n";
      return 1;
    }
    if (g.json) {
      server::JsonWriter w;
      w.BeginObject().Field("id", record.id).Field("organization_id", org).Field("scope", scope);
      w.Field("name", name).Field("key", secret).EndObject();
      std::cout << w.str() << "\n";
    } else {
      std::cout << "key " << record.id << " (" << scope << ", organization " << org << ")\n"
                << secret << "\nStore it now: it is not shown again.\n";
    }
    return 0;
  }
  if (verb == "revoke") {
    if (core::Status s = st.RevokeApiKey(org, id, now); !s.ok()) {
      std::cerr << "vitals: " << s.message() << "\n";
      return 1;
    }
    std::cout << "key " << id << " revoked\n";
    return 0;
  }
  auto keys = org.empty() ? st.ListAllApiKeys() : st.ListApiKeys(org);
  if (!keys.ok()) {
    std::cerr << "vitals: " << keys.status().message() << "\n";
    return 1;
  }
  Table t({"ID", "ORGANIZATION", "NAME", "SCOPE", "CREATED", "REVOKED"});
  for (const store::ApiKeyRecord& k : *keys) {
    t.Row({k.id, k.organization_id, k.name, std::string(store::KeyScopeName(k.scope)),
           core::FormatTimestamp(k.created_at),
           k.revoked_at ? core::FormatTimestamp(*k.revoked_at) : "-"});
  }
  t.Print(std::cout);
  return 0;
}

void RenderStatus(dom::element s) {
  dom::element fleet = s["fleet"];
  std::cout << "Agents: " << Field(s, "total_agents") << " total, " << Field(s, "active_agents")
            << " active, " << Field(s, "active_operations") << " executions in flight\n";
  std::cout << "Health: " << Field(fleet["health"], "healthy") << " healthy, "
            << Field(fleet["health"], "degraded") << " degraded, "
            << Field(fleet["health"], "critical") << " critical, "
            << Field(fleet["health"], "unknown") << " unknown\n";
  std::cout << "Heartbeats: " << Field(fleet["heartbeat"], "healthy") << " healthy, "
            << Field(fleet["heartbeat"], "degraded") << " degraded, "
            << Field(fleet["heartbeat"], "critical") << " critical, "
            << Field(fleet["heartbeat"], "failed") << " failed\n";
  std::cout << "Open alerts: " << Field(s["alerts"], "critical") << " critical, "
            << Field(s["alerts"], "warning") << " warning, " << Field(s["alerts"], "info")
            << " info\n";
  std::cout << "Integrations: " << Field(s, "healthy_integrations") << "/"
            << Field(s, "total_integrations") << " healthy\n";
  std::cout << "System: CPU " << Field(s, "cpu_usage") << "%, memory " << Field(s, "memory_usage")
            << "%, load " << Field(s, "load_1m") << ", queue depth " << Field(s, "queue_depth")
            << "\n";
  dom::array disks;
  if (!s["disks"].get_array().get(disks)) {
    for (dom::element d : disks) {
      std::cout << "  disk " << Field(d, "mount_point") << ": " << Field(d, "usage_percent")
                << "% used (" << Field(d, "status") << ")\n";
    }
  }
}

// `status --json`: one JSON document, {"system": ..., "integrations": [...]}, so that a script
// can parse it in one go (F11).
int StatusJson(const Globals& g) {
  auto system = Fetch(g, Method::kGet, "/api/health/system", "");
  if (!system.ok()) return Fail(system.status());
  auto integrations = Fetch(g, Method::kGet, "/api/health/integrations", "");
  if (!integrations.ok()) return Fail(integrations.status());
  std::cout << "{\"system\":" << *system << ",\"integrations\":" << *integrations << "}\n";
  return kExitOk;
}

void RenderIntegrations(dom::element r) {
  Table t({"INTEGRATION", "STATUS", "CONNECTION", "LATENCY MS", "ERROR RATE", "LAST USED"});
  for (dom::element i : r.get_array()) {
    t.Row({Field(i, "integration_id"), Field(i, "status"), Field(i, "connection_status"),
           Field(i, "latency_ms"), Percent(i, "error_rate"), Field(i, "last_used")});
  }
  if (t.size() > 0) t.Print(std::cout);
}

void RenderAgents(dom::element r) {
  Table t({"AGENT", "HEALTH", "SCORE", "STATUS", "SUCCESS 5M", "P95 MS", "HEARTBEAT", "ALERTS",
           "LAST ACTIVE"});
  for (dom::element a : r["agents"].get_array()) {
    t.Row({Field(a, "agent_id"), Field(a, "health"), Field(a, "score"), Field(a, "status"),
           Percent(a, "success_rate_5min"), Field(a, "latency_p95_ms"), Field(a, "heartbeat"),
           Field(a, "open_alerts"), Field(a, "last_active")});
  }
  t.Print(std::cout);
  double total = 0;
  if (r["total"].get_double().get(total)) total = static_cast<double>(t.size());
  std::cout << Count(static_cast<size_t>(total), "agent", "agents") << "\n";
}

void RenderAlerts(dom::element r) {
  Table t({"ID", "SEVERITY", "SOURCE", "TYPE", "RAISED", "ACK", "MESSAGE"});
  for (dom::element a : r.get_array()) {
    std::string ack = Field(a, "acknowledged_by");
    t.Row({Field(a, "alert_id"), Field(a, "severity"),
           Field(a, "source_type") + "/" + Field(a, "source_id"), Field(a, "type"),
           Field(a, "raised_at"), ack == "-" ? "no" : ack, Field(a, "message")});
  }
  t.Print(std::cout, 80);
  std::cout << t.size() << " alerts\n";
}

void RenderKeys(dom::element r) {
  Table t({"ID", "ORGANIZATION", "NAME", "SCOPE", "CREATED", "REVOKED"});
  for (dom::element k : r["keys"].get_array()) {
    t.Row({Field(k, "id"), Field(k, "organization_id"), Field(k, "name"), Field(k, "scope"),
           Field(k, "created_at"), Field(k, "revoked_at")});
  }
  t.Print(std::cout);
}

}  // namespace

std::function<int()> AddClientCommands(CLI::App& app) {
  CommandContext ctx;
  auto g = ctx.g;
  auto action = ctx.action;
  auto client_options = [ctx](CLI::App* cmd) { ctx.Options(cmd); };
  auto on = [ctx](CLI::App* cmd, std::function<int()> f) { ctx.On(cmd, std::move(f)); };

  CLI::App* status = app.add_subcommand("status", "Fleet summary: agents by status, open alerts");
  client_options(status);
  on(status, [g] {
    if (g->json) return StatusJson(*g);
    const int rc = Run(*g, Method::kGet, "/api/health/system", "", RenderStatus);
    if (rc != 0) return rc;
    return Run(*g, Method::kGet, "/api/health/integrations", "", RenderIntegrations);
  });

  auto list_health = std::make_shared<std::string>();
  CLI::App* list = app.add_subcommand("list", "List agents with their health");
  client_options(list);
  list->add_option("--health", *list_health, "Only agents with this health");
  on(list, [g, list_health] {
    std::string target = "/api/health/agents?limit=10000&sort=health&order=desc";
    if (!list_health->empty()) target += "&health=" + Escape(*list_health);
    return Run(*g, Method::kGet, target, "", RenderAgents);
  });

  CLI::App* agents = app.add_subcommand("agents", "Register, remove, pause and resume agents");
  agents->require_subcommand(1);
  auto id = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto type = std::make_shared<std::string>();
  auto interval = std::make_shared<double>(0);
  auto threshold = std::make_shared<int>(0);
  CLI::App* add = agents->add_subcommand("add", "Register an agent (or update it)");
  client_options(add);
  add->add_option("id", *id, "Agent id")->required();
  add->add_option("--name", *name, "Display name");
  add->add_option("--type", *type, "Agent type");
  add->add_option("--heartbeat-interval-ms", *interval, "Expect a heartbeat this often");
  add->add_option("--failure-threshold", *threshold, "Missed heartbeats before FAILED");
  on(add, [g, id, name, type, interval, threshold] {
    server::JsonWriter w;
    w.BeginObject();
    if (!name->empty()) w.Field("name", *name);
    if (!type->empty()) w.Field("type", *type);
    if (*interval > 0 || *threshold > 0) {
      w.Key("heartbeat").BeginObject();
      if (*interval > 0) w.Field("interval_ms", *interval);
      if (*threshold > 0) w.Field("failure_threshold", *threshold);
      w.EndObject();
    }
    w.EndObject();
    return Run(*g, Method::kPut, "/api/v1/agents/" + Escape(*id), w.Take(),
               [id](dom::element) { std::cout << "agent " << *id << " registered\n"; });
  });
  for (const char* verb : {"remove", "pause", "resume"}) {
    CLI::App* cmd = agents->add_subcommand(verb, std::string(verb) + " an agent");
    client_options(cmd);
    cmd->add_option("id", *id, "Agent id")->required();
    const std::string v = verb;
    on(cmd, [g, id, v] {
      const Method m = v == "remove" ? Method::kDelete : Method::kPost;
      const std::string target = "/api/v1/agents/" + Escape(*id) + (v == "remove" ? "" : "/" + v);
      return Run(*g, m, target, "", [id, v](dom::element) {
        std::cout << "agent " << *id
                  << (v == "remove"  ? " removed"
                      : v == "pause" ? " paused"
                                     : " resumed")
                  << "\n";
      });
    });
  }

  auto all = std::make_shared<bool>(false);
  auto by = std::make_shared<std::string>();
  CLI::App* alerts =
      app.add_subcommand("alerts", "List open alerts, or acknowledge one (alerts ack ID)");
  client_options(alerts);
  alerts->add_flag("--all", *all, "Include resolved alerts");
  CLI::App* ack = alerts->add_subcommand("ack", "Acknowledge an alert");
  client_options(ack);
  ack->add_option("id", *id, "Alert id")->required();
  ack->add_option("--by", *by, "Who acknowledges (default: the API key, or \"cli\")");
  // CLI11 runs the parent's callback after its subcommand's: list only when `ack` is not given
  // (F1: the list used to replace the acknowledgement).
  alerts->callback([action, ack, g, all] {
    if (ack->parsed()) return;
    *action = [g, all] {
      return Run(*g, Method::kGet,
                 std::string("/api/health/alerts?limit=1000&state=") + (*all ? "all" : "open"), "",
                 RenderAlerts);
    };
  });
  on(ack, [g, id, by] {
    server::JsonWriter w;
    w.BeginObject().Field("by", by->empty() ? std::string("cli") : *by).EndObject();
    return Run(*g, Method::kPost, "/api/health/alerts/" + Escape(*id) + "/acknowledge", w.Take(),
               [id](dom::element a) {
                 std::cout << "alert " << *id << " acknowledged by " << Field(a, "acknowledged_by")
                           << "\n";
               });
  });

  CLI::App* keys = app.add_subcommand("keys", "Create, list and revoke API keys");
  keys->require_subcommand(1);
  auto org = std::make_shared<std::string>();
  auto scope = std::make_shared<std::string>();
  auto store_url = std::make_shared<std::string>();
  auto key_options = [g, client_options, store_url](CLI::App* cmd) {
    client_options(cmd);
    cmd->add_option("--db", g->db,
                    "Work on this database file directly (the operator's way to make the first "
                    "key of an organization)");
    cmd->add_option("--store", *store_url,
                    "Work on this store directly: sqlite://FILE or "
                    "postgresql://USER:PASS@HOST:PORT/DB, as `vitals serve --store`")
        ->type_name("URL");
  };
  CLI::App* create = keys->add_subcommand("create", "Create an API key (its secret is shown once)");
  key_options(create);
  auto init = std::make_shared<bool>(false);
  create->add_flag("--init", *init,
                   "With --db or an sqlite --store: create the database file if it does not exist");
  create->add_option("--org", *org, "Organization")->required();
  create->add_option("--scope", *scope, "ingest, read or admin")
      ->required()
      ->check(CLI::IsMember({"ingest", "read", "admin"}));
  create->add_option("--name", *name, "A name to recognise it by");
  on(create, [g, store_url, org, scope, name, init] {
    if (Direct(*g, *store_url)) {
      return KeysDirect(*g, *store_url, "create", *org, *scope, *name, "", *init);
    }
    server::JsonWriter w;
    w.BeginObject().Field("organization_id", *org).Field("scope", *scope).Field("name", *name);
    w.EndObject();
    return Run(*g, Method::kPost, "/api/v1/keys", w.Take(), [](dom::element k) {
      std::cout << "key " << Field(k, "id") << " (" << Field(k, "scope") << ", organization "
                << Field(k, "organization_id") << ")\n"
                << Field(k, "key") << "\n"
                << "Store it now: it is not shown again.\n";
    });
  });
  CLI::App* klist = keys->add_subcommand("list", "List API keys (never their secrets)");
  key_options(klist);
  klist->add_option("--org", *org,
                    "Organization (with --db or --store; default: every organization)");
  on(klist, [g, store_url, org] {
    if (Direct(*g, *store_url)) return KeysDirect(*g, *store_url, "list", *org, "", "", "");
    return Run(*g, Method::kGet, "/api/v1/keys", "", RenderKeys);
  });
  CLI::App* revoke = keys->add_subcommand("revoke", "Revoke an API key");
  key_options(revoke);
  revoke->add_option("id", *id, "Key id")->required();
  revoke->add_option("--org", *org, "Organization (with --db or --store)");
  on(revoke, [g, store_url, id, org] {
    if (Direct(*g, *store_url)) return KeysDirect(*g, *store_url, "revoke", *org, "", "", *id);
    return Run(*g, Method::kDelete, "/api/v1/keys/" + Escape(*id), "",
               [id](dom::element) { std::cout << "key " << *id << " revoked\n"; });
  });

  AddResourceCommands(app, ctx);
  AddIncidentCommands(app, ctx);
  return [action]() { return *action ? (*action)() : -1; };
}

}  // namespace vitals::cli
