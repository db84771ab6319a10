#include "collect/collector_runner.h"

namespace vitals::collect {
namespace {

using core::Status;

std::chrono::steady_clock::duration ToSteady(core::Duration d) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(d);
}

}  // namespace

Status CollectorRunnerOptions::Validate() const {
  if (system_interval.count() <= 0) return Status::InvalidArgument("system_interval: must be > 0");
  return system.thresholds.Validate();
}

CollectorRunner::CollectorRunner(CollectorRunnerOptions options, CollectorSink* sink,
                                 const core::Clock* clock)
    : options_(std::move(options)), sink_(sink), clock_(clock), system_(options_.system, clock) {}

CollectorRunner::~CollectorRunner() { Stop(); }

void CollectorRunner::Start() {
  if (options_.system_enabled) threads_.emplace_back([this] { SystemLoop(); });
  if (options_.workspaces_enabled) {
    threads_.emplace_back([this] {
      TargetLoop(workspaces_, [this](WorkspaceScanner& w) { return RunWorkspace(w); });
    });
  }
  if (options_.databases_enabled) {
    threads_.emplace_back([this] {
      TargetLoop(databases_, [this](const DatabaseProbe& p) { return RunDatabase(p); });
    });
  }
}

void CollectorRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void CollectorRunner::RunSystem() {
  SystemSample sample = system_.Collect();
  {
    std::lock_guard lock(mu_);
    latest_system_ = sample;
  }
  if (sink_) sink_->OnSystem(sample);
}

void CollectorRunner::SystemLoop() {
  const auto interval = ToSteady(options_.system_interval);
  auto next = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (std::chrono::steady_clock::now() < next) {
      wake_.wait_until(lock, next);
      continue;
    }
    lock.unlock();
    RunSystem();
    // Fixed-rate, but a run that overran starts the next period from now (no burst to catch up).
    next = std::max(next + interval, std::chrono::steady_clock::now());
    lock.lock();
  }
}

WorkspaceSample CollectorRunner::RunWorkspace(WorkspaceScanner& scanner) {
  return scanner.Scan(&stopping_);
}

DatabaseSample CollectorRunner::RunDatabase(const DatabaseProbe& probe) { return probe.Probe(); }

template <typename E, typename Run>
void CollectorRunner::TargetLoop(std::map<Key, E>& table, Run run) {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    auto next = table.end();
    for (auto it = table.begin(); it != table.end(); ++it) {
      if (next == table.end() || it->second.due < next->second.due) next = it;
    }
    if (next == table.end()) {
      wake_.wait(lock);
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    if (next->second.due > now) {
      wake_.wait_until(lock, next->second.due);
      continue;
    }
    const Key key = next->first;
    auto worker = next->second.worker;
    next->second.due = now + ToSteady(worker->spec().interval);
    lock.unlock();
    auto sample = run(*worker);
    lock.lock();
    // The target may have been removed or replaced while it ran: its sample is then stale.
    auto it = table.find(key);
    if (it == table.end() || it->second.worker != worker) continue;
    it->second.latest = sample;
    lock.unlock();
    if (sink_) {
      if constexpr (std::is_same_v<E, WorkspaceEntry>) {
        sink_->OnWorkspace(worker->spec(), sample);
      } else {
        sink_->OnDatabase(worker->spec(), sample);
      }
    }
    lock.lock();
  }
}

Status CollectorRunner::AddWorkspace(WorkspaceSpec spec) {
  if (!options_.workspaces_enabled) return Status::Unavailable("workspace collector is turned off");
  if (Status st = spec.ValidateFields(); !st.ok()) return st;
  Key key{spec.organization_id, spec.id};
  auto scanner = std::make_shared<WorkspaceScanner>(std::move(spec), clock_);
  {
    std::lock_guard lock(mu_);
    if (!workspaces_.count(key) && workspaces_.size() >= options_.max_workspaces) {
      return Status::ResourceExhausted("too many workspaces (at most " +
                                       std::to_string(options_.max_workspaces) + ")");
    }
    workspaces_[key] = WorkspaceEntry{std::move(scanner), std::chrono::steady_clock::now(), {}};
  }
  wake_.notify_all();
  return Status::Ok();
}

Status CollectorRunner::RemoveWorkspace(std::string_view organization_id, std::string_view id) {
  std::lock_guard lock(mu_);
  if (workspaces_.erase(Key{organization_id, id}) == 0) {
    return Status::NotFound("workspace " + std::string(id) + " is not registered");
  }
  return Status::Ok();
}

std::vector<WorkspaceStatus> CollectorRunner::ListWorkspaces(
    std::string_view organization_id) const {
  std::lock_guard lock(mu_);
  std::vector<WorkspaceStatus> out;
  for (auto it = workspaces_.lower_bound(Key{organization_id, ""});
       it != workspaces_.end() && it->first.first == organization_id; ++it) {
    out.push_back({it->second.worker->spec(), it->second.latest});
  }
  return out;
}

Status CollectorRunner::AddDatabase(DatabaseSpec spec) {
  if (!options_.databases_enabled) return Status::Unavailable("database collector is turned off");
  if (Status st = spec.Validate(); !st.ok()) return st;
  Key key{spec.organization_id, spec.id};
  auto probe = std::make_shared<const DatabaseProbe>(std::move(spec), clock_);
  {
    std::lock_guard lock(mu_);
    if (!databases_.count(key) && databases_.size() >= options_.max_databases) {
      return Status::ResourceExhausted("too many databases (at most " +
                                       std::to_string(options_.max_databases) + ")");
    }
    databases_[key] = DatabaseEntry{std::move(probe), std::chrono::steady_clock::now(), {}};
  }
  wake_.notify_all();
  return Status::Ok();
}

Status CollectorRunner::RemoveDatabase(std::string_view organization_id, std::string_view id) {
  std::lock_guard lock(mu_);
  if (databases_.erase(Key{organization_id, id}) == 0) {
    return Status::NotFound("database " + std::string(id) + " is not registered");
  }
  return Status::Ok();
}

std::vector<DatabaseStatus> CollectorRunner::ListDatabases(std::string_view organization_id) const {
  std::lock_guard lock(mu_);
  std::vector<DatabaseStatus> out;
  for (auto it = databases_.lower_bound(Key{organization_id, ""});
       it != databases_.end() && it->first.first == organization_id; ++it) {
    out.push_back({it->second.worker->spec(), it->second.latest});
  }
  return out;
}

std::optional<SystemSample> CollectorRunner::LatestSystem() const {
  std::lock_guard lock(mu_);
  return latest_system_;
}

std::optional<WorkspaceSample> CollectorRunner::LatestWorkspace(std::string_view organization_id,
                                                                std::string_view id) const {
  std::lock_guard lock(mu_);
  auto it = workspaces_.find(Key{organization_id, id});
  return it == workspaces_.end() ? std::nullopt : it->second.latest;
}

std::optional<DatabaseSample> CollectorRunner::LatestDatabase(std::string_view organization_id,
                                                              std::string_view id) const {
  std::lock_guard lock(mu_);
  auto it = databases_.find(Key{organization_id, id});
  return it == databases_.end() ? std::nullopt : it->second.latest;
}

void CollectorRunner::RunOnceForTest() {
  if (options_.system_enabled) RunSystem();
  std::vector<std::pair<Key, std::shared_ptr<WorkspaceScanner>>> scanners;
  std::vector<std::pair<Key, std::shared_ptr<const DatabaseProbe>>> probes;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, e] : workspaces_) scanners.emplace_back(key, e.worker);
    for (auto& [key, e] : databases_) probes.emplace_back(key, e.worker);
  }
  for (auto& [key, scanner] : scanners) {
    WorkspaceSample s = RunWorkspace(*scanner);
    {
      std::lock_guard lock(mu_);
      if (auto it = workspaces_.find(key); it != workspaces_.end()) it->second.latest = s;
    }
    if (sink_) sink_->OnWorkspace(scanner->spec(), s);
  }
  for (auto& [key, probe] : probes) {
    DatabaseSample s = RunDatabase(*probe);
    {
      std::lock_guard lock(mu_);
      if (auto it = databases_.find(key); it != databases_.end()) it->second.latest = s;
    }
    if (sink_) sink_->OnDatabase(probe->spec(), s);
  }
}

}  // namespace vitals::collect
