// A bank's JSON Web Key Set. See adapters/uk_ob/jwks.hpp.
#include "adapters/uk_ob/jwks.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <simdjson.h>

#include "signing/base64.hpp"

namespace bankfeed::uk_ob {
namespace {

constexpr int kMinRsaBits = 2048;

Error JwksError(const std::string& where, std::string_view reason) {
  return Error(ErrorCode::kInvalidInput, "jwks" + where + ": " + std::string(reason));
}

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

// An RSA public key from the JWK's base64url `n` and `e`.
Result<std::shared_ptr<EVP_PKEY>> RsaPublicKey(std::string_view n_b64u, std::string_view e_b64u,
                                               const std::string& where) {
  BANKFEED_ASSIGN_OR_RETURN(const std::string n, signing::Base64UrlDecode(n_b64u, "jwks" + where + ".n"));
  BANKFEED_ASSIGN_OR_RETURN(const std::string e, signing::Base64UrlDecode(e_b64u, "jwks" + where + ".e"));
  if (n.empty() || n.front() == '\0') return tl::unexpected(JwksError(where + ".n", "not a minimal big-endian integer"));
  if (e.empty() || e.size() > 8 || e.front() == '\0') {
    return tl::unexpected(JwksError(where + ".e", "not a public exponent"));
  }
  Bn bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr));
  Bn bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr));
  if (!bn_n || !bn_e) return tl::unexpected(Error(ErrorCode::kInternal, "jwks: out of memory"));
  if (BN_num_bits(bn_n.get()) < kMinRsaBits) {
    return tl::unexpected(JwksError(where + ".n", "an RSA key of fewer than 2048 bits"));
  }
  if (!BN_is_odd(bn_e.get()) || BN_is_one(bn_e.get())) {
    return tl::unexpected(JwksError(where + ".e", "not a public exponent"));
  }
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!build || OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return tl::unexpected(Error(ErrorCode::kInternal, "jwks: out of memory"));
  }
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(build.get()),
                                                                 OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr),
                                                                   EVP_PKEY_CTX_free);
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return tl::unexpected(JwksError(where, "not a usable RSA public key"));
  }
  return std::shared_ptr<EVP_PKEY>(raw, EvpPkeyFree());
}

}  // namespace

void EvpPkeyFree::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

const SigningKey* Jwks::Find(std::string_view kid) const {
  if (kid.empty()) return keys.size() == 1 ? &keys.front() : nullptr;
  for (const SigningKey& k : keys) {
    if (k.kid == kid) return &k;
  }
  return nullptr;
}

Result<Jwks> ParseJwks(std::string_view json) {
  if (json.size() > kMaxJwksBytes) return tl::unexpected(JwksError("", "larger than 256 KiB"));
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return tl::unexpected(JwksError("", "not JSON"));
  }
  simdjson::dom::array list;
  if (root["keys"].get_array().get(list) != simdjson::SUCCESS) {
    return tl::unexpected(JwksError(".keys", "expected a list of keys"));
  }
  Jwks out;
  size_t index = 0;
  for (simdjson::dom::element item : list) {
    const std::string where = ".keys[" + std::to_string(index++) + "]";
    simdjson::dom::object key;
    if (item.get_object().get(key) != simdjson::SUCCESS) return tl::unexpected(JwksError(where, "expected an object"));
    auto text = [&](const char* name) -> Result<std::string_view> {
      simdjson::dom::element value;
      if (key[name].get(value) != simdjson::SUCCESS) return std::string_view();
      std::string_view s;
      if (value.get_string().get(s) != simdjson::SUCCESS) {
        return tl::unexpected(JwksError(where + "." + name, "expected a string"));
      }
      return s;
    };
    BANKFEED_ASSIGN_OR_RETURN(std::string_view kty, text("kty"));
    BANKFEED_ASSIGN_OR_RETURN(std::string_view use, text("use"));
    BANKFEED_ASSIGN_OR_RETURN(std::string_view alg, text("alg"));
    BANKFEED_ASSIGN_OR_RETURN(std::string_view kid, text("kid"));
    if (kty.empty()) return tl::unexpected(JwksError(where + ".kty", "missing"));
    if (kty != "RSA" || (!use.empty() && use != "sig") || (!alg.empty() && alg != "PS256")) continue;
    BANKFEED_ASSIGN_OR_RETURN(std::string_view n, text("n"));
    BANKFEED_ASSIGN_OR_RETURN(std::string_view e, text("e"));
    if (n.empty() || e.empty()) return tl::unexpected(JwksError(where, "an RSA key needs n and e"));
    BANKFEED_ASSIGN_OR_RETURN(std::shared_ptr<EVP_PKEY> public_key, RsaPublicKey(n, e, where));
    for (const SigningKey& seen : out.keys) {
      if (seen.kid == kid) return tl::unexpected(JwksError(where + ".kid", "used by two signing keys"));
    }
    out.keys.push_back(SigningKey{std::string(kid), std::move(public_key)});
  }
  return out;
}

}  // namespace bankfeed::uk_ob
