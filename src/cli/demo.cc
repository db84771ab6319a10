#include "cli/demo.h"

#include <iomanip>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "engine/monitor.h"
#include "engine/ticker.h"

namespace vitals::cli {
namespace {

using core::Timestamp;
using namespace std::chrono_literals;

// The scripted failures, in seconds from the start.
constexpr double kIndexerStartsAt = 4;
constexpr double kBillingFailsAt = 5;
constexpr double kSchedulerStopsAt = 8;

// Prints transitions and notified alert changes as the engine publishes them.
class Printer final : public engine::MonitorListener {
 public:
  Printer(std::ostream& out, std::mutex& mu, Timestamp start) : out_(out), mu_(mu), start_(start) {}

  void OnEvents(std::span<const engine::EngineEvent> events) override {
    std::lock_guard lock(mu_);
    for (const engine::EngineEvent& e : events) {
      const double t = core::ToSecondsF(e.at - start_);
      if (e.kind == engine::EngineEventKind::kTransition) {
        out_ << std::fixed << std::setprecision(1) << "[" << std::setw(5) << t << "s] "
             << e.agent_id << ": " << core::TransitionKindName(*e.transition) << " ("
             << core::HealthStatusName(*e.previous_status) << " -> "
             << core::HealthStatusName(e.health.status) << ", score " << std::setprecision(0)
             << e.health.score << ")\n";
      } else if (e.kind == engine::EngineEventKind::kAlert && e.alert->notify) {
        out_ << std::fixed << std::setprecision(1) << "[" << std::setw(5) << t << "s]   alert "
             << core::AlertChangeKindName(e.alert->kind) << " ["
             << core::AlertSeverityName(e.alert->alert.severity) << "] " << e.alert->alert.message
             << "\n";
      }
    }
  }

 private:
  std::ostream& out_;
  std::mutex& mu_;
  Timestamp start_;
};

void PrintTable(engine::Monitor& monitor, std::ostream& out) {
  auto rows = monitor.ListAgents("demo");
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.agent_id < b.agent_id; });
  out << "  agent            health     score  activity  success(5m)  p95(5m)   heartbeat\n";
  for (const engine::AgentSummary& r : rows) {
    out << "  " << std::left << std::setw(16) << r.agent_id << " " << std::setw(10)
        << core::HealthStatusName(r.status) << std::right << std::setw(5) << std::fixed
        << std::setprecision(0) << r.score << "  " << std::left << std::setw(9)
        << core::ActivityStatusName(r.activity) << " " << std::right << std::setw(10);
    if (r.success_rate_5min) {
      out << std::setprecision(1) << *r.success_rate_5min * 100 << "%";
    } else {
      out << "-"
          << " ";
    }
    out << std::setw(9);
    if (r.latency_p95_ms) {
      out << std::setprecision(0) << *r.latency_p95_ms << "ms";
    } else {
      out << "-"
          << "  ";
    }
    out << "   " << (r.heartbeat ? core::HeartbeatStateName(*r.heartbeat) : "-") << "\n";
  }
  const engine::FleetSummary f = monitor.Summary("demo");
  out << "  fleet: " << f.total_agents << (f.total_agents == 1 ? " agent, " : " agents, ")
      << f.by_status[static_cast<int>(core::HealthStatus::kHealthy)] << " healthy, "
      << f.by_status[static_cast<int>(core::HealthStatus::kDegraded)] << " degraded, "
      << f.by_status[static_cast<int>(core::HealthStatus::kCritical)]
      << " critical; open alerts: " << f.open_alerts[2] << " critical, " << f.open_alerts[1]
      << " warning\n"
      << std::flush;
}

core::ExecutionEvent Event(const std::string& agent, bool ok, double latency, Timestamp t) {
  core::ExecutionEvent e;
  e.organization_id = "demo";
  e.agent_id = agent;
  e.action_type = "llm_call";
  e.status = ok ? "success" : "error";
  e.error_message = ok ? "" : "upstream returned 503";
  e.latency_ms = latency;
  e.cost_usd = 0.0004;
  e.token_count = 420;
  e.timestamp = t;
  return e;
}

}  // namespace

std::string DemoAnnouncement(const DemoOptions& options) {
  const double seconds = static_cast<double>(options.duration.count());
  struct Scripted {
    double at;
    const char* what;
  };
  std::string events;
  for (const Scripted& e : {Scripted{kIndexerStartsAt, "indexer starts a run that never finishes"},
                            Scripted{kBillingFailsAt, "billing-bot starts failing"},
                            Scripted{kSchedulerStopsAt, "scheduler stops its heartbeats"}}) {
    if (e.at >= seconds) continue;  // the run ends first: do not promise it
    events += (events.empty() ? "" : ", ") + std::string(e.what) + " at " +
              std::to_string(static_cast<int>(e.at)) + " s";
  }
  std::string s = "vitals demo: " + std::to_string(options.agents) +
                  (options.agents == 1 ? " agent" : " agents") + " for " +
                  std::to_string(options.duration.count()) + " s. ";
  if (events.empty()) {
    return s + "Nothing fails this soon (the first failure is scripted at " +
           std::to_string(static_cast<int>(kIndexerStartsAt)) + " s; try --seconds 12).";
  }
  return s + "Scripted: " + events + ".";
}

int RunDemo(const DemoOptions& options, std::ostream& out) {
  const core::Clock* clock = core::SystemClock::Instance();
  engine::MonitorOptions mo;
  mo.sweep_interval = 5s;
  engine::Monitor monitor(mo, clock);
  const Timestamp start = clock->Now();
  std::mutex out_mu;
  Printer printer(out, out_mu, start);
  monitor.AddListener(&printer);

  // A scheduler that promises a heartbeat every second, and a worker whose runs time out at 3 s.
  core::AgentSettings scheduler;
  scheduler.name = "scheduler";
  scheduler.heartbeat = core::HeartbeatConfig{};
  scheduler.heartbeat->interval = 1s;
  (void)monitor.RegisterAgent("demo", "scheduler", scheduler);
  core::AgentSettings indexer;
  indexer.stuck_after = 3s;
  (void)monitor.RegisterAgent("demo", "indexer", indexer);

  engine::Ticker ticker(monitor, mo.tick_interval);
  ticker.Start();
  out << DemoAnnouncement(options) << "\n";

  std::mt19937_64 rng(1);
  std::lognormal_distribution<double> latency(std::log(350.0), 0.5);
  auto next_table = std::chrono::steady_clock::now() + options.table_every;
  const auto end = std::chrono::steady_clock::now() + options.duration;
  bool indexer_started = false;
  while (std::chrono::steady_clock::now() < end) {
    const Timestamp now = clock->Now();
    const double t = core::ToSecondsF(now - start);
    std::vector<core::ExecutionEvent> batch;
    for (int a = 0; a < options.agents; ++a) {
      const std::string id = a == 0 ? "billing-bot" : "agent-" + std::to_string(a);
      const bool failing = a == 0 && t > kBillingFailsAt;
      batch.push_back(Event(id, !failing, latency(rng), now));
    }
    std::vector<core::Status> results(batch.size());
    monitor.IngestBatch(batch, results);
    if (t < kSchedulerStopsAt)
      (void)monitor.RecordHeartbeat("demo", "scheduler", std::nullopt, "{}");
    if (t > kIndexerStartsAt && !indexer_started) {
      core::ExecutionEvent run = Event("indexer", true, 0, now);
      run.execution_id = "reindex-1";
      run.action_name = "Rebuilding search index";
      (void)monitor.StartExecution(run);
      indexer_started = true;
    }
    if (std::chrono::steady_clock::now() >= next_table) {
      std::lock_guard lock(out_mu);
      out << std::fixed << std::setprecision(1) << "--- fleet at " << t << " s\n";
      PrintTable(monitor, out);
      next_table += options.table_every;
    }
    std::this_thread::sleep_for(200ms);
  }
  ticker.Stop();
  monitor.RemoveListener(&printer);
  std::lock_guard lock(out_mu);
  out << "--- final\n";
  PrintTable(monitor, out);
  return 0;
}

}  // namespace vitals::cli
