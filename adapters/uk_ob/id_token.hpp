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
// An ID token in a token endpoint's answer (back channel: the code redemption, every refresh; OpenID Connect Core
// §§3.1.3.7, 3.3.3.6, 12.2) is validated the same way, except: no openbanking_intent_id, c_hash or s_hash is
// expected (an openbanking_intent_id that is present must still be the consent id); the nonce is checked on the
// code redemption only (a refresh's SHOULD NOT have one and is not looked at); and sub must be the one of the
// consent's front-channel ID token (ConsentGrant::id_token_subject). at_hash, when present, matches the new
// access token. A token answer without an ID token is the caller's business (§12.2: a refresh "might not contain"
// one).
//
// A bank that cannot meet one of these gets a relaxation as a profile flag, and every use of it is logged (never
// the token). Errors are kConsentInvalid naming the header field or claim and what was expected, never a value;
// a kid the JWKS does not have is kNotFound, so that the caller reads the JWKS again once and retries.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
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
  // A token endpoint's answer rather than the callback (see above). Then `code` and `state` are not used, `nonce`
  // is checked only when it is not empty (the code redemption), `intent_id` only when the claim is present, and
  // `subject` is the sub the token must carry.
  bool back_channel = false;
  std::string subject;
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

// The bank's keys: the cached JWKS, or with `reread` the JWKS read again from the bank.
using JwksSource = std::function<Result<std::shared_ptr<const Jwks>>(bool reread)>;
// ValidateIdToken against the bank's keys, read again once when the token's kid is not among them (the bank may
// have rotated its keys); a kid still unknown then is kConsentInvalid. A refusal is logged (its reason, never the
// token).
Result<IdTokenClaims> ValidateIdTokenWithKeys(std::string_view token, const JwksSource& keys,
                                              const IdTokenExpectations& expect);

}  // namespace bankfeed::uk_ob
