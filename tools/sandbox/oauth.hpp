// The sandbox's OAuth2 authorization server (the Berlin Group "OAuth2 pre-step"; UK Open Banking and STET use the
// same shape): authorization code with PKCE S256 only, auto-approved, and refresh tokens that rotate on use.
// Free of HTTP: the core's routes hand it the parsed query or form and write what it returns.
//
// Codes live 10 minutes and work once; access tokens live token_ttl by the real (steady) clock; a refresh token
// works once and its use returns a new one.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "tools/sandbox/form.hpp"

namespace bankfeed::sandbox {

struct AuthorizeOutcome {
  int status = 302;      // 302 to `location`, or 400 when there is nowhere safe to redirect to
  std::string location;  // redirect_uri with code and state, or with error and state
  std::string error;     // for 400: the reason, for the page
};

struct TokenGrant {
  std::string access_token;
  std::string refresh_token;
  int64_t expires_in = 0;
  std::string scope;
};

struct OAuthError {
  int status = 400;
  std::string error;        // RFC 6749 §5.2: invalid_request, invalid_grant, unsupported_grant_type, ...
  std::string description;  // names the parameter, never a value
};

class OAuthServer {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  explicit OAuthServer(std::chrono::seconds token_ttl, Clock now = [] { return std::chrono::steady_clock::now(); });

  // GET /oauth/authorize with these query fields.
  AuthorizeOutcome Authorize(const FormFields& query);
  // POST /oauth/token with this form body.
  tl::expected<TokenGrant, OAuthError> Token(const FormFields& form);
  bool IsValidAccessToken(std::string_view token) const;

 private:
  struct Code {
    std::string client_id, redirect_uri, challenge, scope;
    std::chrono::steady_clock::time_point issued;
    bool used = false;
  };
  struct Refresh {
    std::string client_id, scope;
    bool used = false;
  };
  TokenGrant Issue(const std::string& client_id, const std::string& scope);  // mu_ held

  std::chrono::seconds ttl_;
  Clock now_;
  mutable std::mutex mu_;
  std::map<std::string, Code, std::less<>> codes_;
  std::map<std::string, std::chrono::steady_clock::time_point, std::less<>> access_;  // token -> expiry
  std::map<std::string, Refresh, std::less<>> refresh_;
};

// BASE64URL(SHA-256(verifier)) (RFC 7636 §4.2).
std::string PkceS256(std::string_view verifier);
// 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1); the same rule holds for an S256 challenge's length.
bool IsPkceToken(std::string_view text);

}  // namespace bankfeed::sandbox
