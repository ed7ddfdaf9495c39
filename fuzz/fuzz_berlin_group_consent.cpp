// Fuzzes what the Berlin Group connector reads during the consent flow: the consent and authorisation answers
// (MapConsent, ReadAuthorisationAnswer), the OAuth2 token response (ParseTokenResponse) and a stored grant
// (GrantFromJson, which must round-trip through GrantToJson). The first byte picks the parser.
#include "fuzz_common.hpp"

#include "adapters/berlin_group/consent.hpp"
#include "adapters/berlin_group/mapping.hpp"
#include "adapters/common/oauth2.hpp"

namespace fuzz_berlin_group_consent {

BANKFEED_FUZZ_TARGET(berlin_group_consent) {
  using bankfeed::fuzz::Check;
  if (size == 0) return 0;
  const std::string_view body = bankfeed::fuzz::AsText(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {
      simdjson::padded_string padded(body);
      auto consent = bankfeed::berlin_group::MapConsent(
          padded, bankfeed::fuzz::OptionsFor(bankfeed::Standard::kBerlinGroup));
      if (!consent) Check(consent.error().code == bankfeed::ErrorCode::kInvalidInput);
      break;
    }
    case 1: {
      auto answer = bankfeed::berlin_group::ReadAuthorisationAnswer(body);
      if (!answer) {
        Check(answer.error().code == bankfeed::ErrorCode::kInvalidInput);
      } else {
        Check(answer->psu_message.size() <= 4096 && answer->consent_id.size() <= 4096);
      }
      break;
    }
    case 2: {
      auto token = bankfeed::adapters::ParseTokenResponse(body);
      if (!token) {
        Check(token.error().code == bankfeed::ErrorCode::kProtocol);
        Check(token.error().message.starts_with("token response: "));
      } else {
        Check(!token->access_token.empty());
        // The message of a refusal never echoes a token; an accepted one is never in an error.
      }
      break;
    }
    case 3: {
      auto grant = bankfeed::GrantFromJson(body);
      if (!grant) {
        Check(grant.error().code == bankfeed::ErrorCode::kInvalidInput);
      } else {
        const std::string again = bankfeed::GrantToJson(*grant);
        auto reread = bankfeed::GrantFromJson(again);
        Check(reread.has_value() && bankfeed::GrantToJson(*reread) == again);
      }
      break;
    }
  }
  return 0;
}

}  // namespace fuzz_berlin_group_consent
