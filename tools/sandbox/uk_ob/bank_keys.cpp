// The sandbox bank's signing keys. See uk_ob/bank_keys.hpp.
#include "tools/sandbox/uk_ob/bank_keys.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <cstdlib>

#include "signing/base64.hpp"
#include "tools/sandbox/json_writer.hpp"

namespace bankfeed::sandbox::uk_ob {
namespace {

constexpr size_t kKidBytes = 12;

std::string KidOf(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key, &der);
  if (len <= 0) std::abort();
  unsigned char hash[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<size_t>(len), hash);
  OPENSSL_free(der);
  return signing::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(hash), kKidBytes));
}

BankKey NewKey() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  if (key == nullptr) std::abort();  // no RSA key generation: nothing the sandbox could sign with
  BankKey out{SharedKey(key, EVP_PKEY_free), {}};
  out.kid = KidOf(key);
  return out;
}

std::string BigNumParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) std::abort();
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(bn);
  return signing::Base64UrlEncode(bytes);
}

void WriteJwk(JsonWriter& w, const BankKey& key) {
  w.BeginObject();
  w.Key("kty").String("RSA");
  w.Key("use").String("sig");
  w.Key("alg").String("PS256");
  w.Key("kid").String(key.kid);
  w.Key("n").String(BigNumParam(key.key.get(), OSSL_PKEY_PARAM_RSA_N));
  w.Key("e").String(BigNumParam(key.key.get(), OSSL_PKEY_PARAM_RSA_E));
  w.EndObject();
}

}  // namespace

BankKeys::BankKeys(const OidcOptions& oidc) : rotate_(oidc.rotate_signing_key), first_(NewKey()) {
  if (rotate_) second_ = NewKey();
  if (oidc.id_token_fault == IdTokenFault::kWrongKey) foreign_ = NewKey();
}

std::string BankKeys::JwksJson() {
  const int64_t fetch = ++fetches_;
  JsonWriter w;
  w.BeginObject().Key("keys").BeginArray();
  WriteJwk(w, first_);
  if (rotate_ && fetch > 1) WriteJwk(w, second_);
  w.EndArray().EndObject();
  return w.Take();
}

std::string JwkJson(const BankKey& key) {
  JsonWriter w;
  WriteJwk(w, key);
  return w.Take();
}

std::string PublicKeyPem(EVP_PKEY* key) {
  pki::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) std::abort();
  return pki::BioContents(bio.get());
}

}  // namespace bankfeed::sandbox::uk_ob
