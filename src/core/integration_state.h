// IntegrationState: what the monitor knows about one integration (seed 001: Slack, Gmail, ...),
// fed by the executions that name it and by active-check results, and the rule that judges it.
//
// Status rule (IntegrationPolicy's thresholds), over the rolling window (calls and check results):
//   error     when any active check's latest result is down, or the window holds at least
//             min_calls samples and their error rate is >= error_error_rate (50%);
//   degraded  when (with min_calls samples) the error rate is >= degraded_error_rate (10%), or
//             the average latency is above latency_threshold_ms;
//   healthy   otherwise (also with no data: nothing says otherwise).
// connection_status: from checks when there are any (all up: connected, any down:
// disconnected); else from traffic in the window (any success: connected, only failures:
// disconnected, none: unknown).
//
// Not thread-safe: the engine serialises access.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert_slot.h"
#include "core/rolling_window.h"
#include "core/score_trend.h"
#include "core/sliding_sketch.h"
#include "core/status.h"
#include "core/time.h"

namespace vitals::core {

enum class IntegrationStatus { kHealthy, kDegraded, kError };
enum class ConnectionStatus { kConnected, kDisconnected, kUnknown };
std::string_view IntegrationStatusName(IntegrationStatus s);  // "healthy", "degraded", "error"
std::string_view ConnectionStatusName(
    ConnectionStatus s);  // "connected", "disconnected", "unknown"

struct IntegrationPolicy {
  double latency_threshold_ms = 5000;  // seed 001's ALERT_LATENCY_THRESHOLD
  double degraded_error_rate = 0.10;
  double error_error_rate = 0.50;
  int64_t min_calls = 3;  // samples in the window before the error rate judges anything
  Duration window = std::chrono::minutes(5);
  int window_buckets = 30;
  size_t max_calling_agents = 32;  // agents remembered as callers, per integration
  size_t max_checks = 32;          // active checks remembered, per integration

  Status Validate() const;
};

struct IntegrationCheckView {
  std::string check_id;
  bool up = true;
  double latency_ms = 0;
  std::string detail;
  Timestamp at;
};

// A full copy for readers: seed 001's integration fields and what the engine adds.
struct IntegrationView {
  std::string organization_id;
  std::string integration_id;
  std::string name;  // the id unless a name was given
  IntegrationStatus status = IntegrationStatus::kHealthy;
  ConnectionStatus connection_status = ConnectionStatus::kUnknown;
  std::optional<double> latency_ms;  // average over the window
  std::optional<double> latency_p95_ms;
  std::optional<double> error_rate;  // 0..1 over the window
  HealthTrend health_trend = HealthTrend::kStable;
  std::optional<Timestamp> last_used;
  uint64_t total_calls = 0;
  uint64_t total_errors = 0;
  int64_t window_samples = 0;
  std::vector<std::string> dependent_agents;  // agents that declared it (depends_on), sorted
  std::vector<std::string> calling_agents;    // agents seen calling it (bounded), sorted
  std::vector<IntegrationCheckView> checks;
  std::vector<std::string> issues;
};

// The alert conditions one evaluation yields; nullopt before the integration has any evidence
// (its slots are then left alone, e.g. an alert restored after a restart).
struct IntegrationEvaluation {
  IntegrationStatus status = IntegrationStatus::kHealthy;
  std::optional<AlertCondition> latency;  // "integration_latency", warning
  std::optional<AlertCondition> down;     // "integration_down", critical
};

class IntegrationState {
 public:
  IntegrationState(std::string organization_id, std::string integration_id,
                   const IntegrationPolicy& policy);

  const std::string& organization_id() const { return organization_id_; }
  const std::string& integration_id() const { return integration_id_; }
  void SetName(std::string name) { name_ = std::move(name); }

  // One execution that used the integration. Future times count as `now`. `log_id`: the store's
  // id of the execution (0 when unknown), kept for replays after a checkpoint (Counted).
  void RecordCall(Timestamp t, double latency_ms, bool success, std::string_view agent_id,
                  Timestamp now, int64_t log_id = 0);
  // The latest result of an active check; it counts in the window as a sample too. A `pending`
  // result (a failure the check has not yet confirmed) keeps the check's last verdict, up for a
  // check never seen: after a restart a check that was down stays down until it has a verdict.
  void RecordCheck(std::string_view check_id, bool up, double latency_ms, std::string_view detail,
                   Timestamp at, Timestamp now, bool pending = false);
  void SetDependent(std::string_view agent_id, bool depends);
  bool has_dependents() const { return !dependents_.empty(); }

  IntegrationEvaluation Evaluate(Timestamp now, const IntegrationPolicy& policy,
                                 Duration trend_spacing);
  // Advances the window to `now` (hence non-const).
  IntegrationView View(Timestamp now, const IntegrationPolicy& policy);
  IntegrationStatus last_status() const { return last_status_; }
  // The largest store id among the calls counted (0 when none had one).
  int64_t last_log_id() const { return last_log_id_; }
  // Whether a replayed execution is already in this state (its checkpoint).
  bool Counted(int64_t log_id) const { return log_id > 0 && log_id <= last_log_id_; }

  // A checkpoint of what a restart must keep (integration_state_checkpoint.cc): the window,
  // sketch, totals, callers, active checks' latest results and trend. Dependents are not in it
  // (they come back with the agents' settings).
  std::string EncodeCheckpoint() const;
  // Restores a checkpoint; a corrupt or unknown blob leaves the state untouched.
  Status RestoreCheckpoint(std::string_view blob);

 private:
  struct Judgement {
    IntegrationStatus status = IntegrationStatus::kHealthy;
    ConnectionStatus connection = ConnectionStatus::kUnknown;
    double score = 100;
    std::vector<std::string> issues;
  };
  Judgement Judge(const WindowStats& w, const IntegrationPolicy& policy) const;
  bool has_evidence() const { return total_calls_ > 0 || !checks_.empty(); }

  std::string organization_id_;
  std::string integration_id_;
  std::string name_;
  RollingWindow window_;
  SlidingSketch latency_;
  size_t max_callers_;
  size_t max_checks_;
  uint64_t total_calls_ = 0;
  uint64_t total_errors_ = 0;
  int64_t last_log_id_ = 0;
  std::optional<Timestamp> last_used_;
  std::map<std::string, IntegrationCheckView, std::less<>> checks_;
  std::set<std::string, std::less<>> dependents_;
  std::set<std::string, std::less<>> callers_;
  ScoreTrend trend_;
  IntegrationStatus last_status_ = IntegrationStatus::kHealthy;
};

}  // namespace vitals::core
