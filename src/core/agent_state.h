// AgentState: everything the monitor knows about one agent, and the rules that judge it.
//
// Ingest (RecordExecution, StartExecution, RecordHeartbeat) only updates counters and marks
// nothing; Evaluate() turns the current data into a health verdict (seed 000's calculator, capped
// by heartbeat liveness and stuck executions), detects the transition from the previous verdict,
// and runs the agent's alert slots. The engine decides when to evaluate.
//
// Memory is fixed per agent: windows and sketches are bounded by configuration and released
// when empty, in-flight executions are capped, heartbeat history is bounded.
//
// Not thread-safe: the engine holds the agent's shard lock around every call.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/agent_settings.h"
#include "core/agent_view.h"
#include "core/alert_slot.h"
#include "core/execution_event.h"
#include "core/health_calculator.h"
#include "core/health_status.h"
#include "core/heartbeat_tracker.h"
#include "core/in_flight_executions.h"
#include "core/log_position.h"
#include "core/pending_executions.h"
#include "core/rolling_window.h"
#include "core/score_trend.h"
#include "core/sliding_sketch.h"

namespace vitals::core {

// One finished execution, as the engine feeds it (views into the caller's event).
struct ExecutionSample {
  Timestamp timestamp;
  double latency_ms = 0;
  double cost_usd = 0;
  int64_t tokens = 0;
  bool success = true;
  std::string_view execution_id;
  std::string_view error_message;
  int64_t log_id = 0;  // the store's id of this execution, 0 when not stored
  // Every store id at or below it is counted once this sample is (see LogPosition).
  int64_t log_floor = 0;

  // Views into `event`, which must outlive the sample.
  static ExecutionSample Of(const ExecutionEvent& event, int64_t log_id = 0);
};

// The alert types an agent can raise (one AlertSlot each). Appended only: checkpoints store the
// slots in this order.
enum class AgentAlertType {
  kHealth,
  kHeartbeat,
  kStuckExecution,
  kSloBurn,
  kErrorRate,      // seed 001: the hour's error rate above the threshold
  kLowConfidence,  // seed 001: confidence below the threshold
  kFailures,       // seed 001: more than N failures in the last hour
  kCheckFailed,    // an active check of the agent is down
};
inline constexpr int kAgentAlertTypeCount = 8;
// "health", "heartbeat", "stuck_execution", "slo_burn", "error_rate", "low_confidence",
// "failures", "check_failed".
std::string_view AgentAlertTypeName(AgentAlertType type);
std::optional<AgentAlertType> ParseAgentAlertType(std::string_view name);

struct AgentEvaluation {
  HealthSnapshot health;
  std::optional<HealthStatus> previous_status;  // nullopt on the agent's first evaluation
  std::optional<TransitionKind> transition;
  std::vector<AlertChange> alert_changes;
  std::optional<Timestamp> next_deadline;  // when time alone may change the verdict
};

class AgentState {
 public:
  AgentState(std::string organization_id, std::string agent_id,
             std::shared_ptr<const AgentSettings> settings, const WindowConfig& windows,
             Timestamp created_at, Duration pause_total);

  const std::string& organization_id() const { return organization_id_; }
  const std::string& agent_id() const { return agent_id_; }
  const AgentSettings& settings() const { return *settings_; }
  const std::shared_ptr<const AgentSettings>& shared_settings() const { return settings_; }
  Timestamp created_at() const { return created_at_; }

  // Replaces the settings; starts, reconfigures or stops heartbeat monitoring to match.
  void SetSettings(std::shared_ptr<const AgentSettings> settings, Timestamp now,
                   Duration pause_total);

  // Counts a finished execution. Future timestamps (already bounded by validation) count as `now`;
  // ones older than a window are left out of it. Out-of-order events count in the windows but do
  // not move the consecutive-failure streak, which follows event time.
  void RecordExecution(const ExecutionSample& sample, Timestamp now);
  // Marks an execution as started (two-part reporting); ResourceExhausted past the in-flight cap.
  Status StartExecution(std::string_view execution_id, std::string_view action,
                        Timestamp started_at, int max_in_flight);
  // Records a heartbeat; an agent not yet monitored starts with `default_config`.
  void RecordHeartbeat(Timestamp received_at, Timestamp reported_at, std::string metadata_json,
                       Duration pause_total, const HeartbeatConfig& default_config);

  // The latest result of an active check (after the check runner's retries): a down check caps
  // the score at critical and raises "check_failed" until the same check reports up. At most
  // kMaxFailingChecks distinct checks are tracked as failing; more are ignored.
  void RecordCheckResult(std::string_view check_id, bool up, std::string_view detail);
  static constexpr size_t kMaxFailingChecks = 32;
  size_t failing_check_count() const { return failing_checks_.size(); }

  // Hints the CPU to fetch the fields every ingested event touches: the key, the streak and the
  // pending sums (no loads: safe on memory not yet cached).
  void PrefetchHot() const {
    const char* p = reinterpret_cast<const char*>(this);
    const char* end = reinterpret_cast<const char*>(pending_.bins_begin());
    for (; p < end; p += 64) __builtin_prefetch(p, 1);
  }
  // Hints the CPU to fetch the pending bin slot the next event writes. Reads the pending count:
  // call once PrefetchHot() has had time to land.
  void PrefetchNextBin() const { pending_.PrefetchNextBin(); }
  // RecordExecution with the latency bin (SlidingSketch::BinOf) already computed.
  void RecordExecution(const ExecutionSample& sample, int32_t latency_bin, Timestamp now);

  // For a sweep over many agents: stage 0 hints the CPU to fetch this object (no loads); stage 1,
  // once that has landed, what it points to that Evaluate reads.
  void PrefetchForEvaluate(int stage) const;

  AgentEvaluation Evaluate(Timestamp now, Duration pause_total, const EvaluationPolicy& policy,
                           const AlertSlot::IdFactory& next_id);

  // A full copy for readers. Advances the windows to `now` (hence non-const).
  AgentView View(Timestamp now, Duration pause_total, const EvaluationPolicy& policy);

  // The last evaluated status; nullopt before the first evaluation.
  std::optional<HealthStatus> last_status() const { return last_status_; }
  const HealthSnapshot& last_health() const { return last_health_; }
  HealthTrend Trend() const { return trend_.Trend(); }
  // The largest store id among the executions counted.
  int64_t last_log_id() const { return log_.last(); }
  // Exactly which store ids are counted (a replay or a redelivery skips those).
  const LogPosition& log_position() const { return log_; }
  void RaiseLogFloor(int64_t floor) { log_.RaiseFloor(floor); }
  std::optional<Timestamp> last_active() const { return Opt(last_active_us_); }
  size_t in_flight_count() const { return in_flight_.size(); }
  ActivityStatus Activity() const;
  const HeartbeatTracker* heartbeat() const { return heartbeat_.get(); }
  const AlertSlot& alert_slot(AgentAlertType t) const { return alerts_[static_cast<int>(t)]; }
  AlertSlot& mutable_alert_slot(AgentAlertType t) { return alerts_[static_cast<int>(t)]; }

  // A checkpoint of everything a restart must not lose: windows, sketches, streak, in-flight
  // runs, heartbeat timing and history, trend, last verdict, alert slots. Flushes pending
  // executions first (hence non-const).
  std::string EncodeCheckpoint();
  // Restores a checkpoint. `downtime` is how long the monitor was away: heartbeat silence during
  // it is not held against the agent. `default_heartbeat` configures a heartbeat tracker for an
  // agent that has heartbeats but no registered heartbeat settings. InvalidArgument when the
  // blob is corrupt or of an unknown version; the state is then unchanged.
  Status RestoreCheckpoint(std::string_view blob, Duration downtime, Duration pause_total,
                           const HeartbeatConfig& default_heartbeat);
  // Records that a heartbeat newer than the checkpoint arrived before the restart.
  void RestoreLastHeartbeat(Timestamp received_at, Duration downtime, Duration pause_total,
                            const HeartbeatConfig& default_heartbeat);

  // Bytes held by this agent's state.
  size_t MemoryUsage() const;

 private:
  // Flushes pending executions and moves every window to `now`; every read starts here.
  void AdvanceTo(Timestamp now);
  Duration StuckDeadline(const StuckPolicy& policy) const;
  // Caps the verdict by heartbeat liveness and stuck executions (deadline: nullopt = none in
  // flight).
  void ApplyLiveness(HealthSnapshot& h, Timestamp now, Duration pause_total,
                     std::optional<Duration> stuck_deadline) const;
  void EvaluateAlerts(const HealthSnapshot& h, Timestamp now, Duration pause_total,
                      std::optional<Duration> stuck_deadline, const EvaluationPolicy& policy,
                      const AlertSlot::IdFactory& next_id, std::vector<AlertChange>& out);
  const std::string& DisplayName() const;
  // Seed 001's rules: error_rate, low_confidence, failures.
  void EvaluateSeedRules(const AgentAlertRules& rules, Timestamp now,
                         const EvaluationPolicy& policy, const AlertSlot::IdFactory& next_id,
                         std::vector<AlertChange>& out);
  // Resolves every open alert (a normal resolution each) while the agent is paused.
  void ResolveAlertsOfPause(Timestamp now, const EvaluationPolicy& policy,
                            const AlertSlot::IdFactory& next_id, std::vector<AlertChange>& out);
  std::optional<AlertChange> RunSlot(AgentAlertType type, const AlertCondition& c, Timestamp now,
                                     const EvaluationPolicy& policy,
                                     const AlertSlot::IdFactory& next_id);

  // Members are ordered by use: what every ingested event touches comes first (up to
  // short_window_), so it shares as few cache lines as possible.
  std::string organization_id_;
  std::string agent_id_;
  int consecutive_failures_ = 0;
  bool last_failed_ = false;
  uint64_t operations_completed_ = 0;
  // Times in microseconds, kNever when unset: 8 bytes each instead of an optional's 16 keeps the
  // hot prefix small.
  static constexpr int64_t kNever = INT64_MIN;
  static std::optional<Timestamp> Opt(int64_t us) {
    return us == kNever ? std::nullopt : std::optional<Timestamp>(FromMicros(us));
  }
  int64_t last_event_us_ = kNever;  // newest event time seen (orders the streak)
  int64_t last_success_us_ = kNever;
  int64_t last_active_us_ = kNever;
  InFlightExecutions in_flight_;
  PendingExecutions
      pending_;  // last of the hot prefix: its bin array is touched one slot at a time
  RollingWindow short_window_;
  RollingWindow long_window_;
  SlidingSketch short_latency_;
  SlidingSketch long_latency_;

  std::shared_ptr<const AgentSettings> settings_;
  Timestamp created_at_;
  std::string last_error_;
  LogPosition log_;
  std::unique_ptr<HeartbeatTracker> heartbeat_;
  // When a heartbeat expectation was last removed (kNever: never): heartbeats stored before it
  // must not bring the tracker back at a restore (RestoreLastHeartbeat).
  int64_t heartbeat_removed_us_ = kNever;
  ScoreTrend trend_;
  std::optional<HealthStatus> last_status_;
  HealthSnapshot last_health_;
  std::array<AlertSlot, kAgentAlertTypeCount> alerts_;
  struct FailingCheck {
    std::string check_id;
    std::string detail;
  };
  std::vector<FailingCheck> failing_checks_;  // active checks whose latest result is down
  // Per seed 001 rule (error_rate, low_confidence, failures): the value its open alert's message
  // was built from (EvaluateSeedRules). Not checkpointed: kNoMemo rebuilds the message once.
  static constexpr int32_t kNoMemo = INT32_MIN;
  std::array<int32_t, 3> rule_memo_{kNoMemo, kNoMemo, kNoMemo};
};

}  // namespace vitals::core
