// Authenticator: who is calling. A server started without any active API key, and allowed to
// be open (loopback, or --insecure), serves one organization, "default", to everyone who can reach
// it. Otherwise every request must carry a key: "Authorization: Bearer <key>", or for
// WebSocket/SSE clients that cannot set headers, a "token" (or "api_key") query parameter. The
// organization and scope come from the key; keys are stored as SHA-256 hashes only.
//
// Open mode is decided once, by how the server started, never by the key table's later contents:
// an open server turns keyed for good as soon as a key exists (made over the API or by another
// process), and a keyed server never opens again — with no key left, every request gets 401.
//
// Lookups are cached for a couple of seconds, so a new key works and a revoked key stops working
// within that time without a database read per request.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
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
  // Keyed when the store holds an active key (or cannot tell); otherwise open mode waits for
  // PermitOpenMode(), and requests meanwhile get 503.
  Authenticator(store::Store& store, const core::Clock* clock,
                core::Duration cache_ttl = std::chrono::seconds(2));

  // True when no active key existed at construction and none has appeared since.
  bool starts_open() const { return mode_.load() != Mode::kKeyed; }
  // The starter allows open mode (bound to loopback, or --insecure). No effect once keyed.
  void PermitOpenMode();
  // True while requests without a key are served.
  bool open() const { return mode_.load() == Mode::kOpen; }

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
  // A key was created here: from now on the server is keyed.
  void KeyCreated();
  // Looks at the key table (cached): an open server turns keyed when a key appeared, and a keyed
  // one logs once when no active key is left. Called periodically by the application.
  void Poll();
  // The ids of `organization_id`'s keys that are not revoked (read from the store, uncached).
  core::Result<std::set<std::string>> ActiveKeyIds(std::string_view organization_id);

 private:
  struct Cached {
    std::optional<store::ApiKeyRecord> key;
    core::Timestamp expires;
  };
  enum class Mode { kPendingOpen, kOpen, kKeyed };
  core::Result<bool> KeysExist(core::Timestamp now);
  void BecomeKeyed();
  // For a keyed server: false (and a log line, once) when no active key is left.
  bool KeysRemain(core::Timestamp now);
  core::Status Refuse(core::Status status, core::Timestamp now);

  store::Store& store_;
  const core::Clock* clock_;
  core::Duration ttl_;
  std::atomic<Mode> mode_{Mode::kKeyed};
  bool warned_no_keys_ = false;  // guarded by mu_
  std::mutex mu_;
  std::unordered_map<std::string, Cached> by_hash_;
  std::optional<bool> keys_exist_;
  core::Timestamp keys_exist_expires_;
};

bool ScopeAllows(store::KeyScope have, store::KeyScope required);

}  // namespace vitals::server
