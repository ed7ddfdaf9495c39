// The STET authorization store. See stet/authorizations.hpp.
#include "tools/sandbox/stet/authorizations.hpp"

#include <openssl/crypto.h>

#include "tools/sandbox/random.hpp"

namespace bankfeed::sandbox::stet {
namespace {

constexpr std::chrono::minutes kCodeLifetime{10};

tl::unexpected<OAuthError> InvalidGrant(std::string description) {
  return tl::unexpected(OAuthError{400, "invalid_grant", std::move(description)});
}

bool SameSecret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

AuthorizationStore::AuthorizationStore(std::chrono::seconds access_ttl, Clock now)
    : access_ttl_(access_ttl), now_(std::move(now)) {}

const Authorization* AuthorizationStore::Live(const std::string& id) const {
  auto it = authorizations_.find(id);
  return it == authorizations_.end() || it->second.ended ? nullptr : &it->second;
}

std::string AuthorizationStore::Approve(const CodeRequest& request) {
  const std::string code = RandomToken(24);
  const std::string id = "authz-" + RandomHex(12);
  std::lock_guard lock(mu_);
  authorizations_.emplace(id, Authorization{id, request.client_id, request.psu_id, request.scope, {}, false});
  codes_.emplace(code, Code{request, id, now_(), false});
  return code;
}

tl::expected<Authorization, OAuthError> AuthorizationStore::RedeemCode(std::string_view code,
                                                                       std::string_view client_id,
                                                                       std::string_view redirect_uri,
                                                                       const std::string* code_verifier) {
  std::lock_guard lock(mu_);
  auto it = codes_.find(code);
  if (it == codes_.end() || it->second.used || now_() - it->second.issued > kCodeLifetime) {
    return InvalidGrant("code: unknown, used or expired");
  }
  Code& c = it->second;
  if (c.request.client_id != client_id) return InvalidGrant("code: issued to another client");
  if (c.request.redirect_uri != redirect_uri) return InvalidGrant("redirect_uri: not the authorization request's");
  if (!c.request.code_challenge.empty()) {
    if (code_verifier == nullptr) return InvalidGrant("code_verifier: missing (the code has a challenge)");
    if (!SameSecret(PkceS256(*code_verifier), c.request.code_challenge)) {
      return InvalidGrant("code_verifier: does not match the code_challenge");
    }
  }
  c.used = true;
  const Authorization* a = Live(c.authorization_id);
  if (a == nullptr) return InvalidGrant("code: the authorization has ended");
  return *a;
}

std::string AuthorizationStore::IssueAccessToken(const std::string& authorization_id, std::string cert_fingerprint,
                                                 bool from_refresh) {
  const std::string token = RandomToken();
  std::lock_guard lock(mu_);
  access_.emplace(token, Access_{authorization_id, std::move(cert_fingerprint), from_refresh, now_() + access_ttl_});
  return token;
}

std::string AuthorizationStore::IssueRefreshToken(const std::string& authorization_id) {
  const std::string token = RandomToken();
  std::lock_guard lock(mu_);
  refresh_.emplace(token, Refresh{authorization_id, false});
  return token;
}

tl::expected<Authorization, OAuthError> AuthorizationStore::UseRefreshToken(std::string_view token,
                                                                            std::string_view client_id,
                                                                            RefreshMode mode) {
  std::lock_guard lock(mu_);
  auto it = refresh_.find(token);
  if (it == refresh_.end() || it->second.used) return InvalidGrant("refresh_token: unknown or used");
  const Authorization* a = Live(it->second.authorization_id);
  if (a == nullptr) return InvalidGrant("refresh_token: the authorization was revoked or has expired");
  if (a->client_id != client_id) return InvalidGrant("refresh_token: issued to another client");
  if (mode == RefreshMode::kRotate) it->second.used = true;
  return *a;
}

std::optional<AccessGrant> AuthorizationStore::Access(std::string_view token) const {
  std::lock_guard lock(mu_);
  auto it = access_.find(token);
  if (it == access_.end() || now_() >= it->second.expires) return std::nullopt;
  const Authorization* a = Live(it->second.authorization_id);
  if (a == nullptr) return std::nullopt;
  return AccessGrant{*a, it->second.cert_fingerprint, it->second.from_refresh};
}

void AuthorizationStore::End(const std::string& authorization_id) {
  std::lock_guard lock(mu_);
  if (auto it = authorizations_.find(authorization_id); it != authorizations_.end()) it->second.ended = true;
}

void AuthorizationStore::Revoke(std::string_view token, std::string_view client_id) {
  std::lock_guard lock(mu_);
  std::string id;
  if (auto it = access_.find(token); it != access_.end()) id = it->second.authorization_id;
  if (auto it = refresh_.find(token); it != refresh_.end()) id = it->second.authorization_id;
  auto a = authorizations_.find(id);
  if (a != authorizations_.end() && a->second.client_id == client_id) a->second.ended = true;
}

void AuthorizationStore::SetConsent(const std::string& authorization_id, StetConsent consent) {
  std::lock_guard lock(mu_);
  if (auto it = authorizations_.find(authorization_id); it != authorizations_.end()) {
    it->second.consent = std::move(consent);
  }
}

}  // namespace bankfeed::sandbox::stet
