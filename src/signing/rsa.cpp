#include "signing/rsa.hpp"

#include <memory>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

namespace bankfeed::signing {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

// PS256 needs 2048 bits (RFC 7518 §3.5, and the OB directory issues 2048-bit keys). PKCS#1 v1.5 keeps no floor
// here: the draft's own Appendix C test key has 1024 bits; certificate policy belongs to src/pki.
constexpr int kMinPssBits = 2048;

// OpenSSL leaves its reasons on a per-thread queue; they could name key details, and a later unrelated call would
// find them. Drop them: our message says what failed.
tl::unexpected<Error> RsaError(ErrorCode code, std::string message) {
  ERR_clear_error();
  return MakeError(code, std::move(message));
}

Status CheckKey(RsaScheme scheme, EVP_PKEY* key, const std::string& what) {
  if (key == nullptr) return RsaError(ErrorCode::kInvalidArgument, what + ": null");
  const bool rsa = EVP_PKEY_is_a(key, "RSA") == 1;
  const bool rsa_pss = EVP_PKEY_is_a(key, "RSA-PSS") == 1;
  if (scheme == RsaScheme::kPkcs1Sha256 && !rsa) return RsaError(ErrorCode::kConfig, what + ": not an RSA key");
  if (scheme == RsaScheme::kPssSha256) {
    if (!rsa && !rsa_pss) return RsaError(ErrorCode::kConfig, what + ": not an RSA key");
    if (EVP_PKEY_get_bits(key) < kMinPssBits) {
      return RsaError(ErrorCode::kConfig, what + ": PS256 needs an RSA key of at least 2048 bits");
    }
  }
  return {};
}

// Sets PSS with a 32-byte salt and MGF1-SHA-256 on a DigestSign/DigestVerify context; PKCS#1 v1.5 is the default.
bool SetPadding(RsaScheme scheme, EVP_PKEY_CTX* pctx) {
  if (scheme == RsaScheme::kPkcs1Sha256) return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) == 1 && EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1;
}

}  // namespace

Result<std::string> RsaSign(RsaScheme scheme, std::string_view data, EVP_PKEY* key) {
  BANKFEED_RETURN_IF_ERROR(CheckKey(scheme, key, "signing key"));
  const MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) != 1 || !SetPadding(scheme, pctx)) {
    return RsaError(ErrorCode::kConfig, "signing key: cannot sign with it (no private key?)");
  }
  size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()) != 1) {
    return RsaError(ErrorCode::kConfig, "signing key: cannot sign with it (no private key?)");
  }
  std::string signature(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len, in, data.size()) != 1) {
    return RsaError(ErrorCode::kConfig, "signing key: cannot sign with it (no private key?)");
  }
  signature.resize(len);
  return signature;
}

Status RsaVerify(RsaScheme scheme, std::string_view data, std::string_view signature, EVP_PKEY* key) {
  BANKFEED_RETURN_IF_ERROR(CheckKey(scheme, key, "verification key"));
  // An RSA signature is exactly as long as the modulus (RFC 8017 §8.1.2, §8.2.2): anything else is not one.
  if (signature.size() != static_cast<size_t>(EVP_PKEY_get_size(key))) {
    return RsaError(ErrorCode::kInvalidInput, "signature does not verify (wrong length for the key)");
  }
  const MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) != 1 || !SetPadding(scheme, pctx)) {
    return RsaError(ErrorCode::kConfig, "verification key: cannot verify with it");
  }
  if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return RsaError(ErrorCode::kInvalidInput, "signature does not verify");
  }
  return {};
}

}  // namespace bankfeed::signing
