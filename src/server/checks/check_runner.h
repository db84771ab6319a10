// CheckRunner: runs every registered check on its interval on the prober's event loop (one timer
// per check, no thread per check), keeps each check's latest state and recent results, and
// reports every result to a CheckSink.
//
// Life cycle, as the server uses it:
//   CheckRunner runner(clock, &sink);            // Put/Remove/List work from here on
//   runner.LoadFrom(store);                      // the checks saved as resources of kind "check"
//   server.Start(); prober = server.NewProbeClient(); runner.Start(*prober);
//   ...
//   runner.Stop(); prober->Stop(); server.Stop();
//
// Thread-safety: every method may be called from any thread, except Start/Stop (one controlling
// thread) and Stop not from a sink callback.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "server/checks/check_outcome.h"
#include "server/checks/check_sink.h"
#include "server/checks/check_spec.h"
#include "server/checks/check_tracker.h"
#include "server/http/probe_client.h"
#include "store/store.h"

namespace vitals::server {

class ProbeGate;

struct CheckRunnerOptions {
  size_t history_size = 20;           // results kept per check
  size_t max_body_bytes = 64 * 1024;  // of a response, for keywords and JSON conditions
  size_t max_checks = 10'000;         // over all organizations; beyond: ResourceExhausted
  // Checks come from tenants: unless the operator allows private targets, a probe connects only
  // when every address its host resolves to is public (else it fails, the reason in its detail).
  bool allow_private_targets = false;
};

// A check and its latest state.
struct CheckView {
  CheckSpec spec;
  CheckState state = CheckState::kPending;
  std::optional<core::Timestamp> last_checked;
  double latency_ms = 0;
  int status_code = 0;
  int consecutive_failures = 0;
  std::string last_error;             // "" when the last result was a success
  std::vector<CheckOutcome> history;  // oldest first; filled by Get() only
};

struct CheckLoadSummary {
  int loaded = 0;
  std::vector<std::string> errors;  // "org/id: reason" for each stored spec that is invalid
};

class CheckRunner final {
 public:
  // `clock` stamps results; `sink` may be null. Both must outlive the runner.
  CheckRunner(const core::Clock* clock, CheckSink* sink, CheckRunnerOptions options = {});
  ~CheckRunner();  // Stop()s
  CheckRunner(const CheckRunner&) = delete;
  CheckRunner& operator=(const CheckRunner&) = delete;

  // Starts probing on `prober` (which must outlive Stop()): every enabled check at once, then on
  // its interval. kFailedPrecondition when already started.
  core::Status Start(ProbeClient& prober);
  // No probe starts and no sink call runs once it returns. Idempotent; not restartable.
  void Stop();

  // Adds or replaces the check (organization_id, id); a replaced check starts over (pending)
  // and, once started, is probed at once. kInvalidArgument naming the field,
  // kResourceExhausted beyond max_checks. Non-blocking.
  core::Status Put(CheckSpec spec);
  // kNotFound when absent.
  core::Status Remove(std::string_view organization_id, std::string_view id);
  // The organization's checks ordered by id, without history.
  std::vector<CheckView> List(std::string_view organization_id) const;
  // kNotFound when absent.
  core::Result<CheckView> Get(std::string_view organization_id, std::string_view id) const;
  size_t size() const;

  // Puts every stored resource of kind "check". Blocks on the store's read; kIoError from it.
  core::Result<CheckLoadSummary> LoadFrom(store::Store& store);

  // The probe a check sends.
  static ProbeRequest ToProbeRequest(const CheckSpec& spec, size_t max_body_bytes);

 private:
  struct Entry;
  using Key = std::pair<std::string, std::string>;  // (organization_id, id)
  using SteadyClock = std::chrono::steady_clock;

  void Schedule(const std::shared_ptr<Entry>& entry, SteadyClock::duration delay);
  void RunDue(const std::shared_ptr<Entry>& entry);
  void OnResult(const std::shared_ptr<Entry>& entry, const ProbeResult& result);
  CheckView ViewOf(const Entry& entry, bool with_history) const;  // REQUIRES: mu_ held

  const core::Clock* clock_;
  CheckSink* sink_;
  const CheckRunnerOptions options_;
  // Completions hold it, not `this`, so one that fires after the runner is gone does nothing.
  std::shared_ptr<ProbeGate> gate_;
  mutable std::mutex mu_;
  std::map<Key, std::shared_ptr<Entry>> entries_;
  ProbeClient* prober_ = nullptr;  // set by Start
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace vitals::server
