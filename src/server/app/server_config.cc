#include "server/app/server_config.h"

#include <toml++/toml.h>

#include <charconv>
#include <cmath>

#include "server/app/config_values.h"
#include "server/app/operator_resources.h"

namespace vitals::server {
namespace {

using core::Status;

ConfigOption Threshold(std::string name, std::string help, double core::HealthThresholds::*field,
                       double lo, double hi) {
  const std::string key = "thresholds." + name;
  std::string env = "VITALS_THRESHOLD_" + name;
  for (char& ch : env) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  std::string flag = "--threshold-" + name;
  for (char& ch : flag) ch = ch == '_' ? '-' : ch;
  return {key,
          env,
          flag,
          help,
          [key, field, lo, hi](ServerConfig& c, std::string_view t) {
            return ParseDouble(key, t, lo, hi, &(c.thresholds.*field));
          },
          [field](const ServerConfig& c) { return Num(c.thresholds.*field); }};
}

std::vector<ConfigOption> BuildOptions() {
  using C = ServerConfig;
  std::vector<ConfigOption> o;
  o.push_back({"server.listen", "VITALS_LISTEN", "--listen", "Address and port to serve on",
               [](C& c, std::string_view t) {
                 c.listen = std::string(t);
                 return Status::Ok();
               },
               [](const C& c) { return c.listen; }});
  o.push_back({"storage.db", "VITALS_DB", "--db",
               "SQLite database file: the same as --store sqlite://FILE",
               [](C& c, std::string_view t) {
                 if (t.empty()) return Status::InvalidArgument("storage.db: must not be empty");
                 c.db = std::string(t);
                 return Status::Ok();
               },
               [](const C& c) { return c.db; }});
  o.push_back(StoreOption());
  o.push_back(
      {"server.insecure", "VITALS_INSECURE", "--insecure",
       "Allow listening on a non-loopback address without API keys (--insecure or "
       "--insecure=true|false)",
       [](C& c, std::string_view t) { return ParseBool("server.insecure", t, &c.insecure); },
       [](const C& c) { return std::string(c.insecure ? "true" : "false"); }});
  o.push_back({"log.level", "VITALS_LOG_LEVEL", "--log-level",
               "Log level: DEBUG, INFO, WARNING, ERROR or CRITICAL",
               [](C& c, std::string_view t) {
                 std::string l(t);
                 for (char& ch : l)
                   ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                 if (l != "debug" && l != "info" && l != "warning" && l != "error" &&
                     l != "critical") {
                   return Status::InvalidArgument(
                       "log.level: expected DEBUG, INFO, WARNING, ERROR or CRITICAL, got \"" +
                       std::string(t) + "\"");
                 }
                 c.log_level = l;
                 return Status::Ok();
               },
               [](const C& c) { return c.log_level; }});
  o.push_back(
      {"server.threads", "VITALS_THREADS", "--threads", "HTTP threads (0: one per core)",
       [](C& c, std::string_view t) { return ParseInt("server.threads", t, 0, 256, &c.threads); },
       [](const C& c) { return std::to_string(c.threads); }});
  o.push_back({"server.max_body_bytes", "VITALS_MAX_BODY_BYTES", "--max-body-bytes",
               "Largest request body accepted (413 beyond), also after gunzip",
               [](C& c, std::string_view t) {
                 return ParseInt("server.max_body_bytes", t, 1024, int64_t{1} << 32,
                                 &c.max_body_bytes);
               },
               [](const C& c) { return std::to_string(c.max_body_bytes); }});
  o.push_back({"server.max_connections", "VITALS_MAX_CONNECTIONS", "--max-connections",
               "Open connections beyond which new ones get 503",
               [](C& c, std::string_view t) {
                 return ParseInt("server.max_connections", t, 1, 1'000'000, &c.max_connections);
               },
               [](const C& c) { return std::to_string(c.max_connections); }});
  o.push_back({"server.stream_queue_messages", "VITALS_STREAM_QUEUE_MESSAGES",
               "--stream-queue-messages",
               "Messages a WebSocket/SSE client may fall behind before it is closed",
               [](C& c, std::string_view t) {
                 return ParseInt("server.stream_queue_messages", t, 16, 1'000'000,
                                 &c.stream_queue_messages);
               },
               [](const C& c) { return std::to_string(c.stream_queue_messages); }});
  o.push_back({"storage.synchronous", "VITALS_SYNCHRONOUS", "--synchronous",
               "SQLite durability: full (survives power loss) or normal (survives a crash)",
               [](C& c, std::string_view t) {
                 if (t != "full" && t != "normal") {
                   return Status::InvalidArgument("storage.synchronous: expected full or normal");
                 }
                 c.synchronous = std::string(t);
                 return Status::Ok();
               },
               [](const C& c) { return c.synchronous; }});
  o.push_back({"storage.retention_days", "VITALS_RETENTION_DAYS", "--retention-days",
               "Days of logs, heartbeats and history kept",
               [](C& c, std::string_view t) {
                 return ParseInt("storage.retention_days", t, 1, 3650, &c.retention_days);
               },
               [](const C& c) { return std::to_string(c.retention_days); }});
  o.push_back(Double("storage.checkpoint_interval_seconds", "VITALS_CHECKPOINT_INTERVAL",
                     "--checkpoint-interval", "Seconds between engine checkpoints",
                     &C::checkpoint_interval_s, 1, 3600));
  o.push_back(Double("health.polling_interval_seconds", "HEALTH_POLLING_INTERVAL",
                     "--health-polling-interval",
                     "Seconds between health:update summaries on the streams (seed 001)",
                     &C::health_polling_interval_s, 1, 86400));
  o.push_back(
      {"health.polling_enabled", "HEALTH_POLLING_ENABLED", "--health-polling-enabled",
       "Send the periodic health:update summary",
       [](C& c, std::string_view t) {
         return ParseBool("health.polling_enabled", t, &c.health_polling_enabled);
       },
       [](const C& c) { return std::string(c.health_polling_enabled ? "true" : "false"); }});
  o.push_back(Double("alerts.error_rate_threshold", "ALERT_ERROR_RATE_THRESHOLD",
                     "--alert-error-rate-threshold",
                     "Agent error rate (0-1) above which an error_rate alert is raised",
                     &C::alert_error_rate_threshold, 0, 1));
  o.push_back(Double("alerts.latency_threshold_ms", "ALERT_LATENCY_THRESHOLD",
                     "--alert-latency-threshold",
                     "Integration latency (ms) above which a latency alert is raised",
                     &C::alert_latency_threshold_ms, 1, 1e9));
  o.push_back(Double("alerts.queue_depth_threshold", "ALERT_QUEUE_DEPTH_THRESHOLD",
                     "--alert-queue-depth-threshold",
                     "Queue depth above which a warning is raised (critical at twice it)",
                     &C::alert_queue_depth_threshold, 1, 1e12));
  o.push_back(Double("alerts.cooldown_seconds", "VITALS_ALERT_COOLDOWN", "--alert-cooldown",
                     "Seconds before the same alert is notified again (seed 003)",
                     &C::alert_cooldown_s, 0, 86400 * 30.0));
  o.push_back(Double("engine.sweep_interval_seconds", "VITALS_SWEEP_INTERVAL", "--interval",
                     "Seconds between sweeps that re-evaluate every agent (seed 003's --interval)",
                     &C::sweep_interval_s, 1, 3600));
  o.push_back(Double("engine.heartbeat_interval_ms", "VITALS_HEARTBEAT_INTERVAL",
                     "--heartbeat-interval",
                     "Heartbeat interval (ms) assumed for agents that send heartbeats unregistered",
                     &C::heartbeat_interval_ms, 10, 7 * 86400e3));
  o.push_back({"engine.heartbeat_failure_threshold", "VITALS_HEARTBEAT_FAILURE_THRESHOLD",
               "--heartbeat-failure-threshold", "Missed intervals before an agent has FAILED",
               [](C& c, std::string_view t) {
                 return ParseInt("engine.heartbeat_failure_threshold", t, 1, 1000,
                                 &c.heartbeat_failure_threshold);
               },
               [](const C& c) { return std::to_string(c.heartbeat_failure_threshold); }});
  o.push_back(Double("engine.slo_objective", "VITALS_SLO_OBJECTIVE", "--slo-objective",
                     "Default success-rate objective for the burn-rate page", &C::slo_objective,
                     0.5, 0.99999));
  o.push_back(Double("engine.max_future_skew_seconds", "VITALS_MAX_FUTURE_SKEW",
                     "--max-future-skew", "Seconds a timestamp may be ahead of the server clock",
                     &C::max_future_skew_s, 0, 86400));
  o.push_back(Double("engine.max_past_age_seconds", "VITALS_MAX_PAST_AGE", "--max-past-age",
                     "Seconds a timestamp may be behind the server clock", &C::max_past_age_s, 60,
                     86400 * 365.0));
  o.push_back({"engine.max_agents", "VITALS_MAX_AGENTS", "--max-agents",
               "Agents the monitor holds at most (new ones are refused beyond)",
               [](C& c, std::string_view t) {
                 return ParseInt("engine.max_agents", t, 1, 100'000'000, &c.max_agents);
               },
               [](const C& c) { return std::to_string(c.max_agents); }});
  using T = core::HealthThresholds;
  o.push_back(Threshold("success_rate_healthy", "5-minute success rate below which health degrades",
                        &T::success_rate_healthy, 0, 1));
  o.push_back(Threshold("success_rate_critical", "5-minute success rate below which it is critical",
                        &T::success_rate_critical, 0, 1));
  o.push_back(Threshold("latency_p95_healthy_ms", "p95 latency (ms) above which health degrades",
                        &T::latency_p95_healthy_ms, 1, 1e9));
  o.push_back(Threshold("latency_p95_critical_ms", "p95 latency (ms) above which it is critical",
                        &T::latency_p95_critical_ms, 1, 1e9));
  o.push_back(Threshold("error_rate_healthy", "Hourly error rate (%) from which health degrades",
                        &T::error_rate_healthy, 0, 100));
  o.push_back(Threshold("error_rate_critical", "Hourly error rate (%) above which it is critical",
                        &T::error_rate_critical, 0, 100));
  AddSubsystemOptions(o);
  AddTransportOptions(o);
  AddClusterOptions(o);
  return o;
}

// The TOML value of an option as text, so one parser serves file, environment and flags.
std::optional<std::string> TomlText(const toml::node& n) {
  if (auto s = n.value<std::string>()) return *s;
  if (n.is_boolean()) return *n.value<bool>() ? "true" : "false";
  if (n.is_integer()) return std::to_string(*n.value<int64_t>());
  if (n.is_floating_point()) return Num(*n.value<double>());
  return std::nullopt;
}

}  // namespace

const std::vector<ConfigOption>& ConfigOptions() {
  static const std::vector<ConfigOption> kOptions = BuildOptions();
  return kOptions;
}

std::string ServerConfig::host() const { return listen.substr(0, listen.rfind(':')); }

uint16_t ServerConfig::port() const {
  const size_t colon = listen.rfind(':');
  int v = 0;
  if (colon == std::string::npos) return 0;
  std::from_chars(listen.data() + colon + 1, listen.data() + listen.size(), v);
  return static_cast<uint16_t>(v);
}

Status ApplyConfigFile(const std::string& path, ServerConfig* config) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument("config file " + path + ": " + std::string(e.description()) +
                                   " (line " + std::to_string(e.source().begin.line) + ")");
  }
  Status result;
  auto visit = [&](const std::string& prefix, const toml::table& table, auto& self) -> void {
    for (const auto& [k, node] : table) {
      const std::string key =
          prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
      if (const toml::array* list = node.as_array(); list && IsOperatorResourceKey(key)) {
        Status s = AddOperatorResources(key, *list, config);
        if (!s.ok() && result.ok())
          result = Status::InvalidArgument("config file " + path + ": " + s.message());
        continue;
      }
      if (const toml::table* sub = node.as_table()) {
        self(key, *sub, self);
        continue;
      }
      const auto& options = ConfigOptions();
      auto it = std::find_if(options.begin(), options.end(),
                             [&](const ConfigOption& o) { return o.key == key; });
      if (it == options.end()) {
        if (result.ok())
          result = Status::InvalidArgument("config file " + path + ": unknown key " + key);
        continue;
      }
      const auto text = TomlText(node);
      Status s = text ? it->set(*config, *text)
                      : Status::InvalidArgument(key + ": expected a string, number or boolean");
      if (!s.ok() && result.ok())
        result = Status::InvalidArgument("config file " + path + ": " + s.message());
    }
  };
  visit("", root, visit);
  return result;
}

Status ApplyEnvironment(ServerConfig* config,
                        const std::function<const char*(const char*)>& getenv) {
  for (const ConfigOption& o : ConfigOptions()) {
    if (const char* v = getenv(o.env.c_str())) {
      if (Status s = o.set(*config, v); !s.ok()) {
        return Status::InvalidArgument(o.env + ": " + s.message());
      }
    }
  }
  return Status::Ok();
}

Status ValidateConfig(const ServerConfig& c) {
  const size_t colon = c.listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == c.listen.size()) {
    return Status::InvalidArgument("server.listen: expected host:port, got \"" + c.listen + "\"");
  }
  int port = -1;
  auto [ptr, ec] =
      std::from_chars(c.listen.data() + colon + 1, c.listen.data() + c.listen.size(), port);
  if (ec != std::errc() || ptr != c.listen.data() + c.listen.size() || port < 0 || port > 65535) {
    return Status::InvalidArgument("server.listen: invalid port in \"" + c.listen + "\"");
  }
  if (Status s = core::ValidateThresholds(c.thresholds); !s.ok()) return s;
  if (Status s = ValidateClusterConfig(c); !s.ok()) return s;
  return MonitorOptionsFor(c).Validate();
}

engine::MonitorOptions MonitorOptionsFor(const ServerConfig& c) {
  engine::MonitorOptions o;
  o.sweep_interval = core::Seconds(c.sweep_interval_s);
  o.policy.alerts.cooldown = core::Seconds(c.alert_cooldown_s);
  o.policy.default_heartbeat.interval = core::Millis(c.heartbeat_interval_ms);
  o.policy.default_heartbeat.failure_threshold = c.heartbeat_failure_threshold;
  o.defaults.thresholds = c.thresholds;
  o.defaults.slo.objective = c.slo_objective;
  o.limits.max_future_skew = core::Seconds(c.max_future_skew_s);
  o.limits.max_past_age = core::Seconds(c.max_past_age_s);
  o.max_agents = c.max_agents;
  o.policy.rules.error_rate_threshold = c.alert_error_rate_threshold;
  o.policy.rules.low_confidence_threshold = c.alert_low_confidence_threshold;
  o.policy.rules.max_failures_per_hour = c.alert_max_failures_per_hour;
  o.integrations.latency_threshold_ms = c.alert_latency_threshold_ms;
  o.queue_depth_threshold = static_cast<int64_t>(c.alert_queue_depth_threshold);
  // A cluster's executions reach their owner through streams, out of commit order: a forwarded
  // one is normally there within milliseconds; 30 s covers a stalled stream, and a hand-over or
  // a lost stream is restored from the store well within it.
  if (!c.redis.empty()) o.log_reorder_window = std::chrono::seconds(30);
  return o;
}

HttpServerOptions HttpOptionsFor(const ServerConfig& c) {
  HttpServerOptions o;
  o.address = c.host();
  o.port = c.port();
  o.threads = c.threads;
  o.max_body_bytes = c.max_body_bytes;
  o.max_connections = c.max_connections;
  o.max_queued_messages = c.stream_queue_messages;
  ApplyTransportOptions(c, &o);
  o.websocket_paths = {"/ws/health"};
  o.sse_paths = {"/api/v1/stream"};
  return o;
}

store::StoreOpenOptions StoreOptionsFor(const ServerConfig& c, const core::Clock* clock) {
  store::StoreOpenOptions o;
  o.synchronous = c.synchronous;
  o.clock = clock;
  // A cluster node's background writes are fenced by the agents other nodes claimed.
  if (!c.redis.empty()) o.writer_node = c.NodeId();
  return o;
}

}  // namespace vitals::server
