#include "server/notify/notifier.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>

#include "server/notify/command_channel.h"
#include "server/notify/slack_channel.h"
#include "server/notify/webhook_channel.h"

namespace vitals::server {
namespace {

using SteadyClock = std::chrono::steady_clock;

core::Result<std::unique_ptr<Channel>> MakeChannel(const DeliveryRoute& r,
                                                   const NotifierOptions& o) {
  if (r.kind == ChannelKind::kCommand) {
    if (!o.allow_command_routes && !r.operator_defined) {
      return core::Status::PermissionDenied(
          "command routes are not allowed on this server (the operator allows them with "
          "--allow-command-routes)");
    }
    return std::unique_ptr<Channel>(std::make_unique<CommandChannel>(r.command, r.timeout));
  }
  auto target = HttpTarget::Parse(r.url);
  if (!target.ok()) return target.status();
  target->public_only = !o.allow_private_targets && !r.operator_defined;
  switch (r.kind) {
    case ChannelKind::kWebhook:
      return std::unique_ptr<Channel>(
          std::make_unique<WebhookChannel>(*target, r.secret, r.timeout));
    case ChannelKind::kSlack:
      return std::unique_ptr<Channel>(std::make_unique<SlackChannel>(*target, r.timeout));
    case ChannelKind::kAlertmanager:
      return std::unique_ptr<Channel>(
          std::make_unique<AlertmanagerChannel>(*target, r.timeout, o.alertmanager));
    case ChannelKind::kCommand:
      break;
  }
  return core::Status::FailedPrecondition("route has no usable target");
}

// Delivery threads write to command hooks' pipes: a hook that exits early must give EPIPE, not
// kill the process.
void BlockSigpipe() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace

void Notifier::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_) return;
  started_ = true;
  dispatcher_ = std::thread([this] { DispatchLoop(); });
  for (int i = 0; i < std::max(1, options_.delivery_threads); ++i) {
    workers_.emplace_back([this] { DeliveryLoop(); });
  }
}

void Notifier::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_ || stopping_) return;
    stopping_ = true;
    stop_deadline_ = SteadyClock::now() + options_.stop_wait;
  }
  work_cv_.notify_all();
  if (dispatcher_.joinable()) dispatcher_.join();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
  std::deque<TestJob> tests;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [key, q] : queues_) abandoned_ += q.jobs.size();
    queues_.clear();
    pending_jobs_ = 0;
    tests.swap(tests_);
    idle_cv_.notify_all();
  }
  for (TestJob& t : tests) t.done(core::Status::Unavailable("the notifier stopped"), "");
}

void Notifier::OnEvents(std::span<const engine::EngineEvent> events) {
  Batch batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const engine::EngineEvent& e : events) {
      if (e.kind != engine::EngineEventKind::kAlert || !e.alert) continue;
      if (stopping_ || inbox_changes_ >= options_.max_queue) {
        ++dropped_;
        continue;
      }
      batch.push_back(e.alert);
      ++inbox_changes_;
    }
    if (batch.empty()) return;
    inbox_.push_back(std::move(batch));
  }
  work_cv_.notify_all();
}

void Notifier::Enqueue(std::vector<Decision> decisions) {
  size_t added = 0;
  for (Decision& d : decisions) {
    if (d.action == DeliveryAction::kHold) {
      ++held_;
      Record(d, 1, "held", d.detail);
      continue;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (pending_jobs_ >= options_.max_queue) {
      ++dropped_;
      continue;
    }
    Key key{d.route.organization_id, d.route.id};
    queues_[key].jobs.push_back(Job{std::move(d), 1, SteadyClock::now()});
    ++pending_jobs_;
    ++added;
  }
  if (added > 0) work_cv_.notify_all();
}

std::map<Notifier::Key, Notifier::RouteQueue>::iterator Notifier::NextReady(
    SteadyClock::time_point* next) {
  const auto now = SteadyClock::now();
  for (auto it = queues_.begin(); it != queues_.end(); ++it) {
    if (it->second.busy || it->second.jobs.empty()) continue;
    const auto due = it->second.jobs.front().due;
    if (due <= now) return it;
    *next = std::min(*next, due);
  }
  return queues_.end();
}

void Notifier::DeliveryLoop() {
  BlockSigpipe();
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    // The dispatcher's last act is to send the openings still in their grouping window.
    if (stopping_ && dispatcher_done_ &&
        (pending_jobs_ == 0 || SteadyClock::now() >= stop_deadline_)) {
      break;
    }
    if (!tests_.empty()) {
      RunTest(lock);
      continue;
    }
    auto next = SteadyClock::now() + std::chrono::seconds(1);
    if (stopping_) next = std::min(next, stop_deadline_);
    auto it = NextReady(&next);
    if (it == queues_.end()) {
      work_cv_.wait_until(lock, next);
      continue;
    }
    RouteQueue& queue = it->second;
    queue.busy = true;
    Job job = queue.jobs.front();
    lock.unlock();
    const bool finished = Attempt(job);
    lock.lock();
    queue.busy = false;
    if (finished) {
      queue.jobs.pop_front();
      --pending_jobs_;
    } else {
      queue.jobs.front() = std::move(job);
    }
    work_cv_.notify_all();
    idle_cv_.notify_all();
  }
}

core::Status Notifier::Deliver(const Decision& d, std::string* detail) {
  auto channel = MakeChannel(d.route, options_);
  if (!channel.ok()) return channel.status();
  return (*channel)->Deliver(Payload{d.route.organization_id, d.route.id, d.change, d.incident,
                                     clock_->Now(), d.idempotency_key, d.superseded},
                             detail);
}

bool Notifier::Attempt(Job& job) {
  const Decision& d = job.decision;
  std::string detail;
  const core::Status status = Deliver(d, &detail);
  if (status.ok()) {
    ++delivered_;
    if (d.change != "refresh") Record(d, job.attempt, "delivered", detail);
    return true;
  }
  const bool retry =
      status.code() == core::StatusCode::kUnavailable && job.attempt < d.route.max_attempts;
  Record(d, job.attempt, retry ? "retrying" : "failed", status.message());
  if (!retry) {
    ++failed_;
    return true;
  }
  auto backoff = options_.initial_backoff;
  for (int i = 1; i < job.attempt && backoff < options_.max_backoff; ++i) backoff *= 2;
  job.due = SteadyClock::now() + std::min(backoff, options_.max_backoff);
  ++job.attempt;
  ++retries_;
  return false;
}

void Notifier::Record(const Decision& d, int attempt, std::string_view outcome,
                      std::string detail) {
  store::DeliveryRecord r;
  r.organization_id = d.route.organization_id;
  // The log's alert_id column names the incident ("incident_<n>"): deliveries are per incident.
  r.alert_id = d.incident.id;
  r.route_id = d.route.id;
  r.change = d.change;
  r.attempt = attempt;
  r.outcome = std::string(outcome);
  r.detail = std::move(detail);
  r.at = clock_->Now();
  (void)store_.RecordDelivery(r);  // a failed log write is the store's to count and log
}

bool Notifier::IdleLocked() const {
  return inbox_.empty() && !dispatching_ && pending_jobs_ == 0 && awaiting_openings_ == 0;
}

bool Notifier::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [this] { return IdleLocked(); });
}

NotifierStats Notifier::stats() const {
  NotifierStats s;
  s.changes_dropped = dropped_;
  s.delivered = delivered_;
  s.failed = failed_;
  s.retries = retries_;
  s.held = held_;
  s.abandoned = abandoned_;
  std::lock_guard<std::mutex> lock(mu_);
  s.pending = pending_jobs_;
  return s;
}

}  // namespace vitals::server
