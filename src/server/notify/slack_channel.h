// SlackChannel: a Slack-compatible incoming-webhook message — {"text", "attachments": [{"color",
// "fields": [{"title", "value", "short"}]}]} — which Slack, Mattermost and Rocket.Chat accept.
#pragma once

#include <string>

#include "server/notify/channel.h"
#include "server/notify/http_target.h"

namespace vitals::server {

// The message body (exposed for tests).
std::string SlackMessageJson(const Payload& payload);

class SlackChannel final : public Channel {
 public:
  SlackChannel(HttpTarget target, core::Duration timeout)
      : target_(std::move(target)), timeout_(timeout) {}
  core::Status Deliver(const Payload& payload, std::string* detail) override;

 private:
  const HttpTarget target_;
  const core::Duration timeout_;
};

}  // namespace vitals::server
