// The OpenSSL 3 calls behind the at-rest layer. See crypto/primitives.hpp.
#include "crypto/primitives.hpp"

#include <algorithm>
#include <memory>
#include <string>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "pki/openssl_ptr.hpp"

namespace bankfeed::crypto::detail {
namespace {

using pki::OsslDeleter;
using MacPtr = std::unique_ptr<EVP_MAC, OsslDeleter<EVP_MAC, EVP_MAC_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, OsslDeleter<EVP_MAC_CTX, EVP_MAC_CTX_free>>;
using KdfPtr = std::unique_ptr<EVP_KDF, OsslDeleter<EVP_KDF, EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, OsslDeleter<EVP_KDF_CTX, EVP_KDF_CTX_free>>;

// EVP update calls take an int length; longer inputs go in pieces.
constexpr size_t kChunk = size_t{1} << 30;

tl::unexpected<Error> Internal(std::string_view what) {
  return MakeError(ErrorCode::kInternal, "crypto: " + std::string(what) + " failed in OpenSSL");
}

unsigned char* Mutable(std::string_view s) {
  // OSSL_PARAM_construct_octet_string takes a non-const pointer, but only reads through it for input parameters.
  return const_cast<unsigned char*>(reinterpret_cast<const unsigned char*>(s.data()));  // NOLINT
}

// Associated data up to this size goes to GCM in one update, joined on the stack: each update costs more than
// hashing a few dozen bytes, and an envelope's parts (its header, then its row's name) are that short.
constexpr size_t kJoinedAad = 512;

// Feeds associated data to an initialised GCM context (out = null marks it as AAD).
bool AddAad(EVP_CIPHER_CTX* ctx, std::initializer_list<std::string_view> parts, bool encrypt) {
  size_t total = 0;
  for (const std::string_view part : parts) total += part.size();
  if (parts.size() > 1 && total <= kJoinedAad) {
    unsigned char joined[kJoinedAad];
    size_t at = 0;
    for (const std::string_view part : parts) {
      std::copy(part.begin(), part.end(), joined + at);
      at += part.size();
    }
    int len = 0;
    const int n = static_cast<int>(at);
    const int ok = encrypt ? EVP_EncryptUpdate(ctx, nullptr, &len, joined, n)
                           : EVP_DecryptUpdate(ctx, nullptr, &len, joined, n);
    return ok == 1;
  }
  for (const std::string_view part : parts) {
    for (size_t at = 0; at < part.size(); at += kChunk) {
      const size_t n = std::min(kChunk, part.size() - at);
      int len = 0;
      const auto* p = reinterpret_cast<const unsigned char*>(part.data() + at);
      const int ok = encrypt ? EVP_EncryptUpdate(ctx, nullptr, &len, p, static_cast<int>(n))
                             : EVP_DecryptUpdate(ctx, nullptr, &len, p, static_cast<int>(n));
      if (ok != 1) return false;
    }
  }
  return true;
}

// Runs `in` through the cipher into `out` (same length: GCM is a stream mode, so each update writes what it reads).
bool Transform(EVP_CIPHER_CTX* ctx, std::string_view in, unsigned char* out, bool encrypt) {
  for (size_t at = 0; at < in.size(); at += kChunk) {
    const size_t n = std::min(kChunk, in.size() - at);
    int len = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(in.data() + at);
    const int ok = encrypt ? EVP_EncryptUpdate(ctx, out + at, &len, p, static_cast<int>(n))
                           : EVP_DecryptUpdate(ctx, out + at, &len, p, static_cast<int>(n));
    if (ok != 1 || static_cast<size_t>(len) != n) return false;
  }
  return true;
}

}  // namespace

void KeyedGcm::CtxFree::operator()(evp_cipher_ctx_st* ctx) const { EVP_CIPHER_CTX_free(ctx); }

Result<KeyedGcm::CtxPtr> KeyedGcm::Keyed(KeyView key, bool encrypt) {
  const pki::ErrorQueueGuard errors;
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  // The key alone: the nonce is set per message. The default IV length of AES-GCM in OpenSSL is 12 bytes, the size
  // of NonceView, so no EVP_CTRL_GCM_SET_IVLEN.
  if (!ctx ||
      EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nullptr, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_get_iv_length(ctx.get()) != static_cast<int>(kNonceBytes)) {
    return Internal("AES-GCM key setup");
  }
  return ctx;
}

Result<AesGcmSealer> AesGcmSealer::Create(KeyView key) {
  BANKFEED_ASSIGN_OR_RETURN(CtxPtr ctx, Keyed(key, true));
  return AesGcmSealer(std::move(ctx));
}

Status AesGcmSealer::Seal(NonceView nonce, std::initializer_list<std::string_view> aad_parts,
                          std::string_view plaintext, std::span<unsigned char> out) {
  const pki::ErrorQueueGuard errors;
  if (out.size() != plaintext.size() + kTagBytes) {
    return MakeError(ErrorCode::kInternal, "crypto: AES-GCM output buffer has the wrong size");
  }
  EVP_CIPHER_CTX* ctx = ctx_.get();
  // Setting the nonce starts a new message under the context's key (counter, hash and tag state reset).
  bool ok = ctx != nullptr && EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data()) == 1 &&
            AddAad(ctx, aad_parts, true) && Transform(ctx, plaintext, out.data(), true);
  if (ok) {
    int len = 0;
    unsigned char* tag = out.data() + plaintext.size();
    // The tag through the parameter itself: EVP_CTRL_GCM_GET_TAG builds the same request, with a lookup more.
    OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, kTagBytes),
                           OSSL_PARAM_construct_end()};
    ok = EVP_EncryptFinal_ex(ctx, tag, &len) == 1 && len == 0 && EVP_CIPHER_CTX_get_params(ctx, params) == 1 &&
         params[0].return_size == kTagBytes;
  }
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    ctx_.reset();  // spent: a context in an unknown state is not used again
    return Internal("AES-GCM encryption");
  }
  return {};
}

Status AesGcmSeal(KeyView key, NonceView nonce, std::initializer_list<std::string_view> aad_parts,
                  std::string_view plaintext, std::span<unsigned char> out) {
  Result<AesGcmSealer> sealer = AesGcmSealer::Create(key);
  if (!sealer) {
    OPENSSL_cleanse(out.data(), out.size());
    return tl::unexpected(std::move(sealer).error());
  }
  return sealer->Seal(nonce, aad_parts, plaintext, out);
}

Result<AesGcmOpener> AesGcmOpener::Create(KeyView key) {
  BANKFEED_ASSIGN_OR_RETURN(CtxPtr ctx, Keyed(key, false));
  return AesGcmOpener(std::move(ctx));
}

Status AesGcmOpener::Open(NonceView nonce, std::initializer_list<std::string_view> aad_parts,
                          std::string_view sealed, std::span<unsigned char> out) {
  const pki::ErrorQueueGuard errors;
  if (sealed.size() < kTagBytes || out.size() != sealed.size() - kTagBytes) {
    return MakeError(ErrorCode::kInternal, "crypto: AES-GCM output buffer has the wrong size");
  }
  EVP_CIPHER_CTX* ctx = ctx_.get();
  if (ctx == nullptr) return Internal("AES-GCM decryption");
  const std::string_view ciphertext = sealed.substr(0, out.size());
  // EVP_CTRL_GCM_SET_TAG takes a non-const pointer; give it a copy rather than casting away const.
  std::array<unsigned char, kTagBytes> tag{};
  std::copy_n(reinterpret_cast<const unsigned char*>(sealed.data() + ciphertext.size()), kTagBytes, tag.begin());
  // Setting the nonce starts a new message under the context's key (counter, hash and tag state reset).
  if (EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data()) != 1 || !AddAad(ctx, aad_parts, false) ||
      !Transform(ctx, ciphertext, out.data(), false) ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), tag.data()) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    ctx_.reset();  // spent: a context in an unknown state is not used again
    return Internal("AES-GCM decryption");
  }
  int len = 0;
  unsigned char final_block[16];  // GCM writes nothing here; a buffer all the same, as the API asks for one
  if (EVP_DecryptFinal_ex(ctx, final_block, &len) != 1 || len != 0) {
    // The plaintext was written before the tag could be checked: do not leave unauthenticated bytes behind.
    OPENSSL_cleanse(out.data(), out.size());
    ctx_.reset();
    return MakeError(ErrorCode::kInvalidInput, "envelope: authentication failed");
  }
  return {};
}

Status AesGcmOpen(KeyView key, NonceView nonce, std::initializer_list<std::string_view> aad_parts,
                  std::string_view sealed, std::span<unsigned char> out) {
  Result<AesGcmOpener> opener = AesGcmOpener::Create(key);
  if (!opener) {
    OPENSSL_cleanse(out.data(), out.size());
    return tl::unexpected(std::move(opener).error());
  }
  return opener->Open(nonce, aad_parts, sealed, out);
}

Result<std::array<unsigned char, kMacBytes>> HmacSha256(std::span<const unsigned char> key,
                                                        std::initializer_list<std::string_view> parts) {
  const pki::ErrorQueueGuard errors;
  const MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) return Internal("HMAC fetch");
  const MacCtxPtr ctx(EVP_MAC_CTX_new(mac.get()));
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  if (!ctx || EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1) return Internal("HMAC init");
  for (const std::string_view part : parts) {
    if (EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(part.data()), part.size()) != 1) {
      return Internal("HMAC update");
    }
  }
  std::array<unsigned char, kMacBytes> out{};
  size_t len = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1 || len != out.size()) return Internal("HMAC final");
  return out;
}

Status HkdfSha256(std::span<const unsigned char> ikm, std::string_view salt, std::string_view info,
                  std::span<unsigned char> out) {
  const pki::ErrorQueueGuard errors;
  const KdfPtr kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (!kdf) return Internal("HKDF fetch");
  const KdfCtxPtr ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) return Internal("HKDF context");
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<unsigned char*>(ikm.data()),  // NOLINT: read
                                        ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, Mutable(salt), salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, Mutable(info), info.size()),
      OSSL_PARAM_construct_end()};
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return Internal("HKDF derivation");
  }
  return {};
}

}  // namespace bankfeed::crypto::detail
