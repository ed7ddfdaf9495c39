// Berlin Group consent bodies: the POST /v1/consents request, and the answers to the consent and authorisation
// calls beyond what the pure mapping (mapping.hpp, MapConsent) reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "adapters/common/hal_links.hpp"
#include "bankfeed/connector.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::berlin_group {

// The JSON body of POST /v1/consents. kInvalidArgument naming the field for a request the bank would refuse
// (no IBAN for dedicated accounts, frequency_per_day below 1, ...).
Result<std::string> ConsentRequestBody(const ConsentRequest& request);

// What a consent creation or authorisation answer says beyond the consent itself.
struct AuthorisationAnswer {
  std::string consent_id;        // consentId (creation only)
  std::string authorisation_id;  // authorisationId, or the last path segment of the authorisation's link
  std::string sca_status;        // scaStatus as sent ("received", "started", "finalised", "failed", ...)
  std::string consent_status;    // consentStatus as sent
  std::string psu_message;       // psuMessage, for a decoupled approach
  adapters::Links links;
};

// kInvalidInput naming the field for a malformed body.
Result<AuthorisationAnswer> ReadAuthorisationAnswer(std::string_view body);

}  // namespace bankfeed::berlin_group
