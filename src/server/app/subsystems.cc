#include "server/app/subsystems.h"

#include <spdlog/spdlog.h>

#include "collect/collector_specs.h"
#include "server/api/tenant_policy.h"
#include "server/notify/spec_json.h"

namespace vitals::server {
namespace {

using core::AlertSeverity;
using core::AlertSource;
using core::Status;

std::optional<AlertSeverity> SeverityOf(collect::MetricLevel level) {
  switch (level) {
    case collect::MetricLevel::kHealthy:
      return std::nullopt;
    case collect::MetricLevel::kWarning:
      return AlertSeverity::kWarning;
    case collect::MetricLevel::kCritical:
      return AlertSeverity::kCritical;
  }
  return std::nullopt;
}

std::string Percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", v);
  return buf;
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

// The operator's grants, each announced: they hand host-level powers to every API key.
OperatorGrants GrantsFor(const ServerConfig& c) {
  OperatorGrants g;
  g.allow_command_routes = c.allow_command_routes;
  g.allow_private_targets = c.allow_private_targets;
  g.allowed_paths = c.allow_paths;
  // The server's own SQLite file is not a probe's to open; a PostgreSQL store has no file here.
  auto location = store::ParseStoreUrl(c.StoreUrl());
  if (location.ok() && location->kind == store::StoreKind::kSqlite) {
    g.database_path = location->sqlite_path;
  }
  if (g.allow_command_routes) {
    spdlog::warn("--allow-command-routes: API keys may run programs as this server's user");
  }
  if (g.allow_private_targets) {
    spdlog::warn("--allow-private-targets: API keys may reach loopback and private addresses");
  }
  for (const std::string& d : g.allowed_paths) {
    spdlog::info("--allow-paths: API keys may register workspaces and sqlite probes in {}", d);
  }
  return g;
}

// Stored specs face today's grants: one registered before them, or under a grant since
// withdrawn, does not run. `g` must outlive the load.
collect::SpecAdmission AdmissionBy(const OperatorGrants& g) {
  collect::SpecAdmission admission;
  admission.workspace = [&g](collect::WorkspaceSpec& spec) {
    auto path = AdmitWorkspacePath(spec.path, g);
    if (path.ok()) spec.path = std::move(*path);
    return path.status();
  };
  admission.database = [&g](const collect::DatabaseSpec& spec) { return AdmitDatabase(spec, g); };
  return admission;
}

// The config file's own routes, workspaces and databases (operator_resources.h); the file was
// validated when read, so an error here is a collector refusing it (too many, say).
Status ApplyOperatorResources(const ServerConfig& c, Notifier* notifier,
                              collect::CollectorRunner& collectors) {
  for (const ServerConfig::OperatorResource& r : c.operator_resources) {
    Status s;
    if (r.kind == "routes" && notifier) {
      auto route = ParseRouteSpec(r.spec_json, r.organization);
      if (route.ok()) {
        route->operator_defined = true;
        notifier->PutRoute(std::move(*route));
      }
      s = route.status();
    } else if (r.kind == "workspaces" && collectors.options().workspaces_enabled) {
      auto spec = collect::ParseWorkspaceSpec(r.spec_json, r.organization);
      s = spec.ok() ? collectors.AddWorkspace(std::move(*spec)) : spec.status();
    } else if (r.kind == "databases" && collectors.options().databases_enabled) {
      auto spec = collect::ParseDatabaseSpec(r.spec_json, r.organization);
      s = spec.ok() ? collectors.AddDatabase(std::move(*spec)) : spec.status();
    }
    if (!s.ok()) return Status::InvalidArgument("config file " + r.kind + ": " + s.message());
  }
  return Status::Ok();
}

}  // namespace

// Turns collector levels into engine conditions: system alerts for the machine, workspace and
// database alerts for registered targets.
class Subsystems::CollectBridge final : public collect::CollectorSink {
 public:
  CollectBridge(engine::Monitor& monitor, std::string organization)
      : monitor_(monitor), organization_(std::move(organization)) {}

  void OnSystem(const collect::SystemSample& s) override {
    // The first sample's CPU is the average since boot, not a reading: it neither raises nor
    // clears (a cpu alert restored open after a restart keeps its id while it holds).
    if (!s.cpu_since_boot) {
      Set("system", "cpu", SeverityOf(s.cpu_level), "CPU usage " + Percent(s.cpu_percent));
    }
    Set("system", "memory", SeverityOf(s.memory_level),
        "memory usage " + Percent(s.memory_percent));
    Set("system", "swap", SeverityOf(s.swap_level), "swap usage " + Percent(s.swap_percent));
    for (const collect::FilesystemSample& f : s.filesystems) {
      Set(f.mount_point, "disk", SeverityOf(f.usage_level),
          "disk usage " + Percent(f.usage_percent) + " on " + f.mount_point);
      Set(f.mount_point, "inodes", SeverityOf(f.inode_level),
          "inode usage " + Percent(f.inode_usage_percent) + " on " + f.mount_point);
      Set(f.mount_point, "filesystem", SeverityOf(f.health_level),
          f.mount_point + ": " + Joined(f.issues));
    }
  }

  void OnWorkspace(const collect::WorkspaceSpec& spec,
                   const collect::WorkspaceSample& sample) override {
    std::optional<AlertSeverity> severity;
    switch (sample.status) {
      case collect::WorkspaceSample::Status::kHealthy:
        break;
      case collect::WorkspaceSample::Status::kWarning:
        severity = AlertSeverity::kWarning;
        break;
      case collect::WorkspaceSample::Status::kCritical:
      case collect::WorkspaceSample::Status::kError:
        severity = AlertSeverity::kCritical;
        break;
    }
    SetIn(spec.organization_id, AlertSource::kWorkspace, spec.id, "workspace", severity,
          "workspace " + spec.id + " (" + spec.path + "): " + Joined(sample.issues));
  }

  void OnDatabase(const collect::DatabaseSpec& spec,
                  const collect::DatabaseSample& sample) override {
    SetIn(spec.organization_id, AlertSource::kDatabase, spec.id, "database_down",
          sample.up ? std::nullopt : std::optional(AlertSeverity::kCritical),
          "database " + spec.id + " is unreachable: " + sample.error);
  }

 private:
  void Set(const std::string& source, const char* type, std::optional<AlertSeverity> severity,
           std::string message) {
    SetIn(organization_, AlertSource::kSystem, source, type, severity, std::move(message));
  }
  void SetIn(const std::string& org, AlertSource kind, const std::string& source, const char* type,
             std::optional<AlertSeverity> severity, std::string message) {
    Status s = monitor_.SetCondition(org, kind, source, type, severity, message, "{}");
    if (!s.ok()) spdlog::warn("condition {}/{}/{}: {}", org, source, type, s.message());
  }

  engine::Monitor& monitor_;
  const std::string organization_;
};

// Check results feed the health of the agent or integration they are about.
class Subsystems::CheckBridge final : public CheckSink {
 public:
  explicit CheckBridge(engine::Monitor& monitor) : monitor_(monitor) {}

  void OnCheckResult(const CheckSpec& spec, const CheckOutcome& o) override {
    const AlertSource source = spec.target_type == CheckTargetType::kAgent
                                   ? AlertSource::kAgent
                                   : AlertSource::kIntegration;
    // Pending (failures not yet past the retries) has no verdict: it keeps the check's last one
    // (up for a new check, as in Uptime Kuma; down for a check restored down after a restart).
    Status s = monitor_.RecordCheckResult(spec.organization_id, source, spec.target_id, spec.id,
                                          o.state != CheckState::kDown, o.latency_ms, o.detail,
                                          o.at, o.state == CheckState::kPending);
    if (!s.ok()) spdlog::warn("check {}/{}: {}", spec.organization_id, spec.id, s.message());
  }

 private:
  engine::Monitor& monitor_;
};

// Tells delivery which integrations are down, from the engine's integration_down alerts.
class Subsystems::DownTracker final : public engine::MonitorListener {
 public:
  explicit DownTracker(Notifier& notifier) : notifier_(notifier) {}

  void OnEvents(std::span<const engine::EngineEvent> events) override {
    for (const engine::EngineEvent& e : events) {
      if (e.kind != engine::EngineEventKind::kAlert || !e.alert) continue;
      const core::Alert& a = e.alert->alert;
      if (a.source_type != AlertSource::kIntegration || a.type != "integration_down") continue;
      notifier_.SetIntegrationDown(a.organization_id, a.source_id, a.open());
    }
  }

 private:
  Notifier& notifier_;
};

Subsystems::Subsystems(const ServerConfig& config, engine::Monitor& monitor, store::Store& store,
                       const core::Clock* clock)
    : config_(config), monitor_(monitor), store_(store), clock_(clock) {}

Subsystems::~Subsystems() { Stop(); }

Status Subsystems::Prepare(Services& services) {
  services.grants = GrantsFor(config_);
  if (config_.delivery_enabled) {
    NotifierOptions nopts;
    nopts.allow_command_routes = config_.allow_command_routes;
    nopts.allow_private_targets = config_.allow_private_targets;
    nopts.incident_window = core::Seconds(config_.incident_window_s);
    nopts.cooldown = core::Seconds(config_.alert_cooldown_s);
    nopts.dependency_wait = core::Seconds(config_.dependency_wait_s);
    notifier_ = std::make_unique<Notifier>(store_, clock_, nopts);
    notifier_->SetAgentLookup(MonitorAgentLookup(monitor_));
    if (Status s = notifier_->LoadFrom(store_); !s.ok()) spdlog::warn("delivery: {}", s.message());
    down_tracker_ = std::make_unique<DownTracker>(*notifier_);
    services.notifier = notifier_.get();
  }
  collect::CollectorRunnerOptions copts;
  copts.system_enabled = config_.collect_system;
  copts.workspaces_enabled = config_.collect_workspaces;
  copts.databases_enabled = config_.collect_databases;
  copts.system_interval = core::Seconds(config_.system_interval_s);
  collect::SystemThresholds& t = copts.system.thresholds;
  t.cpu_warning = config_.cpu_warning;
  t.cpu_critical = config_.cpu_critical;
  t.memory_warning = config_.memory_warning;
  t.memory_critical = config_.memory_critical;
  t.disk_warning = config_.disk_warning;
  t.disk_critical = config_.disk_critical;
  if (Status s = copts.Validate(); !s.ok()) return s;
  collect_bridge_ = std::make_unique<CollectBridge>(monitor_, config_.system_organization);
  metrics_sink_ = std::make_unique<collect::MetricsSink>(store_, config_.system_organization,
                                                         collect_bridge_.get());
  collectors_ = std::make_unique<collect::CollectorRunner>(copts, metrics_sink_.get(), clock_);
  auto loaded = collect::LoadCollectorSpecs(store_, *collectors_, AdmissionBy(services.grants));
  if (!loaded.ok()) return loaded.status();
  for (const std::string& e : loaded->errors) spdlog::warn("collectors: {}", e);
  if (Status st = ApplyOperatorResources(config_, notifier_.get(), *collectors_); !st.ok()) {
    return st;
  }
  services.collectors = collectors_.get();
  if (config_.checks_enabled) {
    check_bridge_ = std::make_unique<CheckBridge>(monitor_);
    CheckRunnerOptions ropts;
    ropts.allow_private_targets = config_.allow_private_targets;
    checks_ = std::make_unique<CheckRunner>(clock_, check_bridge_.get(), ropts);
    auto checks = checks_->LoadFrom(store_);
    if (!checks.ok()) return checks.status();
    for (const std::string& e : checks->errors) spdlog::warn("checks: {}", e);
    services.checks = checks_.get();
  }
  return Status::Ok();
}

Status Subsystems::Start(HttpServer& http) {
  started_ = true;
  if (notifier_) {
    // Restored open alerts: incidents notified before the restart get their resolution, not a
    // second announcement; integrations still down still hold their dependents' incidents.
    std::vector<core::Alert> open;
    for (const std::string& org : notifier_->RouteOrganizations()) {
      for (const std::string& id : monitor_.DownIntegrations(org)) {
        notifier_->SetIntegrationDown(org, id, true);
      }
      std::vector<core::Alert> alerts = monitor_.OpenAlerts(org);
      open.insert(open.end(), std::make_move_iterator(alerts.begin()),
                  std::make_move_iterator(alerts.end()));
    }
    notifier_->Seed(std::move(open));
    notifier_->Start();
    monitor_.AddListener(notifier_.get());
    monitor_.AddListener(down_tracker_.get());
  }
  collectors_->Start();
  if (checks_) {
    prober_ = http.NewProbeClient();
    if (!prober_) return Status::FailedPrecondition("checks need the HTTP server running");
    if (Status s = checks_->Start(*prober_); !s.ok()) return s;
  }
  return Status::Ok();
}

void Subsystems::Stop() {
  if (!started_) return;
  started_ = false;
  if (checks_) checks_->Stop();
  if (prober_) prober_->Stop();
  if (collectors_) collectors_->Stop();
  if (notifier_ && down_tracker_) {
    monitor_.RemoveListener(down_tracker_.get());
    monitor_.RemoveListener(notifier_.get());
    notifier_->Stop();
  }
}

}  // namespace vitals::server
