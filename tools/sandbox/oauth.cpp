#include "tools/sandbox/oauth.hpp"

#include <cstdlib>

#include <openssl/evp.h>

#include "signing/base64.hpp"
#include "tools/sandbox/random.hpp"
#include "tools/sandbox/scenario.hpp"

namespace bankfeed::sandbox {
namespace {

constexpr std::chrono::minutes kCodeLifetime{10};

bool IsRedirectUri(std::string_view uri) {
  return (uri.starts_with("https://") || uri.starts_with("http://")) && uri.size() <= 2048 &&
         uri.find_first_of("# \t") == std::string_view::npos && IsCleanText(uri);
}

std::string WithQuery(const std::string& uri, std::string_view query) {
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + std::string(query);
}

tl::unexpected<OAuthError> Fail(std::string error, std::string description) {
  return tl::unexpected(OAuthError{400, std::move(error), std::move(description)});
}

}  // namespace

std::string PkceS256(std::string_view verifier) {
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(verifier.data(), verifier.size(), hash, &len, EVP_sha256(), nullptr) != 1) std::abort();
  return signing::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(hash), len));
}

bool IsPkceToken(std::string_view text) {
  if (text.size() < 43 || text.size() > 128) return false;
  for (const char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '.' || c == '_' || c == '~';
    if (!ok) return false;
  }
  return true;
}

OAuthServer::OAuthServer(std::chrono::seconds token_ttl, Clock now) : ttl_(token_ttl), now_(std::move(now)) {}

AuthorizeOutcome OAuthServer::Authorize(const FormFields& q) {
  const std::string* redirect_uri = FindField(q, "redirect_uri");
  const std::string* client_id = FindField(q, "client_id");
  // RFC 6749 §4.1.2.1: without a valid redirect URI or client, tell the user, never redirect.
  if (redirect_uri == nullptr || !IsRedirectUri(*redirect_uri)) {
    return {400, {}, "redirect_uri: missing or not an absolute http(s) URI"};
  }
  if (client_id == nullptr || client_id->empty() || !IsCleanText(*client_id)) {
    return {400, {}, "client_id: missing"};
  }
  const std::string* state = FindField(q, "state");
  const auto redirect_error = [&](std::string_view error) {
    std::string query = "error=" + std::string(error);
    if (state != nullptr) query += "&state=" + PercentEncode(*state);
    return AuthorizeOutcome{302, WithQuery(*redirect_uri, query), {}};
  };
  const std::string* response_type = FindField(q, "response_type");
  if (response_type == nullptr || *response_type != "code") return redirect_error("unsupported_response_type");
  const std::string* scope = FindField(q, "scope");
  if (scope == nullptr || scope->empty() || !IsCleanText(*scope)) return redirect_error("invalid_scope");
  const std::string* challenge = FindField(q, "code_challenge");
  const std::string* method = FindField(q, "code_challenge_method");
  if (challenge == nullptr || !IsPkceToken(*challenge) || method == nullptr || *method != "S256") {
    return redirect_error("invalid_request");  // PKCE with S256 is mandatory
  }
  const std::string code = RandomToken(24);
  {
    std::lock_guard lock(mu_);
    codes_[code] = Code{*client_id, *redirect_uri, *challenge, *scope, now_(), false};
  }
  std::string query = "code=" + code;
  if (state != nullptr) query += "&state=" + PercentEncode(*state);
  return {302, WithQuery(*redirect_uri, query), {}};
}

TokenGrant OAuthServer::Issue(const std::string& client_id, const std::string& scope) {
  TokenGrant g{RandomToken(), RandomToken(), static_cast<int64_t>(ttl_.count()), scope};
  access_[g.access_token] = now_() + ttl_;
  refresh_[g.refresh_token] = Refresh{client_id, scope, false};
  return g;
}

tl::expected<TokenGrant, OAuthError> OAuthServer::Token(const FormFields& form) {
  const std::string* grant_type = FindField(form, "grant_type");
  const std::string* client_id = FindField(form, "client_id");
  if (grant_type == nullptr) return Fail("invalid_request", "grant_type: missing");
  if (client_id == nullptr || client_id->empty()) return Fail("invalid_request", "client_id: missing");
  if (*grant_type == "authorization_code") {
    const std::string* code = FindField(form, "code");
    const std::string* redirect_uri = FindField(form, "redirect_uri");
    const std::string* verifier = FindField(form, "code_verifier");
    if (code == nullptr) return Fail("invalid_request", "code: missing");
    if (redirect_uri == nullptr) return Fail("invalid_request", "redirect_uri: missing");
    if (verifier == nullptr) return Fail("invalid_request", "code_verifier: missing");
    std::lock_guard lock(mu_);
    auto it = codes_.find(*code);
    if (it == codes_.end() || it->second.used || now_() - it->second.issued > kCodeLifetime) {
      return Fail("invalid_grant", "code: unknown, used or expired");
    }
    Code& c = it->second;
    if (c.client_id != *client_id) return Fail("invalid_grant", "client_id: not the one the code was issued to");
    if (c.redirect_uri != *redirect_uri) return Fail("invalid_grant", "redirect_uri: not the authorization's");
    if (!IsPkceToken(*verifier) || PkceS256(*verifier) != c.challenge) {
      return Fail("invalid_grant", "code_verifier: does not match the code_challenge");
    }
    c.used = true;
    return Issue(c.client_id, c.scope);
  }
  if (*grant_type == "refresh_token") {
    const std::string* token = FindField(form, "refresh_token");
    if (token == nullptr) return Fail("invalid_request", "refresh_token: missing");
    std::lock_guard lock(mu_);
    auto it = refresh_.find(*token);
    if (it == refresh_.end() || it->second.used) return Fail("invalid_grant", "refresh_token: unknown or used");
    if (it->second.client_id != *client_id) {
      return Fail("invalid_grant", "client_id: not the one the token was issued to");
    }
    it->second.used = true;  // rotation: the old refresh token is spent
    const Refresh spent = it->second;
    return Issue(spent.client_id, spent.scope);
  }
  return Fail("unsupported_grant_type", "grant_type: authorization_code and refresh_token are supported");
}

bool OAuthServer::IsValidAccessToken(std::string_view token) const {
  std::lock_guard lock(mu_);
  auto it = access_.find(token);
  return it != access_.end() && now_() < it->second;
}

}  // namespace bankfeed::sandbox
