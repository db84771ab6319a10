#include "server/checks/check_runner.h"

#include "core/execution_event.h"
#include "server/checks/check_evaluator.h"
#include "server/checks/check_spec_json.h"
#include "server/http/probe_gate.h"

namespace vitals::server {

using core::Status;

struct CheckRunner::Entry {
  Entry(CheckSpec s, size_t history) : spec(std::move(s)), tracker(history) {}

  const CheckSpec spec;
  // Guarded by the runner's mu_:
  CheckTracker tracker;
  bool removed = false;    // replaced or removed: its timers and probes end quietly
  bool in_flight = false;  // a probe is out; a due run meanwhile is skipped
  SteadyClock::time_point next_due;
};

CheckRunner::CheckRunner(const core::Clock* clock, CheckSink* sink, CheckRunnerOptions options)
    : clock_(clock), sink_(sink), options_(options), gate_(std::make_shared<ProbeGate>()) {}

CheckRunner::~CheckRunner() { Stop(); }

Status CheckRunner::Start(ProbeClient& prober) {
  std::vector<std::shared_ptr<Entry>> due;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_) return Status::FailedPrecondition("check runner already started");
    started_ = true;
    prober_ = &prober;
    const auto now = SteadyClock::now();
    for (auto& [key, entry] : entries_) {
      if (!entry->spec.enabled) continue;
      entry->next_due = now;
      due.push_back(entry);
    }
  }
  for (const auto& entry : due) Schedule(entry, SteadyClock::duration::zero());
  return Status::Ok();
}

void CheckRunner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
  }
  gate_->Close();
}

Status CheckRunner::Put(CheckSpec spec) {
  if (Status s = core::ValidateId("organization_id", spec.organization_id, 128); !s.ok()) {
    return s;
  }
  if (Status s = spec.Validate(); !s.ok()) return s;
  auto entry = std::make_shared<Entry>(std::move(spec), options_.history_size);
  bool schedule = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Key key(entry->spec.organization_id, entry->spec.id);
    auto it = entries_.find(key);
    if (it == entries_.end() && entries_.size() >= options_.max_checks) {
      return Status::ResourceExhausted("checks: at most " + std::to_string(options_.max_checks));
    }
    if (it != entries_.end()) it->second->removed = true;
    entry->next_due = SteadyClock::now();
    schedule = started_ && !stopped_ && entry->spec.enabled;
    entries_[std::move(key)] = entry;
  }
  if (schedule) Schedule(entry, SteadyClock::duration::zero());
  return Status::Ok();
}

Status CheckRunner::Remove(std::string_view organization_id, std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(Key(organization_id, id));
  if (it == entries_.end()) return Status::NotFound("check " + std::string(id) + " not found");
  it->second->removed = true;
  entries_.erase(it);
  return Status::Ok();
}

CheckView CheckRunner::ViewOf(const Entry& e, bool with_history) const {
  CheckView v;
  v.spec = e.spec;
  v.state = e.tracker.state();
  v.consecutive_failures = e.tracker.consecutive_failures();
  v.last_error = e.tracker.last_error();
  if (const auto& last = e.tracker.last()) {
    v.last_checked = last->at;
    v.latency_ms = last->latency_ms;
    v.status_code = last->status_code;
  }
  if (with_history) v.history.assign(e.tracker.history().begin(), e.tracker.history().end());
  return v;
}

std::vector<CheckView> CheckRunner::List(std::string_view organization_id) const {
  std::vector<CheckView> out;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = entries_.lower_bound(Key(organization_id, ""));
       it != entries_.end() && it->first.first == organization_id; ++it) {
    out.push_back(ViewOf(*it->second, false));
  }
  return out;
}

core::Result<CheckView> CheckRunner::Get(std::string_view organization_id,
                                         std::string_view id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(Key(organization_id, id));
  if (it == entries_.end()) return Status::NotFound("check " + std::string(id) + " not found");
  return ViewOf(*it->second, true);
}

size_t CheckRunner::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

core::Result<CheckLoadSummary> CheckRunner::LoadFrom(store::Store& store) {
  auto records = store.ListResources("check");
  if (!records.ok()) return records.status();
  CheckLoadSummary summary;
  for (const store::ResourceRecord& r : *records) {
    auto spec = ParseCheckSpec(r.spec_json, r.organization_id);
    Status s = spec.ok() ? Status::Ok() : spec.status();
    if (s.ok()) {
      spec->id = r.id;
      s = Put(std::move(*spec));
    }
    if (s.ok()) {
      ++summary.loaded;
    } else {
      summary.errors.push_back(r.organization_id + "/" + r.id + ": " + s.message());
    }
  }
  return summary;
}

ProbeRequest CheckRunner::ToProbeRequest(const CheckSpec& spec, size_t max_body_bytes) {
  ProbeRequest r;
  r.kind = spec.kind == CheckKind::kHttp ? ProbeKind::kHttp : ProbeKind::kTcp;
  if (auto address = ParseCheckAddress(spec.kind, spec.url); address.ok()) {
    r.host = std::move(address->host);
    r.port = address->port;
    r.target = std::move(address->target);
  }
  r.method = spec.method;
  r.headers = spec.headers;
  r.body = spec.body;
  r.timeout = spec.timeout;
  r.max_body_bytes = max_body_bytes;
  return r;
}

void CheckRunner::Schedule(const std::shared_ptr<Entry>& entry, SteadyClock::duration delay) {
  prober_->RunAfter(std::chrono::ceil<std::chrono::milliseconds>(delay),
                    [this, gate = gate_, weak = std::weak_ptr<Entry>(entry)] {
                      if (!gate->Enter()) return;
                      if (auto e = weak.lock()) RunDue(e);
                      gate->Leave();
                    });
}

void CheckRunner::RunDue(const std::shared_ptr<Entry>& entry) {
  bool probe = false;
  SteadyClock::duration delay;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (entry->removed || stopped_) return;
    // Fixed rate: the next run is an interval after this one was due, not after it finished.
    const auto now = SteadyClock::now();
    entry->next_due += entry->spec.interval;
    if (entry->next_due < now) entry->next_due = now + entry->spec.interval;  // fell behind
    delay = entry->next_due - now;
    probe = !entry->in_flight;
    entry->in_flight = true;
  }
  Schedule(entry, delay);
  if (!probe) return;
  ProbeRequest request = ToProbeRequest(entry->spec, options_.max_body_bytes);
  request.public_only = !options_.allow_private_targets;
  prober_->Probe(std::move(request), [this, gate = gate_, entry](ProbeResult result) {
    if (!gate->Enter()) return;
    OnResult(entry, result);
    gate->Leave();
  });
}

void CheckRunner::OnResult(const std::shared_ptr<Entry>& entry, const ProbeResult& result) {
  const CheckVerdict verdict = CheckEvaluator::Evaluate(entry->spec, result);
  CheckOutcome outcome;
  outcome.at = clock_->Now();
  outcome.success = verdict.success;
  outcome.latency_ms = result.latency_ms;
  outcome.status_code = result.status_code;
  outcome.detail = verdict.reason;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (entry->removed) return;
    outcome = entry->tracker.Record(std::move(outcome), entry->spec.retries);
  }
  // Outside the lock; in_flight stays set until the sink returned, so calls for one check never
  // overlap.
  if (sink_ != nullptr) sink_->OnCheckResult(entry->spec, outcome);
  std::lock_guard<std::mutex> lock(mu_);
  entry->in_flight = false;
}

}  // namespace vitals::server
