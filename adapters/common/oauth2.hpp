// OAuth2 authorization-code flow with PKCE (RFC 6749, RFC 7636), client authentication by mTLS (RFC 8705), as the
// Berlin Group OAuth2 pre-step, UK Open Banking and STET use it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/profile.hpp"
#include "bankfeed/result.hpp"
#include "http/client.hpp"
#include "http/retry.hpp"

namespace bankfeed::adapters {

// `bytes` random bytes from OpenSSL's CSPRNG, base64url without padding (state values, PKCE verifiers).
std::string RandomUrlToken(size_t bytes);

// The S256 code_challenge of a verifier: base64url(SHA-256(verifier)).
std::string PkceChallenge(std::string_view verifier);

struct AuthorizationRequest {
  std::string client_id;
  std::string redirect_uri;
  std::string scope;
  std::string state;
  std::string code_challenge;  // empty: no PKCE
};
// The authorization endpoint URL with the request's query parameters appended.
Result<std::string> AuthorizationUrl(const OAuth2Profile& oauth, const AuthorizationRequest& request);

struct TokenResponse {
  std::string access_token;
  std::string refresh_token;  // empty when the server sent none
  std::optional<std::chrono::seconds> expires_in;
  std::string token_type;
  std::string id_token;  // OpenID Connect: the ID token the server sent with the tokens, when it sent one
};

// Parses a token endpoint's 200 body. kProtocol naming the field when it is not a usable token response.
Result<TokenResponse> ParseTokenResponse(std::string_view body);

// The typed error for a token endpoint's error answer ({"error": "invalid_grant", ...}): invalid_grant is
// kConsentInvalid (the code or refresh token is dead: the customer must consent again), invalid_client and
// unauthorized_client are kUnauthenticated, anything else kProtocol. Never quotes error_description.
Error TokenEndpointError(const http::Response& response, std::string_view bank_id);

// POSTs a form to the token endpoint and parses the answer.
Result<TokenResponse> RequestToken(http::Client& client, const RetryOptions& retry, const std::string& token_endpoint,
                                   const std::vector<std::pair<std::string, std::string>>& form,
                                   std::string_view bank_id);

// RFC 7009 token revocation: POSTs the form (token, token_type_hint, the client's authentication) to the endpoint.
// 200 is success (also for a token the server no longer knows, §2.2); another answer is the typed error
// TokenEndpointError gives, or kUnavailable after the retry policy for 503 (§2.2.1).
Status RevokeToken(http::Client& client, const RetryOptions& retry, const std::string& revocation_endpoint,
                   const std::vector<std::pair<std::string, std::string>>& form, std::string_view bank_id);

// Checks the state a callback brought back against the one sent, in constant time.
bool StateMatches(std::string_view expected, std::string_view received);

}  // namespace bankfeed::adapters
