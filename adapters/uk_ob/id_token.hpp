// adapters/uk_ob/id_token.hpp: the ID token of a UK Open Banking hybrid-flow callback (FAPI 1.0 Advanced §5.2.2,
// OpenID Connect Core §§3.3.2.11-12), validated completely before the consent may become valid:
// - the JOSE header: alg PS256 only (never none, HS*, RS256), no crit, a kid the bank's JWKS has;
// - the signature, with that key;
// - iss is the bank's issuer; aud holds our client id (with several audiences, azp is our client id);
// - exp not passed, iat not in the future, not older than max_age (both with the leeway);
// - nonce is the one sent in the request object; openbanking_intent_id is the consent id;
// - c_hash and s_hash match the code and the state (base64url of the left half of their SHA-256), and at_hash
//   matches the access token when the token carries it; sub is present.
//
// A bank that cannot meet one of these gets a relaxation as a profile flag, and every use of it is logged (never
// the token). Errors are kConsentInvalid naming the header field or claim and what was expected, never a value;
// a kid the JWKS does not have is kNotFound, so that the caller reads the JWKS again once and retries.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/uk_ob/jwks.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::uk_ob {

struct IdTokenRelaxations {
  bool nonce_optional = false;   // the bank leaves nonce out (a nonce that is present must still match)
  bool s_hash_optional = false;  // the bank leaves s_hash out (one that is present must still match)
};

struct IdTokenExpectations {
  std::string bank_id;          // for errors and logs
  std::string issuer;           // the discovery document's issuer
  std::string client_id;        // our client id at the bank
  std::string nonce;            // sent in the request object
  std::string intent_id;        // the account-access consent's id
  std::string code;             // the authorization code the callback brought (c_hash)
  std::string state;            // the state the callback brought (s_hash)
  std::string access_token;     // when known: at_hash, if the token has one
  int64_t now = 0;              // Unix seconds
  std::chrono::seconds leeway{60};     // clock skew allowed on exp and iat
  std::chrono::seconds max_age{3600};  // an older iat is refused
  IdTokenRelaxations relax;
};

struct IdTokenClaims {
  std::string sub;
  std::string acr;  // empty when absent
  int64_t iat = 0, exp = 0;
  std::optional<int64_t> auth_time;
};

inline constexpr size_t kMaxIdTokenBytes = 16 * 1024;

// The hash claims' value for `value`: base64url of the left half of SHA-256 (the hash of PS256).
std::string HalfSha256(std::string_view value);

Result<IdTokenClaims> ValidateIdToken(std::string_view token, const Jwks& jwks, const IdTokenExpectations& expect);

}  // namespace bankfeed::uk_ob
