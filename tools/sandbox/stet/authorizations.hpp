// What the STET bank's authorization server has granted (README "STET"): an authorization per approved
// /stet/authorize (a client, a PSU, a scope and the consent PUT /consents gave it), its one-time code, its access
// tokens (bound to the client certificate they were issued over and marked when they came from a refresh) and its
// refresh tokens. Revoking, or the consent_expired fault, ends the whole authorization. Thread-safe.
//
// Codes work once and live 10 minutes; access tokens live token_ttl_s on the steady clock; refresh tokens live as
// long as their authorization and rotate, are reused or are never issued (behaviour.oidc.refresh_tokens).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "tools/sandbox/oauth.hpp"
#include "tools/sandbox/scenario.hpp"

namespace bankfeed::sandbox::stet {

// The accounts (resource ids) PUT /consents opened, per kind of read.
struct StetConsent {
  std::set<std::string> balances, transactions;
};

struct Authorization {
  std::string id, client_id, psu_id, scope;
  StetConsent consent;
  bool ended = false;
};

struct CodeRequest {
  std::string client_id, psu_id, scope, redirect_uri;
  std::string code_challenge;  // S256; empty when the client sent none
};

// A live access token: its authorization and how the token came to be.
struct AccessGrant {
  Authorization authorization;
  std::string cert_fingerprint;  // RFC 8705: the client certificate it was issued over
  bool from_refresh = false;
};

class AuthorizationStore {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  explicit AuthorizationStore(
      std::chrono::seconds access_ttl, Clock now = [] { return std::chrono::steady_clock::now(); });

  // A new authorization for an approved request; returns its code.
  std::string Approve(const CodeRequest& request);
  // The code's authorization, the code now spent. invalid_grant when it is unknown, spent, expired, another
  // client's, for another redirect_uri, or its PKCE challenge is not met by `code_verifier` (nullptr: not sent).
  tl::expected<Authorization, OAuthError> RedeemCode(std::string_view code, std::string_view client_id,
                                                     std::string_view redirect_uri, const std::string* code_verifier);

  std::string IssueAccessToken(const std::string& authorization_id, std::string cert_fingerprint, bool from_refresh);
  std::string IssueRefreshToken(const std::string& authorization_id);
  // The refresh token's live authorization; with kRotate the token is spent by this use. invalid_grant otherwise.
  tl::expected<Authorization, OAuthError> UseRefreshToken(std::string_view token, std::string_view client_id,
                                                          RefreshMode mode);

  // A live access token of a live authorization; std::nullopt otherwise.
  std::optional<AccessGrant> Access(std::string_view token) const;
  // Ends the authorization: its codes, access and refresh tokens are refused from now on.
  void End(const std::string& authorization_id);
  // RFC 7009: ends the authorization of `token` (access or refresh) when it is `client_id`'s; unknown: nothing.
  void Revoke(std::string_view token, std::string_view client_id);
  // PUT /consents: replaces the authorization's consent.
  void SetConsent(const std::string& authorization_id, StetConsent consent);

  int64_t access_ttl_seconds() const { return access_ttl_.count(); }

 private:
  struct Code {
    CodeRequest request;
    std::string authorization_id;
    std::chrono::steady_clock::time_point issued;
    bool used = false;
  };
  struct Access_ {
    std::string authorization_id, cert_fingerprint;
    bool from_refresh = false;
    std::chrono::steady_clock::time_point expires;
  };
  struct Refresh {
    std::string authorization_id;
    bool used = false;
  };
  const Authorization* Live(const std::string& id) const;  // mu_ held

  std::chrono::seconds access_ttl_;
  Clock now_;
  mutable std::mutex mu_;
  std::map<std::string, Authorization, std::less<>> authorizations_;
  std::map<std::string, Code, std::less<>> codes_;
  std::map<std::string, Access_, std::less<>> access_;
  std::map<std::string, Refresh, std::less<>> refresh_;
};

}  // namespace bankfeed::sandbox::stet
