#include "server/notify/delivery_route.h"

#include <algorithm>

#include "core/execution_event.h"
#include "server/notify/http_target.h"

namespace vitals::server {

std::string_view ChannelKindName(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::kWebhook:
      return "webhook";
    case ChannelKind::kSlack:
      return "slack";
    case ChannelKind::kAlertmanager:
      return "alertmanager";
    case ChannelKind::kCommand:
      return "command";
  }
  return "webhook";
}

std::optional<ChannelKind> ParseChannelKind(std::string_view name) {
  for (ChannelKind k : {ChannelKind::kWebhook, ChannelKind::kSlack, ChannelKind::kAlertmanager,
                        ChannelKind::kCommand}) {
    if (ChannelKindName(k) == name) return k;
  }
  return std::nullopt;
}

namespace {

template <typename T>
bool AllowedBy(const std::vector<T>& filter, const T& value) {
  return filter.empty() || std::find(filter.begin(), filter.end(), value) != filter.end();
}

}  // namespace

bool DeliveryRoute::Matches(const core::Alert& alert) const {
  return AllowedBy(severities, alert.severity) && AllowedBy(source_types, alert.source_type) &&
         AllowedBy(source_ids, alert.source_id);
}

bool DeliveryRoute::Matches(const core::Incident& incident) const {
  return AllowedBy(severities, incident.severity) &&
         AllowedBy(source_types, incident.source_type) && AllowedBy(source_ids, incident.source_id);
}

core::Status DeliveryRoute::Validate() const {
  if (core::Status s = core::ValidateId("id", id, 256); !s.ok()) return s;
  if (kind == ChannelKind::kCommand) {
    if (command.empty() || command[0].empty()) {
      return core::Status::InvalidArgument("command: expected a non-empty array of strings");
    }
    if (command[0].front() != '/') {
      return core::Status::InvalidArgument("command: the program must be an absolute path");
    }
  } else if (auto target = ParseHttpUrl(url); !target.ok()) {
    return target.status();
  }
  if (max_attempts < 1 || max_attempts > 100) {
    return core::Status::InvalidArgument("max_attempts: expected 1..100");
  }
  if (reminder_interval.count() < 0 ||
      (reminder_interval.count() > 0 && reminder_interval < core::Seconds(1))) {
    return core::Status::InvalidArgument("reminder_seconds: expected 0 (none) or at least 1");
  }
  if (timeout < core::Millis(1) || timeout > core::Seconds(600)) {
    return core::Status::InvalidArgument("timeout_ms: expected 1..600000");
  }
  return core::Status::Ok();
}

}  // namespace vitals::server
