// crypto/aead.hpp: AES-256-GCM envelopes for tokens and personal fields at rest (docs/DESIGN.md §7).
//
// Envelope layout (all bytes, stored as a BLOB):
//
//   version (1 byte, = 1) | key-id length n (1 byte, 1..255) | key id (n bytes) | nonce (12) | ciphertext | tag (16)
//
// The ciphertext has the plaintext's length. The GCM key is the AEAD subkey of the key named in the envelope
// (see keyring.hpp), so old keys still decrypt after a rotation. The authenticated data is the envelope header
// (version, length, key id) followed by the caller's associated data. The associated data is not stored. It binds
// an envelope to its place, e.g. "accounts.iban:acc_1f3c...". A value copied into another row or column then fails
// to decrypt.
//
// Nonces are 96 random bits from RAND_bytes per envelope. Keep each key under 2^32 envelopes (NIST SP 800-38D
// §8.3); rotate long before that. Each thread draws its nonces from RAND_bytes a few hundred at a time and hands
// each one out once; a forked child drops what its parent had drawn (so the two never share one).
//
// Decrypt refuses every malformed, truncated, unknown-key or tampered envelope with kInvalidInput and a fixed message
// ("envelope: truncated", "envelope: unknown key id", "envelope: authentication failed", ...). The message never
// holds key bytes, plaintext, ciphertext or the envelope's key id. Unauthenticated plaintext is wiped, never
// returned.
//
// An Aead shares its Keyring (immutable) and all methods may run concurrently. Encrypt keeps one keyed AES-GCM
// context per thread (the key schedule is computed once, not per envelope), and so does Decrypt (keyed for the key
// of the last envelope it opened): a thread only ever uses its own, and each is freed, with its key schedule wiped,
// when its thread ends or when the Aead (and every copy of it) is destroyed, whichever comes first.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "bankfeed/result.hpp"
#include "crypto/keyring.hpp"

namespace bankfeed::crypto {

inline constexpr unsigned char kEnvelopeVersion = 1;

namespace detail {
struct SealerCache;  // the per-thread keyed AES-GCM contexts of an Aead and its copies (aead.cpp)
}  // namespace detail

// The key id an envelope names (a view into `envelope`). Checks the header only, not the authenticity:
// kInvalidInput for anything that is not a version-1 header with a valid key id and room for a nonce and a tag.
Result<std::string_view> EnvelopeKeyId(std::string_view envelope);

class Aead {
 public:
  explicit Aead(std::shared_ptr<const Keyring> keys);  // never null
  explicit Aead(Keyring keys);

  // Seals `plaintext` under the active key. kInternal only if OpenSSL or the random generator fails.
  Result<std::string> Encrypt(std::string_view plaintext, std::string_view associated_data) const;
  // Encrypt, with the envelope appended to `out` (what `out` held is kept): many envelopes in one buffer, without
  // an allocation each. On an error `out` is as it was.
  Status EncryptAppend(std::string_view plaintext, std::string_view associated_data, std::string& out) const;

  // Opens an envelope made by Encrypt with the same associated data, under whichever key of the ring it names.
  Result<std::string> Decrypt(std::string_view envelope, std::string_view associated_data) const;
  // Decrypt into `out`, resized to the plaintext (its capacity reused across calls: one buffer for many envelopes).
  // The caller wipes `out` when done with it; on an error `out` is left wiped and empty.
  Status DecryptInto(std::string_view envelope, std::string_view associated_data, std::string& out) const;

  // True when the envelope is not under the active key (so a rotation should re-encrypt it). Reads the header
  // only, like EnvelopeKeyId, whose errors it returns.
  Result<bool> NeedsReencrypt(std::string_view envelope) const;

  // Decrypts and seals the plaintext again under the active key, wiping the plaintext in between. Returns the
  // envelope unchanged when it already is under the active key (after checking that it decrypts).
  Result<std::string> Reencrypt(std::string_view envelope, std::string_view associated_data) const;

  const Keyring& keys() const { return *keys_; }

 private:
  std::shared_ptr<const Keyring> keys_;
  std::shared_ptr<detail::SealerCache> sealers_;  // never null
};

}  // namespace bankfeed::crypto
