// crypto/lookup.hpp: blind indexes for encrypted columns (docs/DESIGN.md §7, "Lookups use a keyed HMAC").
//
// An encrypted IBAN cannot be searched, and encrypting the same IBAN twice gives two different envelopes. Next to
// the envelope the store keeps Lookup("iban", iban): HMAC-SHA256 under the lookup subkey of the ACTIVE key, over
//
//   purpose | 0x00 | normalised value
//
// The same value under the same key and purpose always gives the same 32 bytes. Another purpose or another key
// gives unrelated bytes. So the store can find "the account with this IBAN" by equality, and equal IBANs in two
// tables do not reveal that they are equal. The purpose is 1..64 characters of [A-Za-z0-9._-]; it cannot hold the
// 0x00, so purpose and value never run into each other.
//
// Normalisation makes spellings of one value meet. A purpose must always use the same mode:
//   kCompact  every ASCII white-space byte removed, ASCII letters upper-cased: IBANs, BICs, account numbers
//             ("de89 3704 0044 0532 0130 00" and "DE89370400440532013000" give the same lookup);
//   kText     ASCII white space trimmed at both ends and each inner run made one space, ASCII letters lower-cased:
//             names, remittance references. Bytes >= 0x80 pass unchanged (no Unicode case folding and no NFC):
//             callers hand in NFC UTF-8;
//   kExact    the bytes as given: tokens, ids.
//
// Rotation: lookups are under the active key's subkey, so after a rotation a stored lookup no longer matches a new
// one. Rotating the key means recomputing every stored lookup. LookupWith(key_id, ...) computes one under any key of
// the ring, so a migration can query with both the old and the new lookup until it has rewritten every row.
//
// Errors name the purpose rule or "unknown key id", never the value. Normalised copies of the value are wiped.
// All methods are const and may run concurrently.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "bankfeed/result.hpp"
#include "crypto/keyring.hpp"

namespace bankfeed::crypto {

enum class Normalization { kExact, kCompact, kText };

using LookupValue = std::array<unsigned char, detail::kMacBytes>;

// The normalised form (see above). Exposed for tests and for callers that display what was matched.
std::string NormalizeForLookup(std::string_view value, Normalization mode);

// Lower-case hex of `bytes`.
std::string ToHex(std::span<const unsigned char> bytes);

class LookupHasher {
 public:
  explicit LookupHasher(std::shared_ptr<const Keyring> keys);  // never null
  explicit LookupHasher(Keyring keys);

  // Under the active key. kInvalidArgument for a bad purpose.
  Result<LookupValue> Lookup(std::string_view purpose, std::string_view value,
                             Normalization mode = Normalization::kExact) const;
  Result<std::string> LookupHex(std::string_view purpose, std::string_view value,
                                Normalization mode = Normalization::kExact) const;

  // Under the key `key_id` (kNotFound if the ring has no such key), for migrations after a rotation.
  Result<LookupValue> LookupWith(std::string_view key_id, std::string_view purpose, std::string_view value,
                                 Normalization mode = Normalization::kExact) const;
  Result<std::string> LookupWithHex(std::string_view key_id, std::string_view purpose, std::string_view value,
                                    Normalization mode = Normalization::kExact) const;

  const Keyring& keys() const { return *keys_; }

 private:
  Result<LookupValue> Compute(const KeyEntry& key, std::string_view purpose, std::string_view value,
                              Normalization mode) const;

  std::shared_ptr<const Keyring> keys_;
};

}  // namespace bankfeed::crypto
