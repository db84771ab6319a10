#include "cli/incident_commands.h"

#include <iostream>
#include <memory>
#include <string>

#include "cli/table.h"
#include "server/json/json_writer.h"

namespace vitals::cli {
namespace {

namespace dom = simdjson::dom;
using server::Method;

struct ListOptions {
  std::string state = "open";
  std::string severity;
  std::string source_type;
  std::string source_id;
};

std::string ListTarget(const ListOptions& o) {
  std::string target = "/api/health/incidents?limit=1000&state=" + Escape(o.state);
  if (!o.severity.empty()) target += "&severity=" + Escape(o.severity);
  if (!o.source_type.empty()) target += "&source_type=" + Escape(o.source_type);
  if (!o.source_id.empty()) target += "&source_id=" + Escape(o.source_id);
  return target;
}

void RenderIncidents(dom::element r) {
  Table t({"ID", "SEVERITY", "SOURCE", "OPENED", "ALERTS", "STATE", "TITLE"});
  for (dom::element i : r["incidents"].get_array()) {
    const std::string state = Field(i, "resolved") == "yes"       ? "resolved"
                              : Field(i, "acknowledged") == "yes" ? "acknowledged"
                                                                  : "open";
    t.Row({Field(i, "incident_id"), Field(i, "severity"),
           Field(i, "source_type") + "/" + Field(i, "source_id"), Field(i, "opened_at"),
           Field(i, "alert_count"), state, Field(i, "title")});
  }
  t.Print(std::cout, 80);
  std::cout << t.size() << " incidents\n";
}

}  // namespace

void AddIncidentCommands(CLI::App& app, const CommandContext& ctx) {
  auto g = ctx.g;
  auto options = std::make_shared<ListOptions>();
  auto id = std::make_shared<std::string>();
  auto by = std::make_shared<std::string>();
  CLI::App* incidents = app.add_subcommand(
      "incidents", "List incidents (the alerts of one source open together), or acknowledge one");
  ctx.Options(incidents);
  incidents->add_option("--state", options->state, "open (default), resolved or all")
      ->check(CLI::IsMember({"open", "resolved", "all"}));
  incidents->add_option("--severity", options->severity, "critical, warning or info");
  incidents->add_option("--source-type", options->source_type,
                        "system, agent, integration, workspace or database");
  incidents->add_option("--source-id", options->source_id, "Only this source's incidents");
  CLI::App* ack = incidents->add_subcommand("ack", "Acknowledge every open alert of an incident");
  ctx.Options(ack);
  ack->add_option("id", *id, "Incident id")->required();
  ack->add_option("--by", *by, "Who acknowledges (default: \"cli\")");
  // CLI11 runs the parent's callback after its subcommand's: list only when `ack` is not given.
  incidents->callback([action = ctx.action, ack, g, options] {
    if (ack->parsed()) return;
    *action = [g, options] {
      return Run(*g, Method::kGet, ListTarget(*options), "", RenderIncidents);
    };
  });
  ctx.On(ack, [g, id, by] {
    server::JsonWriter w;
    w.BeginObject().Field("by", by->empty() ? std::string("cli") : *by).EndObject();
    return Run(*g, Method::kPost, "/api/health/incidents/" + Escape(*id) + "/acknowledge", w.Take(),
               [id](dom::element i) {
                 std::cout << "incident " << *id << " acknowledged (" << Field(i, "alert_count")
                           << " alerts)\n";
               });
  });
}

}  // namespace vitals::cli
