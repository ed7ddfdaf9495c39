// Client authentication at the token endpoint, per the method the client registered:
// - tls_client_auth (RFC 8705 §2): form client_id, and the mTLS certificate presented now is the one the client
//   registered over (SHA-256 fingerprint);
// - private_key_jwt (RFC 7523, OpenID Connect Core §9): client_assertion_type jwt-bearer and a client_assertion with
//   header alg PS256 (nothing else, never none), verifying with the registered key; iss = sub = client_id; aud the
//   token endpoint (or the issuer); exp in the future and at most 10 minutes after iat (or now without iat); a jti
//   never seen before. A form client_id, when present, must be the assertion's iss.
// Every failure is 401 invalid_client with a description naming the parameter or claim, never its value.
#pragma once

#include <cstdint>
#include <string>
#include <tl/expected.hpp>

#include "tools/sandbox/form.hpp"
#include "tools/sandbox/oauth.hpp"
#include "tools/sandbox/uk_ob/clients.hpp"

namespace bankfeed::sandbox::uk_ob {

inline constexpr std::string_view kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
inline constexpr int64_t kMaxAssertionLifetimeS = 600;

struct ClientAuthContext {
  ClientRegistry& clients;
  std::string token_endpoint;         // ORIGIN/as/token
  std::string issuer;                 // ORIGIN
  std::string presented_fingerprint;  // of the request's mTLS certificate (CertificateFingerprint)
  int64_t now = 0;                    // Unix seconds
};

tl::expected<RegisteredClient, OAuthError> AuthenticateClient(const FormFields& form, const ClientAuthContext& context);

}  // namespace bankfeed::sandbox::uk_ob
