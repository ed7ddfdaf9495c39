// crypto/keyring.hpp: the master keys of the at-rest encryption (docs/DESIGN.md §7), each under a key id, one of them
// active.
//
// A master key is 256 random bits. It is never used directly: each key gets two subkeys derived with HKDF-SHA256
// (RFC 5869), one for AES-256-GCM (Aead) and one for the lookup HMAC (LookupHasher), with distinct `info` labels.
// Every copy of a master key or subkey lives in a SecretKey, which OPENSSL_cleanse's its bytes on destruction.
//
// Key text (a key file, or an environment variable): one key per entry, `<key-id> <base64 of 32 bytes>`, where the
// key id is 1..255 characters of [A-Za-z0-9._-] (e.g. k2026-11) and the base64 is strict RFC 4648 with padding.
// The LAST key is the active one: new envelopes and lookups use it; the others only decrypt. Blank entries and
// entries starting with '#' are skipped; spaces, tabs and a CR around an entry are ignored. In a key file, entries
// are lines; in an environment variable, they are separated by newlines or ';'.
//
//   # /etc/bankfeed/at-rest.keys (mode 0600)
//   k2026-05 q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=
//   k2026-11 3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
//
// Rotation: append a new key (Rotate, then WriteKeyFile), restart with it, re-encrypt old envelopes
// (Aead::NeedsReencrypt / Aead::Reencrypt) and recompute lookups (LookupHasher::LookupWith), and only then drop the
// old key from the file.
//
// Errors are kConfig (loading) or kInvalidArgument (a bad key id given in code) and name the file, variable, line
// or entry and the reason, never a key id read from the text nor any key byte.
//
// A Keyring is immutable once built except through Add and Rotate, which must not run while another thread uses
// the same object. Const methods may run concurrently. A moved-from Keyring holds no keys and must not be used.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/result.hpp"
#include "crypto/primitives.hpp"

namespace bankfeed::crypto {

// 32 secret bytes, wiped when the object dies (copies and moves copy the bytes; each object wipes its own).
class SecretKey {
 public:
  SecretKey() = default;
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey();

  detail::KeyView view() const { return detail::KeyView(bytes_); }
  std::span<unsigned char, detail::kKeyBytes> mutable_view() { return bytes_; }

 private:
  std::array<unsigned char, detail::kKeyBytes> bytes_{};
};

// One key of a Keyring: its id and the two subkeys. The master key itself is only reachable by Keyring.
class KeyEntry {
 public:
  const std::string& id() const { return id_; }
  detail::KeyView aead_key() const { return aead_.view(); }
  detail::KeyView hmac_key() const { return hmac_.view(); }

 private:
  friend class Keyring;
  std::string id_;
  SecretKey master_;
  SecretKey aead_;
  SecretKey hmac_;
};

// True for 1..255 characters of [A-Za-z0-9._-].
bool IsValidKeyId(std::string_view key_id);

class Keyring {
 public:
  // Reads a key file: it must be a regular file that group and others can neither read nor write (the same check as
  // every secret file, pki::ReadSecretFile, on the mode bits of the opened file, so it holds for root too), else
  // kConfig "at-rest key file <path>: readable by group or others (mode 0644); chmod 600 it".
  static Result<Keyring> LoadFile(const std::string& path);
  // Reads the key text from an environment variable; kConfig if it is unset or empty.
  static Result<Keyring> LoadEnv(const std::string& variable);
  // Parses key text. `source` names it in messages ("at-rest key file /x"); entries are split at newlines, and also
  // at ';' when `semicolons` is true.
  static Result<Keyring> Parse(std::string_view text, std::string_view source, bool semicolons);
  // A keyring with one fresh random key (RAND_bytes), for first runs and tests.
  static Result<Keyring> Generate(std::string_view key_id);

  Keyring(Keyring&&) noexcept = default;
  Keyring& operator=(Keyring&&) noexcept = default;
  Keyring(const Keyring&) = default;  // copies the keys (each copy is wiped in turn); used to prepare a rotation
  Keyring& operator=(const Keyring&) = default;
  ~Keyring() = default;

  // Adds a key and makes it the active one. kInvalidArgument for a bad or duplicate key id.
  Status Add(std::string_view key_id, std::span<const unsigned char, detail::kKeyBytes> master_key);
  // Adds a fresh random key under `key_id` and makes it the active one.
  Status Rotate(std::string_view key_id);

  // Writes the key text (every key, the active one last) to `path` with mode 0600: into a temporary file in the same
  // directory, flushed to disk, then renamed over `path`, so a reader sees the old file or the new one, never a
  // part. Replaces an existing file. kConfig on failure (naming the path and the reason).
  Status WriteKeyFile(const std::string& path) const;

  const KeyEntry& active() const { return entries_.back(); }
  const std::string& active_key_id() const { return entries_.back().id(); }
  // The key with this id, or null.
  const KeyEntry* Find(std::string_view key_id) const;
  // Key ids in file order (the active one last).
  std::vector<std::string> key_ids() const;
  size_t size() const { return entries_.size(); }

 private:
  Keyring() = default;

  std::vector<KeyEntry> entries_;  // never empty once built
};

}  // namespace bankfeed::crypto
