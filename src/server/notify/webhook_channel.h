// WebhookChannel: POSTs the payload JSON to a URL, signed so the receiver can trust it:
//   X-Vitals-Timestamp: <unix seconds>
//   X-Vitals-Signature: sha256=<hex HMAC-SHA256(secret, body)>   (only with a secret)
#pragma once

#include <string>
#include <string_view>

#include "server/notify/channel.h"
#include "server/notify/http_target.h"

namespace vitals::server {

// Lowercase hex HMAC-SHA256 of `body` keyed with `secret`.
std::string HmacSha256Hex(std::string_view secret, std::string_view body);

class WebhookChannel final : public Channel {
 public:
  WebhookChannel(HttpTarget target, std::string secret, core::Duration timeout)
      : target_(std::move(target)), secret_(std::move(secret)), timeout_(timeout) {}
  core::Status Deliver(const Payload& payload, std::string* detail) override;

 private:
  const HttpTarget target_;
  const std::string secret_;
  const core::Duration timeout_;
};

}  // namespace vitals::server
