// AES-256-GCM envelopes. See crypto/aead.hpp.
#include "crypto/aead.hpp"

#include <cstdint>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "crypto/primitives.hpp"

namespace bankfeed::crypto {
namespace {

// GCM encrypts at most 2^32 - 2 blocks under one nonce (NIST SP 800-38D §5.2.1.1).
constexpr uint64_t kMaxPlaintext = (uint64_t{1} << 36) - 32;

tl::unexpected<Error> Invalid(std::string_view reason) {
  return MakeError(ErrorCode::kInvalidInput, "envelope: " + std::string(reason));
}

struct Parts {
  std::string_view header;  // version, length, key id: the first part of the authenticated data
  std::string_view key_id;
  std::string_view nonce;
  std::string_view sealed;  // ciphertext then tag
};

Result<Parts> Split(std::string_view envelope) {
  if (envelope.empty()) return Invalid("empty");
  if (static_cast<unsigned char>(envelope[0]) != kEnvelopeVersion) return Invalid("unsupported version");
  if (envelope.size() < 2) return Invalid("truncated");
  const size_t id_len = static_cast<unsigned char>(envelope[1]);
  if (id_len == 0) return Invalid("malformed key id");
  if (envelope.size() < 2 + id_len) return Invalid("truncated");
  Parts p;
  p.key_id = envelope.substr(2, id_len);
  if (!IsValidKeyId(p.key_id)) return Invalid("malformed key id");
  if (envelope.size() < 2 + id_len + detail::kNonceBytes + detail::kTagBytes) return Invalid("truncated");
  p.header = envelope.substr(0, 2 + id_len);
  p.nonce = envelope.substr(p.header.size(), detail::kNonceBytes);
  p.sealed = envelope.substr(p.header.size() + detail::kNonceBytes);
  return p;
}

detail::NonceView NonceOf(std::string_view nonce) {
  return detail::NonceView(reinterpret_cast<const unsigned char*>(nonce.data()), detail::kNonceBytes);
}

std::span<unsigned char> Tail(std::string& s, size_t from) {
  return {reinterpret_cast<unsigned char*>(s.data()) + from, s.size() - from};
}

}  // namespace

Result<std::string_view> EnvelopeKeyId(std::string_view envelope) {
  BANKFEED_ASSIGN_OR_RETURN(const Parts parts, Split(envelope));
  return parts.key_id;
}

Aead::Aead(std::shared_ptr<const Keyring> keys) : keys_(std::move(keys)) {}

Aead::Aead(Keyring keys) : keys_(std::make_shared<const Keyring>(std::move(keys))) {}

Result<std::string> Aead::Encrypt(std::string_view plaintext, std::string_view associated_data) const {
  if (plaintext.size() > kMaxPlaintext) {
    return MakeError(ErrorCode::kInvalidArgument, "envelope: plaintext too large for one AES-GCM message");
  }
  const KeyEntry& key = keys_->active();
  const std::string& id = key.id();
  const size_t header_size = 2 + id.size();
  Result<std::string> out(tl::in_place, header_size + detail::kNonceBytes + plaintext.size() + detail::kTagBytes,
                          '\0');
  std::string& env = *out;
  env[0] = static_cast<char>(kEnvelopeVersion);
  env[1] = static_cast<char>(static_cast<unsigned char>(id.size()));  // 1..255, checked when the key was added
  env.replace(2, id.size(), id);
  unsigned char* nonce = reinterpret_cast<unsigned char*>(env.data()) + header_size;
  if (RAND_bytes(nonce, static_cast<int>(detail::kNonceBytes)) != 1) {
    return MakeError(ErrorCode::kInternal, "envelope: the random generator failed");
  }
  const std::string_view header(env.data(), header_size);
  const Status sealed = detail::AesGcmSeal(key.aead_key(), detail::NonceView(nonce, detail::kNonceBytes),
                                           {header, associated_data}, plaintext,
                                           Tail(env, header_size + detail::kNonceBytes));
  if (!sealed) return tl::unexpected(sealed.error());
  return out;
}

Result<std::string> Aead::Decrypt(std::string_view envelope, std::string_view associated_data) const {
  BANKFEED_ASSIGN_OR_RETURN(const Parts parts, Split(envelope));
  const KeyEntry* key = keys_->Find(parts.key_id);
  if (key == nullptr) return Invalid("unknown key id");
  // Built in place and returned as is: a moved short string would leave plaintext in the moved-from buffer.
  Result<std::string> out(tl::in_place, parts.sealed.size() - detail::kTagBytes, '\0');
  const Status opened = detail::AesGcmOpen(key->aead_key(), NonceOf(parts.nonce), {parts.header, associated_data},
                                           parts.sealed, Tail(*out, 0));
  if (!opened) {
    OPENSSL_cleanse(out->data(), out->size());  // AesGcmOpen wiped it already; this keeps the rule local
    out = tl::unexpected(opened.error());
  }
  return out;
}

Result<bool> Aead::NeedsReencrypt(std::string_view envelope) const {
  BANKFEED_ASSIGN_OR_RETURN(const std::string_view id, EnvelopeKeyId(envelope));
  return id != keys_->active_key_id();
}

Result<std::string> Aead::Reencrypt(std::string_view envelope, std::string_view associated_data) const {
  Result<std::string> plain = Decrypt(envelope, associated_data);
  if (!plain) return tl::unexpected(std::move(plain).error());
  Result<std::string> out = [&]() -> Result<std::string> {
    if (EnvelopeKeyId(envelope).value_or(std::string_view()) == keys_->active_key_id()) {
      return std::string(envelope);
    }
    return Encrypt(*plain, associated_data);
  }();
  OPENSSL_cleanse(plain->data(), plain->size());
  return out;
}

}  // namespace bankfeed::crypto
