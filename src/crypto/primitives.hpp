// crypto/primitives.hpp: the OpenSSL calls under the at-rest layer, one function each: AES-256-GCM with an explicit
// nonce, HMAC-SHA256 (EVP_MAC "HMAC") and HKDF-SHA256 (EVP_KDF "HKDF").
//
// Internal: only crypto/*.cpp and the known-answer tests (tests/unit/crypto/kat_test.cpp) include this. Everything
// else goes through Aead (which always draws a fresh random nonce) and LookupHasher. A caller that picks its own
// nonce and ever repeats it under one key gives away the authentication key and the XOR of the two plaintexts.
//
// No function here puts key bytes, plaintext or ciphertext into an error message. Each leaves the thread's OpenSSL
// error queue as it found it.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>
#include <utility>

#include "bankfeed/result.hpp"

struct evp_cipher_ctx_st;  // OpenSSL's EVP_CIPHER_CTX

namespace bankfeed::crypto::detail {

inline constexpr size_t kKeyBytes = 32;    // AES-256, and every master key and subkey
inline constexpr size_t kNonceBytes = 12;  // the GCM nonce size NIST SP 800-38D recommends
inline constexpr size_t kTagBytes = 16;    // the full GCM tag
inline constexpr size_t kMacBytes = 32;    // HMAC-SHA256

using KeyView = std::span<const unsigned char, kKeyBytes>;
using NonceView = std::span<const unsigned char, kNonceBytes>;

inline std::span<const unsigned char> Bytes(std::string_view s) {
  return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

// AES-256-GCM encryption. The associated data is the concatenation of `aad_parts`, authenticated in that order.
// Writes the ciphertext (plaintext.size() bytes) and then the 16-byte tag to `out`, which must hold
// plaintext.size() + kTagBytes bytes. kInternal if OpenSSL fails.
Status AesGcmSeal(KeyView key, NonceView nonce, std::initializer_list<std::string_view> aad_parts,
                  std::string_view plaintext, std::span<unsigned char> out);

// A keyed AES-256-GCM context for one direction: the key schedule is computed once, and each message only sets the
// nonce. One thread at a time: an object is never used concurrently. Its key schedule is wiped when it dies
// (EVP_CIPHER_CTX_free). After a failure the object is spent: every later call fails too (make a new one).
class KeyedGcm {
 public:
  bool spent() const { return ctx_ == nullptr; }

 protected:
  struct CtxFree {
    void operator()(evp_cipher_ctx_st* ctx) const;
  };
  using CtxPtr = std::unique_ptr<evp_cipher_ctx_st, CtxFree>;
  // A context keyed for encryption or decryption; kInternal if OpenSSL fails.
  static Result<CtxPtr> Keyed(KeyView key, bool encrypt);
  explicit KeyedGcm(CtxPtr ctx) : ctx_(std::move(ctx)) {}
  CtxPtr ctx_;
};

// AES-256-GCM encryption under one key, keyed once (what AesGcmSeal does in one go, without the per-call context
// and key setup). Seal's contract is AesGcmSeal's; the nonce must still never repeat under the key.
class AesGcmSealer : public KeyedGcm {
 public:
  static Result<AesGcmSealer> Create(KeyView key);  // kInternal if OpenSSL fails

  Status Seal(NonceView nonce, std::initializer_list<std::string_view> aad_parts, std::string_view plaintext,
              std::span<unsigned char> out);

 private:
  using KeyedGcm::KeyedGcm;
};

// The inverse: `sealed` is ciphertext then tag (at least kTagBytes), `out` holds sealed.size() - kTagBytes bytes.
// A wrong tag (or key, nonce or associated data) is kInvalidInput "envelope: authentication failed", and `out` is
// then overwritten with zeros, since GCM decrypts before it can check the tag.
Status AesGcmOpen(KeyView key, NonceView nonce, std::initializer_list<std::string_view> aad_parts,
                  std::string_view sealed, std::span<unsigned char> out);

// AesGcmOpen under one key, keyed once. Open's contract is AesGcmOpen's; a wrong tag spends the object too.
class AesGcmOpener : public KeyedGcm {
 public:
  static Result<AesGcmOpener> Create(KeyView key);  // kInternal if OpenSSL fails

  Status Open(NonceView nonce, std::initializer_list<std::string_view> aad_parts, std::string_view sealed,
              std::span<unsigned char> out);

 private:
  using KeyedGcm::KeyedGcm;
};

// HMAC-SHA256 over the concatenation of `parts`. The key may be of any length (RFC 2104). kInternal on failure.
Result<std::array<unsigned char, kMacBytes>> HmacSha256(std::span<const unsigned char> key,
                                                        std::initializer_list<std::string_view> parts);

// HKDF-SHA256 (RFC 5869), extract then expand, into `out` (1..255*32 bytes). kInternal on failure.
Status HkdfSha256(std::span<const unsigned char> ikm, std::string_view salt, std::string_view info,
                  std::span<unsigned char> out);

}  // namespace bankfeed::crypto::detail
