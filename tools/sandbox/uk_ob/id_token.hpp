// The sandbox bank's ID tokens (OpenID Connect Core §2, FAPI 1.0 Advanced 5.2.2), PS256 with the bank's key:
// header {"alg":"PS256","kid":...,"typ":"JWT"}; claims iss, sub (the consent id), aud (the client id), iat, exp
// (iat + 600), auth_time, nonce, openbanking_intent_id (the consent id), acr, and
// - front channel (the hybrid flow's redirect): c_hash and s_hash of the code and the state;
// - back channel (the token response): at_hash of the access token; a refresh's has no nonce (OpenID Connect Core
//   §12.2) and the original auth_time.
// With behaviour.oidc.id_token_fault the front-channel token gets exactly that one thing wrong, with
// behaviour.oidc.token_id_token the back channel's. Times are real Unix seconds, never the simulated day.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tools/sandbox/scenario.hpp"
#include "tools/sandbox/uk_ob/bank_keys.hpp"

namespace bankfeed::sandbox::uk_ob {

inline constexpr int64_t kIdTokenLifetimeS = 600;

struct IdTokenContent {
  std::string issuer, client_id, consent_id, nonce;
  int64_t now = 0, auth_time = 0;
  // Exactly one of these two sets: the front channel's code and state, or the back channel's access token.
  std::string code, state;
  std::string access_token;
};

// The signed token. `fault` applies to front-channel tokens only (pass std::nullopt for the token response).
std::string MakeIdToken(const IdTokenContent& content, const BankKeys& keys, std::optional<IdTokenFault> fault);

// The token endpoint's ID token for `mode` (not kNone): valid, or with another sub, signed by a key in no JWKS
// (under the JWKS's kid), from another issuer, or with the at_hash of another access token.
std::string MakeTokenIdToken(const IdTokenContent& content, const BankKeys& keys, TokenIdToken mode);

}  // namespace bankfeed::sandbox::uk_ob
