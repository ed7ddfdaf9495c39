// Keyed HMAC lookups over normalised values. See crypto/lookup.hpp.
#include "crypto/lookup.hpp"

#include <utility>

#include <openssl/crypto.h>

#include "crypto/primitives.hpp"

namespace bankfeed::crypto {
namespace {

constexpr size_t kMaxPurpose = 64;

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool IsValidPurpose(std::string_view purpose) { return purpose.size() <= kMaxPurpose && IsValidKeyId(purpose); }

}  // namespace

std::string NormalizeForLookup(std::string_view value, Normalization mode) {
  std::string out;
  out.reserve(value.size());  // one buffer: the caller wipes it, and no reallocation leaves a copy behind
  switch (mode) {
    case Normalization::kExact:
      out.assign(value);
      break;
    case Normalization::kCompact:
      for (const char c : value) {
        if (IsAsciiSpace(c)) continue;
        out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
      }
      break;
    case Normalization::kText: {
      bool pending_space = false;
      for (const char c : value) {
        if (IsAsciiSpace(c)) {
          pending_space = !out.empty();
          continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
      }
      break;
    }
  }
  return out;
}

std::string ToHex(std::span<const unsigned char> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

LookupHasher::LookupHasher(std::shared_ptr<const Keyring> keys) : keys_(std::move(keys)) {}

LookupHasher::LookupHasher(Keyring keys) : keys_(std::make_shared<const Keyring>(std::move(keys))) {}

Result<LookupValue> LookupHasher::Compute(const KeyEntry& key, std::string_view purpose, std::string_view value,
                                          Normalization mode) const {
  if (!IsValidPurpose(purpose)) {
    return MakeError(ErrorCode::kInvalidArgument, "lookup: purpose must be 1..64 characters of [A-Za-z0-9._-]");
  }
  if (mode == Normalization::kExact) {
    return detail::HmacSha256(key.hmac_key(), {purpose, std::string_view("\0", 1), value});
  }
  std::string normalised = NormalizeForLookup(value, mode);
  Result<LookupValue> mac = detail::HmacSha256(key.hmac_key(), {purpose, std::string_view("\0", 1), normalised});
  OPENSSL_cleanse(normalised.data(), normalised.size());
  return mac;
}

Result<LookupValue> LookupHasher::Lookup(std::string_view purpose, std::string_view value,
                                         Normalization mode) const {
  return Compute(keys_->active(), purpose, value, mode);
}

Result<std::string> LookupHasher::LookupHex(std::string_view purpose, std::string_view value,
                                            Normalization mode) const {
  BANKFEED_ASSIGN_OR_RETURN(const LookupValue mac, Lookup(purpose, value, mode));
  return ToHex(mac);
}

Result<LookupValue> LookupHasher::LookupWith(std::string_view key_id, std::string_view purpose,
                                             std::string_view value, Normalization mode) const {
  const KeyEntry* key = keys_->Find(key_id);
  if (key == nullptr) return MakeError(ErrorCode::kNotFound, "lookup: unknown key id");
  return Compute(*key, purpose, value, mode);
}

Result<std::string> LookupHasher::LookupWithHex(std::string_view key_id, std::string_view purpose,
                                                std::string_view value, Normalization mode) const {
  BANKFEED_ASSIGN_OR_RETURN(const LookupValue mac, LookupWith(key_id, purpose, value, mode));
  return ToHex(mac);
}

}  // namespace bankfeed::crypto
