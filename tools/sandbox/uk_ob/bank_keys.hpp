// The sandbox bank's own signing keys: RSA 2048, made fresh at every server start (OpenSSL 3 EVP), published as a
// JWKS at /as/jwks and used for ID tokens.
//
// With `oidc.rotate_signing_key` there are two keys: the first JWKS fetch serves key A only, every later fetch A and
// B, and ID tokens are signed with B, so a client that reads the JWKS again once on an unknown kid succeeds. With
// `id_token_fault: wrong_key` a third key signs, which no JWKS ever serves.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "tools/sandbox/scenario.hpp"
#include "tools/sandbox/uk_ob/jwt.hpp"

namespace bankfeed::sandbox::uk_ob {

struct BankKey {
  SharedKey key;    // private and public
  std::string kid;  // base64url of the first 12 bytes of SHA-256(DER SubjectPublicKeyInfo)
};

class BankKeys {
 public:
  // Makes the keys the scenario needs; aborts if OpenSSL cannot make an RSA key (a broken host).
  explicit BankKeys(const OidcOptions& oidc);

  // The JWKS document for this fetch (counts fetches).
  std::string JwksJson();
  // The key ID tokens are signed with (B when rotating, else A).
  const BankKey& IdTokenKey() const { return rotate_ ? second_ : first_; }
  // The key outside every JWKS (wrong_key), nullptr unless the scenario asks for it.
  const BankKey* ForeignKey() const { return foreign_ ? &*foreign_ : nullptr; }

 private:
  bool rotate_ = false;
  BankKey first_, second_;
  std::optional<BankKey> foreign_;
  std::atomic<int64_t> fetches_{0};
};

// {"kty":"RSA","use":"sig","alg":"PS256","kid":...,"n":...,"e":...}
std::string JwkJson(const BankKey& key);
// The public key as PEM (SubjectPublicKeyInfo): what the hs256_public_key fault keys its HMAC with.
std::string PublicKeyPem(EVP_PKEY* key);

}  // namespace bankfeed::sandbox::uk_ob
