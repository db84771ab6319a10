// DeliveryRoute: where an organization's alert changes go — one channel and the filters that
// pick the alerts it receives. Plain data plus pure matching; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert.h"
#include "core/incident.h"
#include "core/status.h"
#include "core/time.h"

namespace vitals::server {

enum class ChannelKind { kWebhook, kSlack, kAlertmanager, kCommand };

std::string_view ChannelKindName(ChannelKind kind);  // "webhook", "slack", "alertmanager", ...
std::optional<ChannelKind> ParseChannelKind(std::string_view name);

struct DeliveryRoute {
  std::string organization_id;
  std::string id;
  ChannelKind kind = ChannelKind::kWebhook;
  std::string url;                   // webhook, slack, alertmanager (its base URL)
  std::vector<std::string> command;  // command: program and arguments, run without a shell
  std::string secret;                // webhook: HMAC-SHA256 key; empty: no signature
  // Filters; an empty list lets everything through.
  std::vector<core::AlertSeverity> severities;
  std::vector<core::AlertSource> source_types;
  std::vector<std::string> source_ids;
  core::Duration reminder_interval{0};         // 0: no reminders
  int max_attempts = 5;                        // per notification, including the first try
  core::Duration timeout = core::Seconds(10);  // per attempt (HTTP exchange or command run)
  // From the server's config file, not a tenant: outside the operator's grants (NotifierOptions).
  // Never parsed from a spec.
  bool operator_defined = false;

  // Whether an alert in its current state passes the filters.
  bool Matches(const core::Alert& alert) const;
  // Whether an incident passes: its severity and its source.
  bool Matches(const core::Incident& incident) const;
  // InvalidArgument naming the field: bad id, URL not http://, empty command, bad numbers.
  core::Status Validate() const;
};

}  // namespace vitals::server
