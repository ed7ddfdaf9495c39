// The body of POST /open-banking/v3.1/aisp/account-access-consents (OBReadConsent1), parsed strictly:
//
//   {"Data": {"Permissions": ["ReadAccountsDetail", "ReadBalances", ...],
//             "ExpirationDateTime": "2025-12-31T00:00:00+00:00",          optional, as are the two below
//             "TransactionFromDateTime": "...", "TransactionToDateTime": "..."},
//    "Risk": {}}
//
// Permissions: at least one, each a v3.1 code, none twice; ReadTransactionsBasic/Detail need ReadTransactionsCredits
// or ReadTransactionsDebits and the other way round. Date-times are ISO 8601 with an offset. Errors are a 400
// ApiError with a UK error code and a text "<JSON path>: <reason>", never a value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "bankfeed/datetime.hpp"
#include "tools/sandbox/module.hpp"

namespace bankfeed::sandbox::uk_ob {

inline constexpr size_t kMaxAccessConsentBody = 64 * 1024;

struct TimeBound {
  std::string text;  // as sent (echoed back)
  DateTime at;       // the instant
  Date date;         // its UTC calendar day
};

struct AccessConsentRequest {
  std::vector<std::string> permissions;
  std::optional<TimeBound> expiration, transactions_from, transactions_to;
};

tl::expected<AccessConsentRequest, ApiError> ParseAccessConsentRequest(std::string_view body);

// An ISO 8601 date-time with an offset ("2025-01-31T10:00:00+00:00", "...Z"); std::nullopt otherwise.
std::optional<TimeBound> ParseOffsetDateTime(std::string_view text);

// Whether `permission` is a v3.1 account-access permission code.
bool IsKnownPermission(std::string_view permission);

}  // namespace bankfeed::sandbox::uk_ob
