// What the sandbox bank's authorization server has issued: authorization codes, access tokens (client-credentials
// ones, and ones bound to an authorised account-access consent) and refresh tokens. Thread-safe.
//
// Codes work once and live 10 minutes; access tokens live the scenario's token_ttl_s; refresh tokens live as long
// as their consent, and per behaviour.oidc.refresh_tokens rotate (a use spends the token and the grant returns a
// new one), are reused (the same token stays valid) or are never issued. Lifetimes run on the steady clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "tools/sandbox/oauth.hpp"
#include "tools/sandbox/scenario.hpp"

namespace bankfeed::sandbox::uk_ob {

struct AuthCode {
  std::string client_id, consent_id, redirect_uri, nonce;
  int64_t auth_time = 0;  // Unix seconds: when the PSU approved
};

// What an access or refresh token stands for. consent_id is empty for client-credentials tokens.
struct TokenGrantInfo {
  std::string client_id, consent_id, nonce;
  int64_t auth_time = 0;
  // The mTLS certificate the token was issued over (RFC 8705 §3: certificate-bound access tokens).
  std::string cert_fingerprint;
};

class TokenStore {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  explicit TokenStore(
      std::chrono::seconds access_ttl, Clock now = [] { return std::chrono::steady_clock::now(); });

  std::string IssueCode(AuthCode code);
  // The code, now spent; invalid_grant when it is unknown, spent, expired, another client's or was issued for
  // another redirect_uri.
  tl::expected<AuthCode, OAuthError> RedeemCode(std::string_view code, std::string_view client_id,
                                                std::string_view redirect_uri);

  std::string IssueAccessToken(TokenGrantInfo grant);
  // A live access token's grant; std::nullopt when unknown or expired.
  std::optional<TokenGrantInfo> AccessGrant(std::string_view token) const;

  std::string IssueRefreshToken(TokenGrantInfo grant);
  // A refresh token of `client_id`'s; with kRotate it is spent by this use. invalid_grant when it is unknown,
  // spent or another client's.
  tl::expected<TokenGrantInfo, OAuthError> UseRefreshToken(std::string_view token, std::string_view client_id,
                                                           RefreshMode mode);

  // Every code and token of the client dies (DELETE of its registration). A consent's tokens stay: their use is
  // refused by the consent's status (revoked, expired), which is what the client must learn.
  void RevokeClient(std::string_view client_id);

  int64_t access_ttl_seconds() const { return access_ttl_.count(); }

 private:
  struct Code {
    AuthCode code;
    std::string redirect_uri;
    std::chrono::steady_clock::time_point issued;
    bool used = false;
  };
  struct Access {
    TokenGrantInfo grant;
    std::chrono::steady_clock::time_point expires;
  };
  struct Refresh {
    TokenGrantInfo grant;
    bool used = false;
  };

  std::chrono::seconds access_ttl_;
  Clock now_;
  mutable std::mutex mu_;
  std::map<std::string, Code, std::less<>> codes_;
  std::map<std::string, Access, std::less<>> access_;
  std::map<std::string, Refresh, std::less<>> refresh_;
};

}  // namespace bankfeed::sandbox::uk_ob
