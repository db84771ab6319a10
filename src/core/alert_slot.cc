#include "core/alert_slot.h"

namespace vitals::core {

AlertChange AlertSlot::Change(AlertChangeKind kind, bool notify, std::string reason,
                              Timestamp now) {
  if (notify) {
    open_->last_notified_at = now;
    last_notified_us_ = ToMicros(now);
  }
  return AlertChange{kind, *open_, notify, notify ? std::string() : std::move(reason)};
}

std::optional<AlertChange> AlertSlot::Raise(const AlertCondition& c, const AlertIdentity& who,
                                            Timestamp now, const AlertPolicy& policy,
                                            const IdFactory& next_id, bool flapping) {
  Alert a;
  a.id = next_id();
  a.organization_id.assign(who.organization_id);
  a.severity = c.severity;
  a.source_type = who.source_type;
  a.source_id.assign(who.source_id);
  a.type.assign(who.type);
  a.message = c.message;
  a.metadata_json = c.metadata_json;
  a.raised_at = now;
  a.updated_at = now;
  a.flapping = flapping;
  open_ = std::make_unique<Alert>(std::move(a));
  if (flapping) return Change(AlertChangeKind::kRaised, false, "flapping", now);
  const bool cooling =
      last_notified_us_ != kNever && now - FromMicros(last_notified_us_) < policy.cooldown;
  return Change(AlertChangeKind::kRaised, !cooling, "cooldown", now);
}

AlertChange AlertSlot::Resolve(Timestamp now) {
  open_->resolved_at = now;
  open_->updated_at = now;
  open_->flapping = false;
  const bool was_notified = open_->last_notified_at.has_value();
  AlertChange change =
      Change(AlertChangeKind::kResolved, was_notified, "raise was not notified", now);
  open_.reset();
  return change;
}

std::optional<AlertChange> AlertSlot::Evaluate(const AlertCondition& c, const AlertIdentity& who,
                                               Timestamp now, const AlertPolicy& policy,
                                               const IdFactory& next_id) {
  // Most slots of most agents hold nothing and have held nothing for a while: recording one more
  // inactive evaluation would change nothing, so skip it (sweeps evaluate every slot).
  if (!c.active && !open_ && flap_.QuietlyInactive()) return std::nullopt;
  const bool was_flapping = flap_.flapping();
  const bool flapping = policy.flap_detection && flap_.Record(c.active, policy.flap);

  if (flapping) {
    if (!open_) {
      if (!c.active) return std::nullopt;
      return Raise(c, who, now, policy, next_id, true);
    }
    if (c.active) {
      open_->severity = c.severity;
      open_->message = c.message;
    }
    if (was_flapping) return std::nullopt;
    open_->flapping = true;
    open_->updated_at = now;
    return Change(AlertChangeKind::kFlappingStarted, true, "", now);
  }

  if (!open_) {
    if (!c.active) return std::nullopt;
    return Raise(c, who, now, policy, next_id, false);
  }
  if (!c.active) return Resolve(now);
  if (was_flapping) {
    open_->flapping = false;
    open_->severity = c.severity;
    open_->message = c.message;
    open_->updated_at = now;
    return Change(AlertChangeKind::kFlappingStopped, true, "", now);
  }
  if (c.severity > open_->severity) {
    open_->severity = c.severity;
    open_->message = c.message;
    open_->updated_at = now;
    return Change(AlertChangeKind::kEscalated, true, "", now);
  }
  if (c.severity < open_->severity) {
    open_->severity = c.severity;
    open_->message = c.message;
    open_->updated_at = now;
    return Change(AlertChangeKind::kUpdated, false, "de-escalation", now);
  }
  open_->message = c.message;  // same severity: a fresher message, not worth an event
  return std::nullopt;
}

std::optional<AlertChange> AlertSlot::Acknowledge(std::string by, Timestamp now) {
  if (!open_ || open_->acknowledged()) return std::nullopt;
  open_->acknowledged_at = now;
  open_->acknowledged_by = std::move(by);
  open_->updated_at = now;
  return AlertChange{AlertChangeKind::kAcknowledged, *open_, false, "acknowledgement"};
}

void AlertSlot::Encode(BinaryWriter& w) const {
  flap_.Encode(w);
  w.Bool(last_notified_us_ != kNever);
  if (last_notified_us_ != kNever) w.I64(last_notified_us_);
  w.Bool(open_ != nullptr);
  if (open_) EncodeAlert(w, *open_);
}

bool AlertSlot::Decode(BinaryReader& r) {
  if (!flap_.Decode(r)) return false;
  last_notified_us_ = kNever;
  if (r.Bool()) last_notified_us_ = r.I64();
  open_.reset();
  if (r.Bool()) {
    auto a = std::make_unique<Alert>();
    if (!DecodeAlert(r, a.get())) return false;
    open_ = std::move(a);
  }
  return r.ok();
}

void AlertSlot::Restore(Alert alert) {
  if (alert.last_notified_at) last_notified_us_ = ToMicros(*alert.last_notified_at);
  open_ = std::make_unique<Alert>(std::move(alert));
}

}  // namespace vitals::core
