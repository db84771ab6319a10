#include "server/notify/webhook_channel.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace vitals::server {

std::string HmacSha256Hex(std::string_view secret, std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 0xf]);
  }
  return hex;
}

core::Status WebhookChannel::Deliver(const Payload& payload, std::string* detail) {
  const std::string body = PayloadJson(payload);
  Headers headers;
  headers.Add("X-Vitals-Timestamp", std::to_string(core::ToMicros(payload.sent_at) / 1'000'000));
  if (!secret_.empty()) headers.Add("X-Vitals-Signature", "sha256=" + HmacSha256Hex(secret_, body));
  return PostJson(target_, "", body, headers,
                  std::chrono::duration_cast<std::chrono::milliseconds>(timeout_), detail);
}

}  // namespace vitals::server
