// Authenticator: who is calling. With no API key configured vitals serves one organization,
// "default", to everyone who can reach it (it then listens on loopback only). Once keys exist,
// every request must carry one: "Authorization: Bearer <key>", or for WebSocket/SSE clients that
// cannot set headers, a "token" (or "api_key") query parameter. The organization and scope come
// from the key; keys are stored as SHA-256 hashes only.
//
// Lookups are cached for a couple of seconds, so a new key works and a revoked key stops working
// within that time without a database read per request.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "core/status.h"
#include "server/api/router.h"
#include "server/http/http_types.h"
#include "store/store.h"

namespace vitals::server {

inline constexpr std::string_view kDefaultOrganization = "default";

class Authenticator {
 public:
  Authenticator(store::Store& store, const core::Clock* clock,
                core::Duration cache_ttl = std::chrono::seconds(2));

  // Fills ctx.organization_id/scope/key_id, or fails with Unauthenticated (no or unknown key)
  // or PermissionDenied (the key's scope is below `required`).
  core::Status Authenticate(const HttpRequest& request, store::KeyScope required,
                            RequestContext* ctx);

  // A new random secret ("vk_" + 43 base64url characters) and its record (hash only).
  static std::pair<std::string, store::ApiKeyRecord> NewKey(std::string organization_id,
                                                            std::string name, store::KeyScope scope,
                                                            core::Timestamp now);
  static std::string HashSecret(std::string_view secret);
  // Forgets cached lookups (after a key is created or revoked here).
  void Invalidate();

 private:
  struct Cached {
    std::optional<store::ApiKeyRecord> key;
    core::Timestamp expires;
  };
  core::Result<bool> KeysExist(core::Timestamp now);

  store::Store& store_;
  const core::Clock* clock_;
  core::Duration ttl_;
  std::mutex mu_;
  std::unordered_map<std::string, Cached> by_hash_;
  std::optional<bool> keys_exist_;
  core::Timestamp keys_exist_expires_;
};

bool ScopeAllows(store::KeyScope have, store::KeyScope required);

}  // namespace vitals::server
