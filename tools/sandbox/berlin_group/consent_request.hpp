// The body of POST /v1/consents (Berlin Group NextGenPSD2 1.3 "consents" request), parsed strictly with simdjson.
// Errors are kInvalidInput naming the JSON path and the reason, never a value; the bank answers them with
// 400 FORMAT_ERROR.
//
//   {"access": {"allPsd2": "allAccounts"}, "recurringIndicator": true, "validUntil": "2025-12-31",
//    "frequencyPerDay": 4, "combinedServiceIndicator": false}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/datetime.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::sandbox::berlin_group {

inline constexpr size_t kMaxConsentBody = 64 * 1024;
inline constexpr size_t kMaxAccountReferences = 100;

struct AccountReference {
  std::string iban;
  std::string currency;  // empty when not given
};

struct ConsentRequest {
  std::vector<AccountReference> accounts, balances, transactions;
  std::string available_accounts;               // "", "allAccounts" or "allAccountsWithOwnerName"
  std::string available_accounts_with_balance;  // the same words
  std::string all_psd2;                         // the same words
  bool recurring = false;
  Date valid_until;
  int64_t frequency_per_day = 0;
  bool combined_service = false;

  bool HasAccountLists() const { return !accounts.empty() || !balances.empty() || !transactions.empty(); }
};

Result<ConsentRequest> ParseConsentRequest(std::string_view body);

}  // namespace bankfeed::sandbox::berlin_group
