// Notifier: where alerts go. A MonitorListener that takes the engine's alert changes, groups them
// into incidents (IncidentTracker), decides with a DeliveryPolicy which routes get each incident
// change (or hold it), and delivers them on threads of its own, so the engine never waits for a
// webhook.
//
// Threads: one dispatcher feeds queued changes to the tracker in arrival order (one OnEvents call
// is one batch), applies the policy, wakes when an incident's grouping window ends, and looks for
// due reminders/refreshes; `delivery_threads` workers deliver. Per route, deliveries go strictly
// in order — a retrying delivery holds back the ones behind it on that route (the resolution of
// an incident is never delivered before its opening), while other routes go on.
//
// Retries: a failure worth retrying (connection error, timeout, 5xx) is retried after
// initial_backoff, doubling up to max_backoff, until the route's max_attempts. Every attempt and
// every hold is written to the delivery log (Store::RecordDelivery; its alert_id column holds the
// incident id), except successful Alertmanager refreshes.
//
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "engine/engine_event.h"
#include "server/notify/alertmanager_channel.h"
#include "server/notify/delivery_policy.h"
#include "server/notify/incident_tracker.h"
#include "store/store.h"

namespace vitals::engine {
class Monitor;
}

namespace vitals::server {

struct NotifierOptions {
  size_t max_queue = 10'000;  // queued changes, and pending deliveries; beyond: dropped, counted
  int delivery_threads = 2;
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{300'000};
  std::chrono::milliseconds repeat_check{1000};  // how often reminders/refreshes are looked for
  std::chrono::milliseconds stop_wait{5000};     // Stop() delivers what it can for this long
  // Alerts raised within this long of their incident's first alert join its opening
  // notification; 0: those of the same batch (OnEvents call) only.
  core::Duration incident_window = core::Seconds(1);
  // The engine's alert cooldown: a silent incident (its raises were in cooldown) is notified
  // once it is still open this long after its source's last notification.
  core::Duration cooldown = core::Seconds(300);
  // How long the opening of an agent that declares dependencies waits (IncidentTrackerOptions).
  core::Duration dependency_wait = core::Seconds(10);
  PolicyOptions policy;
  AlertmanagerOptions alertmanager;
  // The operator's grants (issue 14): routes come from tenants, so unless granted a command route
  // is not run and an HTTP route reaches no loopback, link-local or private address (decided on
  // the addresses its host resolves to when it is delivered). A refused delivery fails at once,
  // recorded in the delivery log with the reason. Routes marked operator_defined are exempt.
  bool allow_command_routes = false;
  bool allow_private_targets = false;
};

struct NotifierStats {
  uint64_t changes_dropped = 0;  // the change queue or delivery backlog was full
  uint64_t delivered = 0;        // deliveries that succeeded
  uint64_t failed = 0;           // deliveries given up (permanent error or attempts exhausted)
  uint64_t retries = 0;          // attempts after the first
  uint64_t held = 0;             // held by a maintenance window or a down dependency
  uint64_t abandoned = 0;        // left undelivered by Stop()
  uint64_t pending = 0;          // gauge: deliveries waiting or in flight
};

// What the notifier needs to know about an agent, looked up on the dispatcher thread.
using AgentLookup =
    std::function<AgentInfo(const std::string& organization_id, const std::string& agent_id)>;
// Reads an agent's type and depends_on from the Monitor's registry.
AgentLookup MonitorAgentLookup(engine::Monitor& monitor);

class Notifier final : public engine::MonitorListener {
 public:
  Notifier(store::Store& store, const core::Clock* clock, NotifierOptions options = {});
  ~Notifier() override;  // Stop()s
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Call before Start(). Without one, agents have no type and no dependencies.
  void SetAgentLookup(AgentLookup lookup);
  // Restores the routes and windows saved as resources; a spec that no longer parses is skipped
  // and reported in the returned status (kInvalidArgument) after loading the rest.
  core::Status LoadFrom(store::Store& store);
  // Call after restoring state and before Start(): the open alerts restored (with their
  // last_notified_at). Their incidents with a notified member count as opened and delivered to
  // the routes they match, so their escalation and resolution are delivered, not re-announced.
  void Seed(std::vector<core::Alert> open_alerts);
  // The organizations with routes (whose open alerts Seed needs).
  std::vector<std::string> RouteOrganizations() const;
  // Starts the threads. Idempotent.
  void Start();
  // Stops taking changes, delivers what it can within stop_wait, abandons the rest (counted),
  // joins the threads. Idempotent.
  void Stop();

  // Queues the alert changes among `events`; never blocks on delivery. Drops when full.
  void OnEvents(std::span<const engine::EngineEvent> events) override;

  void PutRoute(DeliveryRoute route);
  bool RemoveRoute(const std::string& organization_id, const std::string& id);
  std::vector<DeliveryRoute> ListRoutes(const std::string& organization_id) const;
  void PutWindow(MaintenanceWindow window);
  bool RemoveWindow(const std::string& organization_id, const std::string& id);
  std::vector<MaintenanceWindow> ListWindows(const std::string& organization_id) const;
  // While an integration is down, its dependent agents' incidents are held; an incident that was
  // only held resolves silently.
  void SetIntegrationDown(const std::string& organization_id, const std::string& integration_id,
                          bool down);

  // Sends a test notification through route `id` of `organization_id` now, once (no retry),
  // ahead of the route's queue: change "test", an open info incident "test_<ms>" titled
  // "vitals test notification", written to the delivery log like any delivery. `done` gets the
  // channel's outcome and the receiver's detail, on a delivery thread (Unavailable if the
  // notifier stops first). NotFound when there is no such route; Unavailable when stopped.
  using TestDone = std::function<void(core::Status status, std::string detail)>;
  core::Status SendTest(const std::string& organization_id, const std::string& id, TestDone done);

  // Waits until every queued change is dispatched, no incident's opening waits for its grouping
  // window, and every delivery finished (delivered or given up). False on timeout. For tests and
  // orderly shutdown.
  bool WaitIdle(std::chrono::milliseconds timeout);
  NotifierStats stats() const;

 private:
  struct Job {
    Decision decision;
    int attempt = 1;
    std::chrono::steady_clock::time_point due;
  };
  struct RouteQueue {
    std::deque<Job> jobs;
    bool busy = false;
  };
  using Key = std::pair<std::string, std::string>;  // org, route id

  void DispatchLoop();
  void DeliveryLoop();
  using Batch = std::vector<std::shared_ptr<const core::AlertChange>>;
  // `flush` (stopping, with no batches): openings still in their window are emitted now.
  void Dispatch(const std::vector<Batch>& batches, bool flush);
  // When the tracker next needs the dispatcher (a grouping window or a cooldown ends).
  std::chrono::steady_clock::time_point NextIncidentWake();
  void Enqueue(std::vector<Decision> decisions);
  // REQUIRES: mu_ held. A route whose head job is due and not busy, or end(); `*next` is the
  // earliest time a not-yet-due head falls due.
  std::map<Key, RouteQueue>::iterator NextReady(std::chrono::steady_clock::time_point* next);
  // Runs one attempt of `job` (mu_ not held); returns whether it is finished (delivered or
  // given up); otherwise `job` is set up for its next attempt.
  bool Attempt(Job& job);
  // One delivery of `d` through its route's channel; `*detail` is the receiver's answer.
  core::Status Deliver(const Decision& d, std::string* detail);
  struct TestJob {
    Decision decision;
    TestDone done;
  };
  // REQUIRES: mu_ held; releases it while delivering. Runs the oldest test job.
  void RunTest(std::unique_lock<std::mutex>& lock);
  void Record(const Decision& d, int attempt, std::string_view outcome, std::string detail);
  bool IdleLocked() const;

  store::Store& store_;
  const core::Clock* clock_;
  const NotifierOptions options_;
  AgentLookup lookup_;

  mutable std::mutex policy_mu_;  // guards policy_ and tracker_
  DeliveryPolicy policy_;
  IncidentTracker tracker_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // changes or jobs arrived, or stopping
  std::condition_variable idle_cv_;
  std::deque<Batch> inbox_;
  size_t inbox_changes_ = 0;
  size_t awaiting_openings_ = 0;  // tracker_.pending_openings() after the last dispatch
  bool dispatching_ = false;
  std::map<Key, RouteQueue> queues_;
  std::deque<TestJob> tests_;
  size_t pending_jobs_ = 0;
  bool started_ = false;
  bool stopping_ = false;
  bool dispatcher_done_ = false;  // the dispatcher has exited (workers may then stop)
  std::chrono::steady_clock::time_point stop_deadline_;
  std::thread dispatcher_;
  std::vector<std::thread> workers_;

  std::atomic<uint64_t> dropped_{0}, delivered_{0}, failed_{0}, retries_{0}, held_{0},
      abandoned_{0};
};

}  // namespace vitals::server
