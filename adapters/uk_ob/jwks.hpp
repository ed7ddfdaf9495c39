// adapters/uk_ob/jwks.hpp: a bank's JSON Web Key Set (RFC 7517), as its OpenID discovery document's `jwks_uri`
// serves it: the public keys its ID tokens are signed with.
//
// Only what can verify a FAPI 1.0 Advanced ID token is kept: RSA keys (kty "RSA", 2048 bits or more) meant for
// signatures (no `use`, or `use: sig`) and for PS256 (no `alg`, or `alg: PS256`). Other keys (encryption keys, EC
// keys, other algorithms) are skipped, not refused: a bank's set serves more than this client. A malformed set, or
// a malformed RSA signing key in it, is kInvalidInput naming the key's index and field, never key material.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/types.h>

#include "bankfeed/result.hpp"

namespace bankfeed::uk_ob {

struct EvpPkeyFree {
  void operator()(EVP_PKEY* key) const;
};

struct SigningKey {
  std::string kid;  // empty when the set gave none
  std::shared_ptr<EVP_PKEY> key;
};

struct Jwks {
  std::vector<SigningKey> keys;
  // The key with this kid; with an empty kid, the set's only key (nullptr when there are several or none).
  const SigningKey* Find(std::string_view kid) const;
};

inline constexpr size_t kMaxJwksBytes = 256 * 1024;

Result<Jwks> ParseJwks(std::string_view json);

}  // namespace bankfeed::uk_ob
