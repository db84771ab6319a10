#include "server/api/authenticator.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace vitals::server {
namespace {

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

std::string Base64Url(const unsigned char* p, size_t n) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    acc = (acc << 8) | p[i];
    bits += 8;
    while (bits >= 6) {
      out.push_back(kAlphabet[(acc >> (bits - 6)) & 63]);
      bits -= 6;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return out;
}

std::optional<std::string_view> CredentialOf(const HttpRequest& r) {
  if (auto h = r.headers.Get("Authorization")) {
    std::string_view v = *h;
    if (v.size() > 7 && (v.substr(0, 7) == "Bearer " || v.substr(0, 7) == "bearer ")) {
      return v.substr(7);
    }
  }
  if (auto q = r.Query("token")) return *q;
  if (auto q = r.Query("api_key")) return *q;
  return std::nullopt;
}

}  // namespace

bool ScopeAllows(store::KeyScope have, store::KeyScope required) {
  if (have == store::KeyScope::kAdmin) return true;
  return have == required;
}

Authenticator::Authenticator(store::Store& store, const core::Clock* clock, core::Duration ttl)
    : store_(store), clock_(clock), ttl_(ttl) {
  auto keys = store_.HasActiveApiKeys();
  if (keys.ok() && !*keys) mode_ = Mode::kPendingOpen;
}

void Authenticator::PermitOpenMode() {
  Mode pending = Mode::kPendingOpen;
  mode_.compare_exchange_strong(pending, Mode::kOpen);
}

void Authenticator::BecomeKeyed() {
  if (mode_.exchange(Mode::kKeyed) != Mode::kKeyed) {
    spdlog::warn(
        "an API key exists now: every request needs one for the rest of this server's life");
  }
}

void Authenticator::KeyCreated() {
  BecomeKeyed();
  Invalidate();
}

void Authenticator::Poll() {
  const core::Timestamp now = clock_->Now();
  if (mode_.load() == Mode::kKeyed) {
    (void)KeysRemain(now);
    return;
  }
  auto exist = KeysExist(now);
  if (exist.ok() && *exist) BecomeKeyed();
}

bool Authenticator::KeysRemain(core::Timestamp now) {
  auto exist = KeysExist(now);
  std::lock_guard lock(mu_);
  if (!exist.ok() || *exist) {
    warned_no_keys_ = false;
    return true;
  }
  if (!warned_no_keys_) {
    warned_no_keys_ = true;
    spdlog::error(
        "no active API key remains: every request is refused (401) until an operator creates one "
        "(vitals keys create --db <file>)");
  }
  return false;
}

core::Status Authenticator::Refuse(core::Status status, core::Timestamp now) {
  if (KeysRemain(now)) return status;
  return core::Status::Unauthenticated(
      "this server has no active api key left; the operator must create one (vitals keys create)");
}

core::Result<std::set<std::string>> Authenticator::ActiveKeyIds(std::string_view organization_id) {
  auto keys = store_.ListApiKeys(organization_id);
  if (!keys.ok()) return keys.status();
  std::set<std::string> ids;
  for (const store::ApiKeyRecord& k : *keys) {
    if (!k.revoked_at) ids.insert(k.id);
  }
  return ids;
}

std::string Authenticator::HashSecret(std::string_view secret) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(secret.data(), secret.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 unavailable");  // a broken OpenSSL: nothing to recover
  }
  return Hex(digest, len);
}

std::pair<std::string, store::ApiKeyRecord> Authenticator::NewKey(std::string organization_id,
                                                                  std::string name,
                                                                  store::KeyScope scope,
                                                                  core::Timestamp now) {
  unsigned char secret[32], id[8];
  if (RAND_bytes(secret, sizeof secret) != 1 || RAND_bytes(id, sizeof id) != 1) {
    throw std::runtime_error("no secure random bytes available");
  }
  std::string plain = "vk_" + Base64Url(secret, sizeof secret);
  store::ApiKeyRecord rec;
  rec.id = "key_" + Hex(id, sizeof id);
  rec.organization_id = std::move(organization_id);
  rec.name = std::move(name);
  rec.scope = scope;
  rec.secret_hash = HashSecret(plain);
  rec.created_at = now;
  return {std::move(plain), std::move(rec)};
}

void Authenticator::Invalidate() {
  std::lock_guard lock(mu_);
  by_hash_.clear();
  keys_exist_.reset();
}

core::Result<bool> Authenticator::KeysExist(core::Timestamp now) {
  {
    std::lock_guard lock(mu_);
    if (keys_exist_ && now < keys_exist_expires_) return *keys_exist_;
  }
  auto r = store_.HasActiveApiKeys();
  if (!r.ok()) return r.status();
  std::lock_guard lock(mu_);
  keys_exist_ = *r;
  keys_exist_expires_ = now + ttl_;
  return *r;
}

core::Status Authenticator::Authenticate(const HttpRequest& request, store::KeyScope required,
                                         RequestContext* ctx) {
  const core::Timestamp now = clock_->Now();
  if (mode_.load() != Mode::kKeyed) {
    auto exist = KeysExist(now);
    if (!exist.ok()) return exist.status();
    if (*exist) {
      BecomeKeyed();
    } else if (mode_.load() == Mode::kPendingOpen) {
      return core::Status::Unavailable("starting: not serving requests yet");
    } else {
      ctx->organization_id = std::string(kDefaultOrganization);
      ctx->scope = store::KeyScope::kAdmin;
      ctx->key_id.clear();
      return core::Status::Ok();
    }
  }
  const auto credential = CredentialOf(request);
  if (!credential || credential->empty()) {
    return Refuse(core::Status::Unauthenticated(
                      "authentication required: send \"Authorization: Bearer <api key>\""),
                  now);
  }
  const std::string hash = HashSecret(*credential);
  std::optional<store::ApiKeyRecord> key;
  bool cached = false;
  {
    std::lock_guard lock(mu_);
    auto it = by_hash_.find(hash);
    if (it != by_hash_.end() && now < it->second.expires) {
      key = it->second.key;
      cached = true;
    }
  }
  if (!cached) {
    auto found = store_.FindApiKeyByHash(hash);
    if (!found.ok()) return found.status();
    key = *found;
    std::lock_guard lock(mu_);
    if (by_hash_.size() > 10000) by_hash_.clear();  // bounded: unknown keys are cached too
    by_hash_[hash] = Cached{key, now + ttl_};
  }
  if (!key || key->revoked_at) {
    return Refuse(core::Status::Unauthenticated("invalid or revoked api key"), now);
  }
  if (!ScopeAllows(key->scope, required)) {
    return core::Status::PermissionDenied(
        "this api key's scope (" + std::string(store::KeyScopeName(key->scope)) +
        ") does not allow this; it needs " + std::string(store::KeyScopeName(required)));
  }
  ctx->organization_id = key->organization_id;
  ctx->scope = key->scope;
  ctx->key_id = key->id;
  return core::Status::Ok();
}

}  // namespace vitals::server
