// AlertmanagerChannel: pushes alerts to a Prometheus Alertmanager through its API v2
// (POST {base}/api/v2/alerts), so its routing, grouping, inhibition and silences apply.
//
// One Alertmanager alert per incident, labelled alertname=<cause>, incident=<id>, severity,
// source_type, source_id, organization; its description lists the incident's alerts.
//
// Alertmanager resolves an alert by itself when its endsAt passes (or, without endsAt, after its
// resolve_timeout). vitals sends open alerts with endsAt = now + `hold_for` and re-posts them
// (the policy's "refresh", every 60 s by default) well before that, so an alert stays active
// while it is open, and resolves on its own within `hold_for` should vitals stop. A resolution
// is sent with endsAt = resolved_at.
// Labels identify an Alertmanager alert: when an escalation changes the severity (or the worst
// cause), the same post ends the alert under the old labels (endsAt = now).
#pragma once

#include <string>

#include "server/notify/channel.h"
#include "server/notify/http_target.h"

namespace vitals::server {

struct AlertmanagerOptions {
  core::Duration hold_for = core::Seconds(300);
  std::string external_url;  // vitals' own base URL for generatorURL; "" leaves it out
};

// The request body: an array of postableAlert — the incident, and the alert it superseded if
// any (exposed for tests).
std::string AlertmanagerAlertsJson(const Payload& payload, const AlertmanagerOptions& options);

class AlertmanagerChannel final : public Channel {
 public:
  AlertmanagerChannel(HttpTarget base, core::Duration timeout, AlertmanagerOptions options)
      : base_(std::move(base)), timeout_(timeout), options_(std::move(options)) {}
  core::Status Deliver(const Payload& payload, std::string* detail) override;

 private:
  const HttpTarget base_;
  const core::Duration timeout_;
  const AlertmanagerOptions options_;
};

}  // namespace vitals::server
