// Fuzzes bankfeed::uk_ob::ParseJwks, a UK bank's JSON Web Key Set. A refusal is kInvalidInput; a parsed set holds
// only usable RSA keys, and Find agrees with the set (a key's kid finds a key of that kid; an empty kid finds the
// only key, or none).
#include "fuzz_common.hpp"

#include "adapters/uk_ob/jwks.hpp"

namespace fuzz_uk_ob_jwks {

BANKFEED_FUZZ_TARGET(uk_ob_jwks) {
  using bankfeed::fuzz::Check;
  namespace uk = bankfeed::uk_ob;
  const auto jwks = uk::ParseJwks(bankfeed::fuzz::AsText(data, size));
  if (!jwks) {
    Check(jwks.error().code == bankfeed::ErrorCode::kInvalidInput && !jwks.error().message.empty());
    return 0;
  }
  for (const uk::SigningKey& key : jwks->keys) {
    Check(key.key != nullptr);
    if (key.kid.empty()) continue;  // found by an empty kid only when it is the set's only key (checked below)
    const uk::SigningKey* found = jwks->Find(key.kid);
    Check(found != nullptr && found->kid == key.kid);
  }
  Check((jwks->Find("") != nullptr) == (jwks->keys.size() == 1));
  return 0;
}

}  // namespace fuzz_uk_ob_jwks
