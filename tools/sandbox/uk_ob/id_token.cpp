// ID tokens. See uk_ob/id_token.hpp.
#include "tools/sandbox/uk_ob/id_token.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <cstdlib>

#include "signing/base64.hpp"
#include "signing/compact_jws.hpp"
#include "tools/sandbox/json_writer.hpp"
#include "tools/sandbox/random.hpp"
#include "tools/sandbox/uk_ob/request_object.hpp"

namespace bankfeed::sandbox::uk_ob {
namespace {

using F = IdTokenFault;

constexpr int64_t kFaultShiftS = 600;  // expired, future_iat: ten minutes off

std::string HeaderJson(std::string_view alg, std::string_view kid) {
  JsonWriter w;
  w.BeginObject().Key("alg").String(alg).Key("kid").String(kid).Key("typ").String("JWT").EndObject();
  return w.Take();
}

// `subject`: the sub, when not the consent id (token_id_token: other_sub).
std::string ClaimsJson(const IdTokenContent& c, std::optional<F> fault, std::string_view subject = {}) {
  const auto is = [&](F f) { return fault == f; };
  const bool front = c.access_token.empty();
  const int64_t iat = is(F::kFutureIat) ? c.now + kFaultShiftS : c.now;
  const int64_t exp = is(F::kExpired) ? c.now - kFaultShiftS : c.now + kIdTokenLifetimeS;
  JsonWriter w;
  w.BeginObject();
  w.Key("iss").String(is(F::kOtherIssuer) ? "https://other-issuer.invalid.example" : c.issuer);
  w.Key("sub").String(subject.empty() ? std::string_view(c.consent_id) : subject);
  w.Key("aud").String(is(F::kOtherAudience) ? "other-client-" + RandomHex(8) : c.client_id);
  w.Key("iat").Int(iat);
  w.Key("exp").Int(exp);
  w.Key("auth_time").Int(c.auth_time);
  if (!is(F::kMissingNonce) && !c.nonce.empty()) {  // empty: a refresh's token (OpenID Connect Core §12.2)
    w.Key("nonce").String(is(F::kOtherNonce) ? "other-" + RandomHex(8) : c.nonce);
  }
  w.Key("openbanking_intent_id").String(is(F::kOtherIntentId) ? "urn-delta-intent-" + RandomHex(12) : c.consent_id);
  w.Key("acr").String(kAcrSca);
  if (front) {
    if (!is(F::kMissingCHash)) w.Key("c_hash").String(HalfSha256(is(F::kBadCHash) ? c.code + "-other" : c.code));
    if (!is(F::kMissingSHash)) w.Key("s_hash").String(HalfSha256(is(F::kBadSHash) ? c.state + "-other" : c.state));
  } else {
    w.Key("at_hash").String(HalfSha256(c.access_token));
  }
  w.EndObject();
  return w.Take();
}

std::string Sign(std::string_view header, std::string_view claims, EVP_PKEY* key) {
  auto token = signing::SignCompactJwsPs256(header, claims, key);
  if (!token) std::abort();  // our own fresh RSA 2048 key: cannot fail
  return *token;
}

// HS256 keyed with the public key's PEM: the algorithm-confusion attack on a client that trusts the header's alg.
std::string SignHs256WithPublicKey(std::string_view header, std::string_view claims, EVP_PKEY* public_key) {
  const std::string input = signing::Base64UrlEncode(header) + "." + signing::Base64UrlEncode(claims);
  const std::string secret = PublicKeyPem(public_key);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len) == nullptr) {
    std::abort();
  }
  return input + "." + signing::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), len));
}

// A key in no JWKS, for token_id_token: wrong_key (BankKeys makes one only for id_token_fault: wrong_key). Made
// once, on first use.
EVP_PKEY* OutsideKey(const BankKeys& keys) {
  if (keys.ForeignKey() != nullptr) return keys.ForeignKey()->key.get();
  static const SharedKey outside = [] {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    if (key == nullptr) std::abort();  // no RSA key generation: a broken host
    return SharedKey(key, EVP_PKEY_free);
  }();
  return outside.get();
}

}  // namespace

std::string MakeTokenIdToken(const IdTokenContent& content, const BankKeys& keys, TokenIdToken mode) {
  const BankKey& key = keys.IdTokenKey();
  switch (mode) {
    case TokenIdToken::kOtherSub:
      return Sign(HeaderJson("PS256", key.kid), ClaimsJson(content, std::nullopt, "other-customer-" + RandomHex(8)),
                  key.key.get());
    case TokenIdToken::kWrongKey:
      return Sign(HeaderJson("PS256", key.kid), ClaimsJson(content, std::nullopt), OutsideKey(keys));
    case TokenIdToken::kOtherIssuer:
      return Sign(HeaderJson("PS256", key.kid), ClaimsJson(content, F::kOtherIssuer), key.key.get());
    case TokenIdToken::kBadAtHash: {
      IdTokenContent other = content;
      other.access_token += "-other";
      return Sign(HeaderJson("PS256", key.kid), ClaimsJson(other, std::nullopt), key.key.get());
    }
    case TokenIdToken::kNone:
    case TokenIdToken::kValid:
      break;
  }
  return Sign(HeaderJson("PS256", key.kid), ClaimsJson(content, std::nullopt), key.key.get());
}

std::string MakeIdToken(const IdTokenContent& content, const BankKeys& keys, std::optional<IdTokenFault> fault) {
  const BankKey& key = keys.IdTokenKey();
  const std::string claims = ClaimsJson(content, fault);
  if (fault == F::kWrongKey && keys.ForeignKey() != nullptr) {
    return Sign(HeaderJson("PS256", key.kid), claims, keys.ForeignKey()->key.get());  // the JWKS's kid, not its key
  }
  if (fault == F::kAlgNone) {
    return signing::Base64UrlEncode(HeaderJson("none", key.kid)) + "." + signing::Base64UrlEncode(claims) + ".";
  }
  if (fault == F::kHs256PublicKey) return SignHs256WithPublicKey(HeaderJson("HS256", key.kid), claims, key.key.get());
  if (fault == F::kUnknownKid) return Sign(HeaderJson("PS256", "unknown-" + RandomHex(8)), claims, key.key.get());
  return Sign(HeaderJson("PS256", key.kid), claims, key.key.get());
}

}  // namespace bankfeed::sandbox::uk_ob
