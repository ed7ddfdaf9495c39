// adapters/common/grant_tokens.hpp: a consent's OAuth2 tokens, kept in its ConsentGrant, for every standard:
// the authorization callback checked, the code redeemed, the access token renewed before it expires, and a rotated
// refresh token kept (RFC 6749 §§4.1, 6; RFC 7636).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/common/oauth2.hpp"
#include "bankfeed/connector.hpp"
#include "bankfeed/result.hpp"
#include "http/client.hpp"

namespace bankfeed::adapters {

using FormFields = std::vector<std::pair<std::string, std::string>>;

struct TokenEndpoint {
  http::Client* client = nullptr;  // the bank's mTLS client; not owned
  RetryOptions retry;
  std::string url;
  std::string bank_id;
  // The fields that authenticate the client on every token request: `client_id` for tls_client_auth (RFC 8705),
  // a fresh `client_assertion` for private_key_jwt. Called once per request.
  std::function<Result<FormFields>()> client_auth;
  // Sent with every code redemption and refresh besides the grant's own fields (STET: the scope, unless the bank
  // refuses one there).
  FormFields grant_fields;
};

// Called with every answer to a code redemption (refresh false) or a refresh (true) before anything of it is
// stored. An error refuses the answer: the call fails with it and the grant keeps what it held. UK Open Banking
// validates the answer's ID token here (OpenID Connect Core §§3.1.3.7, 12.2); Berlin Group has none.
using TokenCheck = std::function<Status(const ConsentGrant& grant, const TokenResponse& token, bool refresh)>;

class GrantTokens {
 public:
  // Renewed this long before the access token expires, so that no read starts with a token about to die.
  static constexpr std::chrono::seconds kRefreshMargin{60};

  GrantTokens(TokenEndpoint endpoint, std::function<std::chrono::system_clock::time_point()> now,
              TokenCheck check_token = {});

  // Keeps a token answer in the grant: the access token and its expiry, and the refresh token when the server sent
  // one (rotation); a server that sends none leaves the one the grant holds.
  void Store(ConsentGrant& grant, TokenResponse token) const;
  // A live access token in the grant: refreshed when it expires within kRefreshMargin and a refresh token is there.
  // kConsentInvalid when the grant holds no access token at all.
  Status EnsureFresh(ConsentGrant& grant) const;
  // A new access token from the refresh token. kConsentInvalid when there is none, or the server refuses it
  // (invalid_grant: the customer must consent again), or check_token refuses the answer; the grant
  // keeps its tokens on any failure.
  Status Refresh(ConsentGrant& grant) const;
  // The authorization code for tokens, with the grant's PKCE verifier when it has one; the request's state and
  // verifier are cleared once the code is redeemed and the answer passed check_token (until then the grant is
  // untouched).
  Status RedeemCode(ConsentGrant& grant, std::string_view code, std::string_view redirect_uri) const;

 private:
  Result<TokenResponse> Request(FormFields form) const;
  Status Check(const ConsentGrant& grant, const TokenResponse& token, bool refresh) const;

  TokenEndpoint endpoint_;
  std::function<std::chrono::system_clock::time_point()> now_;
  TokenCheck check_token_;
};

// The authorization code a callback brought, after checking that it answers the grant's request:
// - `error=...` → kConsentInvalid naming the error code when it is a plain token (never error_description), the
//   grant rejected and its state and verifier cleared;
// - a state other than the one sent (compared in constant time) → kConsentInvalid;
// - no code → kInvalidArgument.
Result<std::string> AuthorizationCode(ConsentGrant& grant, const CallbackParams& callback, std::string_view bank_id);

}  // namespace bankfeed::adapters
