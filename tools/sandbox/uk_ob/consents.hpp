// UK Open Banking account-access consents as the sandbox bank keeps them. Thread-safe; hands out copies.
//
// Lifecycle (v3.1 OBExternalRequestStatus1Code): AwaitingAuthorisation -> Authorised (the PSU approved at
// /as/authorize) | Rejected (sca_outcome: reject); Authorised -> Revoked (DELETE). v3.1 has no Expired status: a
// consent past its ExpirationDateTime (by the simulated day) or hit by the consent_expired fault keeps showing
// Authorised, and reads with it are refused with 403 UK.OBIE.Reauthenticate.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/sandbox/uk_ob/consent_request.hpp"

namespace bankfeed::sandbox::uk_ob {

enum class AccessConsentStatus { kAwaitingAuthorisation, kAuthorised, kRejected, kRevoked };
std::string_view AccessConsentStatusName(AccessConsentStatus status);  // "AwaitingAuthorisation", ...

struct AccessConsent {
  std::string id;         // urn-delta-intent-<random>
  std::string client_id;  // the client that created it; only it may read, authorise or delete it
  std::string psu_id;     // set when authorised
  AccessConsentStatus status = AccessConsentStatus::kAwaitingAuthorisation;
  bool expired_by_fault = false;
  AccessConsentRequest request;
  std::string created, status_updated;  // RFC 3339, real time

  bool Has(std::string_view permission) const;
  // Past ExpirationDateTime on `today` (the simulated day), or expired by the fault.
  bool ExpiredOn(Date today) const;
};

class AccessConsentStore {
 public:
  AccessConsent Add(std::string client_id, AccessConsentRequest request);
  std::optional<AccessConsent> Get(std::string_view id) const;
  // AwaitingAuthorisation -> Authorised (with the PSU) or Rejected; an Authorised consent authorised again by the
  // same PSU (re-authentication) stays Authorised either way. False otherwise.
  bool Settle(std::string_view id, bool approve, std::string_view psu_id);
  // -> Revoked; false for an unknown id.
  bool Revoke(std::string_view id);
  void Expire(std::string_view id);  // the consent_expired fault

 private:
  mutable std::mutex mu_;
  std::map<std::string, AccessConsent, std::less<>> consents_;
};

// Now, real time, as "2025-01-31T10:00:00+00:00".
std::string NowRfc3339();

}  // namespace bankfeed::sandbox::uk_ob
