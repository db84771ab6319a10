// CollectorRunner: runs the system collector, the workspace scanners and the database probes on
// their own schedules, on threads of its own — one each — so a slow workspace scan or a hanging
// database delays nothing else. Registered workspaces and databases are per organization.
//
// Thread-safety: every public method may be called from any thread, except RunOnceForTest.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "collect/collector_sink.h"
#include "collect/system_collector.h"

namespace vitals::collect {

struct CollectorRunnerOptions {
  bool system_enabled = true;
  bool workspaces_enabled = true;
  bool databases_enabled = true;
  core::Duration system_interval = core::Seconds(30);  // seed 003's check interval
  SystemCollectorOptions system;
  size_t max_workspaces = 1000;  // over all organizations; beyond: ResourceExhausted
  size_t max_databases = 1000;

  // InvalidArgument naming the field (system_interval, thresholds).
  core::Status Validate() const;
};

struct WorkspaceStatus {
  WorkspaceSpec spec;
  std::optional<WorkspaceSample> latest;  // nullopt until the first scan
};

struct DatabaseStatus {
  DatabaseSpec spec;
  std::optional<DatabaseSample> latest;  // nullopt until the first probe
};

class CollectorRunner final {
 public:
  // REQUIRES: options.Validate().ok(). `sink` (may be null) and `clock` outlive the runner.
  CollectorRunner(CollectorRunnerOptions options, CollectorSink* sink, const core::Clock* clock);
  ~CollectorRunner();  // Stop()

  // Starts one thread per enabled collector; the system collector runs at once, then every
  // system_interval; each target runs when added, then every spec interval. Call once.
  void Start();
  // Ends a running scan early, waits for running probes (each ends by its timeout) and joins.
  // Idempotent.
  void Stop();

  // Registers or replaces (organization_id, id); scanned soon after. InvalidArgument naming the
  // field (ValidateFields: the directory may be missing — that is then reported, so specs load
  // back after a restart), Unavailable when the workspace collector is turned off,
  // ResourceExhausted beyond max_workspaces. Non-blocking.
  core::Status AddWorkspace(WorkspaceSpec spec);
  // NotFound when the organization has no such workspace.
  core::Status RemoveWorkspace(std::string_view organization_id, std::string_view id);
  // The organization's workspaces, by id.
  std::vector<WorkspaceStatus> ListWorkspaces(std::string_view organization_id) const;

  // As for workspaces; Validate() must pass.
  core::Status AddDatabase(DatabaseSpec spec);
  core::Status RemoveDatabase(std::string_view organization_id, std::string_view id);
  std::vector<DatabaseStatus> ListDatabases(std::string_view organization_id) const;

  std::optional<SystemSample> LatestSystem() const;
  std::optional<WorkspaceSample> LatestWorkspace(std::string_view organization_id,
                                                 std::string_view id) const;
  std::optional<DatabaseSample> LatestDatabase(std::string_view organization_id,
                                               std::string_view id) const;

  // Runs every enabled collector and target once, now, on the calling thread (sink included).
  // REQUIRES: Start() not called — the collectors keep per-run state.
  void RunOnceForTest();

  const CollectorRunnerOptions& options() const { return options_; }

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;
  using Key = std::pair<std::string, std::string>;  // (organization_id, id)
  template <typename Worker, typename Sample>
  struct Entry {
    std::shared_ptr<Worker> worker;
    SteadyTime due;
    std::optional<Sample> latest;
  };
  using WorkspaceEntry = Entry<WorkspaceScanner, WorkspaceSample>;
  using DatabaseEntry = Entry<const DatabaseProbe, DatabaseSample>;

  void SystemLoop();
  void RunSystem();
  template <typename E, typename Run>
  void TargetLoop(std::map<Key, E>& table, Run run);
  WorkspaceSample RunWorkspace(WorkspaceScanner& scanner);
  DatabaseSample RunDatabase(const DatabaseProbe& probe);

  const CollectorRunnerOptions options_;
  CollectorSink* const sink_;
  const core::Clock* const clock_;
  SystemCollector system_;  // used by the system thread only

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::map<Key, WorkspaceEntry> workspaces_;
  std::map<Key, DatabaseEntry> databases_;
  std::optional<SystemSample> latest_system_;
  std::vector<std::thread> threads_;
};

}  // namespace vitals::collect
