// Berlin Group consents and their authorisations (SCA), as the sandbox bank keeps them. Thread-safe: every
// operation takes the store's lock and hands out copies.
//
// Lifecycle: received -> valid (SCA approved) | rejected (sca_outcome: reject); valid -> expired (the sandbox clock
// passes validUntil, or the consent_expired fault) | terminatedByTpp (DELETE).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/datetime.hpp"

namespace bankfeed::sandbox::berlin_group {

enum class ConsentStatus { kReceived, kValid, kRejected, kExpired, kTerminatedByTpp };
std::string_view ConsentStatusName(ConsentStatus status);  // "received", "valid", ...

enum class Approach { kRedirect, kDecoupled, kOAuth2 };

struct AccountAccess {
  std::string resource_id;
  bool balances = false;
  bool transactions = false;
};

struct Authorisation {
  std::string id;
  std::string consent_id;
  Approach approach = Approach::kRedirect;
  std::string sca_status = "received";  // received, started, finalised, failed
  int64_t polls = 0;
  std::string redirect_uri, nok_redirect_uri;  // TPP-Redirect-URI and TPP-Nok-Redirect-URI
};

struct Consent {
  std::string id;
  std::string psu_id;
  ConsentStatus status = ConsentStatus::kReceived;
  bool via_token = false;  // created with an OAuth2 access token: reads need one too
  std::vector<AccountAccess> access;
  // For "all accounts" consents: the access key (allPsd2, availableAccounts or availableAccountsWithBalance) and its
  // word (allAccounts or allAccountsWithOwnerName), shown back in the consent information. Empty for IBAN lists.
  std::string all_accounts_key, all_accounts_word;
  Date valid_until;
  int64_t frequency_per_day = 1;  // the bank's: min(requested, scenario)
  bool recurring = false;
  bool combined_service = false;
  Date last_action;
  std::string redirect_uri, nok_redirect_uri;
  std::vector<std::string> authorisation_ids;

  // A valid consent past its validUntil reads as expired.
  ConsentStatus StatusOn(Date today) const;
  const AccountAccess* AccessTo(std::string_view resource_id) const;
};

class ConsentStore {
 public:
  // Stores `consent` under a fresh id and returns the id.
  std::string Add(Consent consent);
  std::optional<Consent> Get(std::string_view id) const;
  // DELETE: terminatedByTpp. False for an unknown id.
  bool Terminate(std::string_view id);
  // The consent_expired fault.
  void Expire(std::string_view id);
  void Touch(std::string_view id, Date today);

  // A new authorisation of a consent that is still `received`; std::nullopt when the consent is unknown or not
  // received any more.
  std::optional<Authorisation> StartAuthorisation(std::string_view consent_id, Approach approach,
                                                  std::string redirect_uri, std::string nok_redirect_uri);
  std::optional<Authorisation> GetAuthorisation(std::string_view consent_id, std::string_view auth_id) const;

  // A read of the consent's status or of one of its authorisations (auth_id empty: all of them): each decoupled
  // authorisation still open counts it, and the read that brings it to `polls_needed` settles it.
  void Poll(std::string_view consent_id, std::string_view auth_id, int64_t polls_needed, bool approve);
  // The PSU opened /sca/{auth_id}: the authorisation settles now. std::nullopt for an unknown id.
  std::optional<Authorisation> CompleteSca(std::string_view auth_id, bool approve);

 private:
  void Settle(Authorisation& auth, bool approve);  // mu_ held

  mutable std::mutex mu_;
  std::map<std::string, Consent, std::less<>> consents_;
  std::map<std::string, Authorisation, std::less<>> authorisations_;
};

}  // namespace bankfeed::sandbox::berlin_group
