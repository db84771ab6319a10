// ServerConfig: every setting of `vitals serve`, and where each comes from. Precedence, weakest
// first: built-in defaults, the TOML file (--config / VITALS_CONFIG), environment variables
// (seed 001's names where it has them, VITALS_* otherwise), command-line flags.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "engine/monitor_options.h"
#include "server/api/services.h"
#include "server/api/stream_hub.h"
#include "server/http/http_server.h"
#include "store/open_store.h"

namespace vitals::server {

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";
  std::string db = "vitals.db";  // --db FILE: the store sqlite://FILE
  // Issue 16: the store by URL (store/open_store.h); "" = sqlite://<db>. Giving it and a `db`
  // other than the default is an error (ValidateConfig).
  std::string store;
  std::string redis;      // redis://...: the cluster's Redis; "" = a single node
  std::string node_id;    // this node's name in the cluster; "" = the machine's hostname
  bool insecure = false;  // allow a non-loopback listen address without API keys
  std::string log_level = "info";
  int threads = 0;  // 0: one per core
  size_t max_body_bytes = 10 << 20;
  size_t max_connections = 10'000;
  size_t stream_queue_messages = 65'536;  // > one sweep's burst of updates for most fleets
  std::string synchronous = "full";
  int retention_days = 30;
  double checkpoint_interval_s = 30;
  double health_polling_interval_s = 30;
  bool health_polling_enabled = true;
  double alert_error_rate_threshold = 0.5;
  double alert_latency_threshold_ms = 5'000;
  double alert_queue_depth_threshold = 100;
  double alert_low_confidence_threshold = 0.3;
  int64_t alert_max_failures_per_hour = 3;
  double alert_cooldown_s = 300;
  double sweep_interval_s = 30;
  double heartbeat_interval_ms = 5'000;
  int heartbeat_failure_threshold = 3;
  double slo_objective = 0.99;
  double max_future_skew_s = 300;
  double max_past_age_s = 86'400;
  size_t max_agents = 1'000'000;
  core::HealthThresholds thresholds;

  // Issue 4: what else vitals watches, and where alerts go.
  bool collect_system = true;
  bool collect_workspaces = true;
  bool collect_databases = true;
  double system_interval_s = 30;  // seed 003
  double cpu_warning = 80, cpu_critical = 95;
  double memory_warning = 80, memory_critical = 95;
  double disk_warning = 85, disk_critical = 95;
  std::string system_organization = "default";  // the machine's metrics and alerts belong here
  bool checks_enabled = true;
  bool delivery_enabled = true;
  std::string web_root;  // "" = $VITALS_WEB_ROOT, else <binary's directory>/web
  // Seconds: alerts raised this soon after an incident's first join its first notification.
  double incident_window_s = 1;
  double dependency_wait_s = 10;

  // Issue 14: host-level powers granted to tenants' API keys (server/api/operator_grants.h).
  bool allow_command_routes = false;
  bool allow_private_targets = false;
  std::vector<std::string> allow_paths;  // absolute directories
  // Routes, workspaces and databases of the config file's [[routes]], [[workspaces]] and
  // [[databases]] (operator_resources.h): the operator's own, outside the grants.
  struct OperatorResource {
    std::string kind;  // "routes", "workspaces", "databases"
    std::string organization;
    std::string spec_json;  // as the API would take it
  };
  std::vector<OperatorResource> operator_resources;
  // Issue 14: the transport's limits.
  size_t max_connections_per_ip = 64;
  double header_timeout_s = 10;
  double body_timeout_s = 30;
  double idle_timeout_s = 60;
  double shutdown_timeout_s = 10;
  size_t max_ws_message_bytes = 64 * 1024;
  size_t max_subscribed_agents = 1'000;

  // Parsed from `listen`.
  std::string host() const;
  uint16_t port() const;
  // The store to open: `store`, else sqlite://<db>.
  std::string StoreUrl() const;
  // `node_id`, else the hostname (cut to 64 characters and to the characters a node id takes).
  std::string NodeId() const;
};

// One setting: TOML key ("server.listen" is `listen` in table [server]), environment variable,
// flag, help text, and how to set it from text.
struct ConfigOption {
  std::string key;
  std::string env;
  std::string flag;  // "--listen"
  std::string help;
  std::function<core::Status(ServerConfig&, std::string_view)> set;
  std::function<std::string(const ServerConfig&)> show;
};

const std::vector<ConfigOption>& ConfigOptions();

// Applies a TOML file. Unknown keys and wrong types are errors naming the key.
core::Status ApplyConfigFile(const std::string& path, ServerConfig* config);
// Applies every option whose environment variable is set; `getenv` is injectable for tests.
core::Status ApplyEnvironment(ServerConfig* config,
                              const std::function<const char*(const char*)>& getenv);
// Cross-field checks (listen address, ranges, --db with --store, --redis without PostgreSQL).
core::Status ValidateConfig(const ServerConfig& config);

engine::MonitorOptions MonitorOptionsFor(const ServerConfig& c);
HttpServerOptions HttpOptionsFor(const ServerConfig& c);
StreamHubOptions StreamHubOptionsFor(const ServerConfig& c);
store::StoreOpenOptions StoreOptionsFor(const ServerConfig& c, const core::Clock* clock);

}  // namespace vitals::server
