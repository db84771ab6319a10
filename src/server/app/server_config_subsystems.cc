// The settings of issue 4's subsystems: collectors and their thresholds, active checks, delivery.
#include "server/app/config_values.h"

namespace vitals::server {
namespace {

core::Status ParseDirectoryList(std::string_view text, std::vector<std::string>* out) {
  std::vector<std::string> dirs;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view dir = text.substr(0, comma);
    if (!dir.empty() && dir.front() != '/') {
      return core::Status::InvalidArgument("tenants.allow_paths: \"" + std::string(dir) +
                                           "\" is not an absolute directory");
    }
    if (!dir.empty()) dirs.emplace_back(dir);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  *out = std::move(dirs);
  return core::Status::Ok();
}

}  // namespace

void AddSubsystemOptions(std::vector<ConfigOption>& o) {
  using C = ServerConfig;
  o.push_back(Double("alerts.low_confidence_threshold", "VITALS_ALERT_LOW_CONFIDENCE",
                     "--alert-low-confidence",
                     "Confidence (0-1) below which a low_confidence alert is raised (seed 001)",
                     &C::alert_low_confidence_threshold, 0, 1));
  o.push_back({"alerts.max_failures_per_hour", "VITALS_ALERT_MAX_FAILURES", "--alert-max-failures",
               "Failures in the last hour beyond which a failures alert is raised (seed 001)",
               [](C& c, std::string_view t) {
                 return ParseInt("alerts.max_failures_per_hour", t, 0, 1'000'000'000,
                                 &c.alert_max_failures_per_hour);
               },
               [](const C& c) { return std::to_string(c.alert_max_failures_per_hour); }});
  o.push_back(Bool("collect.system", "VITALS_COLLECT_SYSTEM", "--collect-system",
                   "Collect CPU, memory, swap, load, disks and processes", &C::collect_system));
  o.push_back(Bool("collect.workspaces", "VITALS_COLLECT_WORKSPACES", "--collect-workspaces",
                   "Scan registered workspace directories", &C::collect_workspaces));
  o.push_back(Bool("collect.databases", "VITALS_COLLECT_DATABASES", "--collect-databases",
                   "Probe registered databases", &C::collect_databases));
  o.push_back(Double("collect.system_interval_seconds", "VITALS_SYSTEM_INTERVAL",
                     "--system-interval", "Seconds between system samples (seed 003)",
                     &C::system_interval_s, 1, 86'400));
  struct Pct {
    const char* name;
    const char* what;
    double C::*field;
  };
  for (const Pct& p :
       {Pct{"cpu_warning", "CPU use (%) that warns", &C::cpu_warning},
        Pct{"cpu_critical", "CPU use (%) that is critical", &C::cpu_critical},
        Pct{"memory_warning", "Memory use (%) that warns", &C::memory_warning},
        Pct{"memory_critical", "Memory use (%) that is critical", &C::memory_critical},
        Pct{"disk_warning", "Disk use (%) that warns", &C::disk_warning},
        Pct{"disk_critical", "Disk use (%) that is critical", &C::disk_critical}}) {
    std::string env = std::string("VITALS_") + p.name;
    for (char& ch : env) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    std::string flag = std::string("--") + p.name;
    for (char& ch : flag) ch = ch == '_' ? '-' : ch;
    o.push_back(Double(std::string("system.") + p.name, env, flag, p.what, p.field, 1, 100));
  }
  o.push_back({"system.organization", "VITALS_SYSTEM_ORGANIZATION", "--system-organization",
               "Organization that owns the machine's own metrics and alerts",
               [](C& c, std::string_view t) {
                 if (t.empty()) {
                   return core::Status::InvalidArgument("system.organization: must not be empty");
                 }
                 c.system_organization = std::string(t);
                 return core::Status::Ok();
               },
               [](const C& c) { return c.system_organization; }});
  o.push_back(Bool("checks.enabled", "VITALS_CHECKS", "--checks",
                   "Run active HTTP/TCP checks (seed 002)", &C::checks_enabled));
  o.push_back(Bool("delivery.enabled", "VITALS_DELIVERY", "--delivery",
                   "Deliver incidents to routes (webhook, Slack, Alertmanager, command)",
                   &C::delivery_enabled));
  o.push_back(Double("delivery.incident_window", "VITALS_INCIDENT_WINDOW", "--incident-window",
                     "Seconds after an incident's first alert during which the alerts of the same "
                     "source join its first notification (0: those of the same tick)",
                     &C::incident_window_s, 0, 3600));
  o.push_back(Double("delivery.dependency_wait", "VITALS_DEPENDENCY_WAIT", "--dependency-wait",
                     "Seconds the first notification of an agent that declares depends_on waits, "
                     "so an outage of what it depends on can claim its incident",
                     &C::dependency_wait_s, 0, 3600));
  o.push_back(Bool("tenants.allow_command_routes", "VITALS_ALLOW_COMMAND_ROUTES",
                   "--allow-command-routes",
                   "Let API keys create `command` routes, which run programs as the server's user",
                   &C::allow_command_routes));
  o.push_back(Bool("tenants.allow_private_targets", "VITALS_ALLOW_PRIVATE_TARGETS",
                   "--allow-private-targets",
                   "Let routes, checks and database probes created through the API reach "
                   "loopback, link-local and private addresses",
                   &C::allow_private_targets));
  o.push_back({"tenants.allow_paths", "VITALS_ALLOW_PATHS", "--allow-paths",
               "Comma-separated absolute directories inside which API keys may register "
               "workspaces and sqlite probes (symlinks and .. resolved first); empty: nowhere",
               [](C& c, std::string_view t) { return ParseDirectoryList(t, &c.allow_paths); },
               [](const C& c) {
                 std::string out;
                 for (const std::string& d : c.allow_paths) out += (out.empty() ? "" : ",") + d;
                 return out;
               }});
  o.push_back({"web.root", "VITALS_WEB_ROOT", "--web-root",
               "Directory of the dashboard's files (default: web/ beside the binary)",
               [](C& c, std::string_view t) {
                 c.web_root = std::string(t);
                 return core::Status::Ok();
               },
               [](const C& c) { return c.web_root; }});
}

}  // namespace vitals::server
