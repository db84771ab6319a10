// AlertSlot: the alert lifecycle of one (source, type) pair.
//
// Fed one evaluation at a time, it raises an alert once when the condition starts to hold, keeps
// it (escalating or updating severity) while it holds, and resolves it when it clears. A new
// alert for the same pair within `cooldown` of the last notification is recorded but not
// notified. Flapping (FlapDetector) keeps the alert open and silent until it settles; its start
// and end are notified once each, as Nagios does.
//
// Not thread-safe: the owner serialises access.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/alert.h"
#include "core/flap_detector.h"

namespace vitals::core {

struct AlertPolicy {
  Duration cooldown = std::chrono::seconds(300);  // seed 003's alert cooldown
  FlapThresholds flap;
  bool flap_detection = true;
  bool operator==(const AlertPolicy&) const = default;
};

// What one evaluation says about the condition.
struct AlertCondition {
  bool active = false;
  AlertSeverity severity = AlertSeverity::kWarning;
  std::string message;
  std::string metadata_json = "{}";
};

// Who an alert raised by this slot belongs to (views: copied only when an alert is raised).
struct AlertIdentity {
  std::string_view organization_id;
  AlertSource source_type = AlertSource::kAgent;
  std::string_view source_id;
  std::string_view type;
};

class AlertSlot {
 public:
  using IdFactory = std::function<std::string()>;

  std::optional<AlertChange> Evaluate(const AlertCondition& condition, const AlertIdentity& who,
                                      Timestamp now, const AlertPolicy& policy,
                                      const IdFactory& next_id);
  // Acknowledges the open alert. Returns nullopt when none is open or it was already acknowledged.
  std::optional<AlertChange> Acknowledge(std::string by, Timestamp now);

  // The open alert, or nullptr.
  const Alert* open_alert() const { return open_.get(); }
  bool flapping() const { return flap_.flapping(); }
  // Open, and active at every remembered evaluation: another active evaluation at the alert's
  // severity with its message would change nothing.
  bool SteadilyOpen() const { return open_ && flap_.QuietlyActive(); }
  double flap_percent() const { return flap_.percent_change(); }
  // Re-opens an alert loaded from storage after a restart (no change is emitted).
  void Restore(Alert alert);

  void Encode(BinaryWriter& w) const;
  bool Decode(BinaryReader& r);

 private:
  std::optional<AlertChange> Raise(const AlertCondition& c, const AlertIdentity& who, Timestamp now,
                                   const AlertPolicy& policy, const IdFactory& next_id,
                                   bool flapping);
  AlertChange Resolve(Timestamp now);
  AlertChange Change(AlertChangeKind kind, bool notify, std::string reason, Timestamp now);

  FlapDetector flap_;
  std::unique_ptr<Alert> open_;  // a pointer keeps an alert-free slot small
  // For this pair, across alerts (cooldown); microseconds, kNever when never notified (8 bytes
  // where an optional takes 16: every agent holds kAgentAlertTypeCount slots).
  static constexpr int64_t kNever = INT64_MIN;
  int64_t last_notified_us_ = kNever;
};

}  // namespace vitals::core
