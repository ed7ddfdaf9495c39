// Fuzzes bankfeed::crypto::Aead::Decrypt, the reading of an at-rest envelope, with a fixed keyring (keys "fz1" and
// "fuzz-key.2", the active one) and fixed associated data. The seeds (corpus/crypto_envelope) are envelopes made under
// that keyring, truncated and tampered copies, and one key text.
//
// A refusal is kInvalidInput with one of the fixed "envelope: ..." messages. Decrypt succeeds only for a real
// envelope: sealing the plaintext again under the key the header names, with the input's nonce, must give back the
// input byte for byte, and other associated data must be refused. The header checks (EnvelopeKeyId,
// NeedsReencrypt) agree with Decrypt. The same bytes also go through Keyring::Parse as key text.
#include "fuzz_common.hpp"

#include <span>

#include "crypto/aead.hpp"
#include "crypto/keyring.hpp"
#include "crypto/primitives.hpp"

namespace fuzz_crypto_envelope {

namespace crypto = bankfeed::crypto;

constexpr char kKeys[] =
    "fz1 AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\n"
    "fuzz-key.2 QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVpbXF1eX2A=\n";
constexpr std::string_view kAd = "fuzz.table.column:42";

const crypto::Aead& TestAead() {
  static const crypto::Aead aead = [] {
    auto ring = crypto::Keyring::Parse(kKeys, "fuzz keys", false);
    bankfeed::fuzz::Check(ring.has_value());
    return crypto::Aead(std::move(*ring));
  }();
  return aead;
}

bool IsKnownRefusal(const std::string& message) {
  for (const std::string_view known : {"envelope: empty", "envelope: unsupported version", "envelope: truncated",
                                       "envelope: malformed key id", "envelope: unknown key id",
                                       "envelope: authentication failed"}) {
    if (message == known) return true;
  }
  return false;
}

void CheckKeyText(std::string_view text) {
  using bankfeed::fuzz::Check;
  const auto ring = crypto::Keyring::Parse(text, "fuzz input", true);
  if (!ring) {
    Check(ring.error().code == bankfeed::ErrorCode::kConfig && ring.error().message.starts_with("fuzz input: "));
    return;
  }
  Check(ring->size() > 0);
  const auto ids = ring->key_ids();
  Check(ids.size() == ring->size() && ids.back() == ring->active_key_id());
  for (const std::string& id : ids) Check(crypto::IsValidKeyId(id) && ring->Find(id) != nullptr);
}

BANKFEED_FUZZ_TARGET(crypto_envelope) {
  using bankfeed::fuzz::Check;
  namespace detail = crypto::detail;
  const std::string_view input = bankfeed::fuzz::AsText(data, size);
  const crypto::Aead& aead = TestAead();

  const auto opened = aead.Decrypt(input, kAd);
  const auto key_id = crypto::EnvelopeKeyId(input);
  const auto needs = aead.NeedsReencrypt(input);
  Check(key_id.has_value() == needs.has_value());
  if (!opened) {
    Check(opened.error().code == bankfeed::ErrorCode::kInvalidInput && IsKnownRefusal(opened.error().message));
    if (!key_id) Check(key_id.error().message == opened.error().message);  // Decrypt reads the header the same way
    CheckKeyText(input);
    return 0;
  }

  Check(key_id.has_value());
  const crypto::KeyEntry* key = aead.keys().Find(*key_id);
  Check(key != nullptr);
  const size_t header_size = 2 + key_id->size();
  Check(input.size() == header_size + detail::kNonceBytes + opened->size() + detail::kTagBytes);
  const auto* nonce = reinterpret_cast<const unsigned char*>(input.data()) + header_size;
  std::string resealed(opened->size() + detail::kTagBytes, '\0');
  Check(detail::AesGcmSeal(key->aead_key(), detail::NonceView(nonce, detail::kNonceBytes),
                           {input.substr(0, header_size), kAd}, *opened,
                           std::span<unsigned char>(reinterpret_cast<unsigned char*>(resealed.data()),
                                                    resealed.size()))
            .has_value());
  Check(resealed == input.substr(header_size + detail::kNonceBytes));
  Check(*needs == (*key_id != aead.keys().active_key_id()));
  Check(!aead.Decrypt(input, "fuzz.table.column:43").has_value());
  CheckKeyText(input);
  return 0;
}

}  // namespace fuzz_crypto_envelope
