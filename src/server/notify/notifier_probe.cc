// Notifier: test notifications (`vitals routes test ID`, see notifier.h).
#include <chrono>

#include "server/notify/notifier.h"

namespace vitals::server {

core::Status Notifier::SendTest(const std::string& organization_id, const std::string& id,
                                TestDone done) {
  std::optional<DeliveryRoute> route;
  {
    std::lock_guard<std::mutex> lock(policy_mu_);
    for (DeliveryRoute& r : policy_.Routes(organization_id)) {
      if (r.id == id) route = std::move(r);
    }
  }
  if (!route) return core::Status::NotFound("route " + id + " does not exist");
  const core::Timestamp now = clock_->Now();
  const std::string n = std::to_string(core::ToMicros(now) / 1000);
  Decision d;
  d.route = std::move(*route);
  d.change = "test";
  d.incident.id = "test_" + n;
  d.incident.organization_id = organization_id;
  d.incident.source_type = core::AlertSource::kSystem;
  d.incident.source_id = "vitals";
  d.incident.severity = core::AlertSeverity::kInfo;
  d.incident.cause = "test";
  d.incident.title = "vitals test notification (route " + id + ")";
  d.incident.opened_at = now;
  core::Alert a;  // channels name the incident's worst alert: one like it
  a.id = d.incident.id;
  a.organization_id = organization_id;
  a.severity = core::AlertSeverity::kInfo;
  a.source_type = core::AlertSource::kSystem;
  a.source_id = "vitals";
  a.type = "test";
  a.message = d.incident.title;
  a.raised_at = a.updated_at = now;
  d.incident.alerts.push_back(std::move(a));
  d.idempotency_key = d.incident.id + ":test:" + id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_ || stopping_) return core::Status::Unavailable("the notifier is not running");
    tests_.push_back(TestJob{std::move(d), std::move(done)});
  }
  work_cv_.notify_all();
  return core::Status::Ok();
}

void Notifier::RunTest(std::unique_lock<std::mutex>& lock) {
  TestJob job = std::move(tests_.front());
  tests_.pop_front();
  lock.unlock();
  std::string detail;
  core::Status status = Deliver(job.decision, &detail);
  Record(job.decision, 1, status.ok() ? "delivered" : "failed",
         status.ok() ? detail : status.message());
  job.done(std::move(status), std::move(detail));
  lock.lock();
}

}  // namespace vitals::server
