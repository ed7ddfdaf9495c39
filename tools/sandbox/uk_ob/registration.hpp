// UK Open Banking dynamic client registration (UK DCR 3.3 over RFC 7591): the body of POST /as/register (and of
// PUT /as/register/{client_id}) checked completely. Free of HTTP, so tests and fuzz targets call it directly.
//
// The body is a PS256 compact JWS whose header carries x5c; x5c[0] must chain to the trust store (the sandbox's
// stand-in for the Open Banking Directory) and verify the JWS. Its claims: iss (the software id), aud (the issuer),
// iat, exp (in the future), jti, redirect_uris (https, or http on 127.0.0.1/localhost only), token_endpoint_auth_method
// (one the bank supports), grant_types (authorization_code and client_credentials), response_types ("code id_token"),
// software_statement (a JWS with x5c chaining to the trust store, verifying, whose software_id is iss), scope
// (with accounts), id_token_signed_response_alg and request_object_signing_alg PS256, token_endpoint_auth_signing_alg
// PS256 for private_key_jwt, tls_client_auth_subject_dn (informational) for tls_client_auth.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "tools/sandbox/tls.hpp"
#include "tools/sandbox/uk_ob/clients.hpp"

namespace bankfeed::sandbox::uk_ob {

inline constexpr size_t kMaxRedirectUris = 20;

struct RegistrationContext {
  const TrustStore& trust;
  std::string issuer;  // aud must name it
  const std::vector<ClientAuthMethod>& supported;
  int64_t now = 0;  // Unix seconds
};

struct RegistrationError {
  std::string error;        // invalid_client_metadata, invalid_software_statement or invalid_redirect_uri
  std::string description;  // names the claim, never its value
};

// The client the request describes (client_id, issued_at and tls_fingerprint left for the caller).
tl::expected<RegisteredClient, RegistrationError> ParseRegistration(std::string_view jwt,
                                                                    const RegistrationContext& context);

// https://..., or http://127.0.0.1 / http://localhost (with an optional port and path); no fragment, no spaces.
bool IsAllowedRedirectUri(std::string_view uri);

}  // namespace bankfeed::sandbox::uk_ob
