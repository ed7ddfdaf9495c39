// bankfeed/normalize.hpp: one bank response body in, canonical records out.
//
// The pure mapping behind `bankfeed normalize`: no I/O, no network, deterministic. Bad data gives kInvalidInput
// with the JSON path and the reason, e.g. "transactions.booked[3].transactionAmount.amount: not a decimal".
//
//   bankfeed::NormalizeOptions opts;
//   opts.standard = bankfeed::Standard::kBerlinGroup;
//   auto txs = bankfeed::NormalizeTransactions(body, opts);
//   for (const auto& t : *txs) std::cout << bankfeed::ToCanonicalJson(t) << "\n";
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/datetime.hpp"
#include "bankfeed/model.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed {

enum class Standard { kBerlinGroup, kUkOpenBanking, kStet };

// "berlin-group", "uk-ob", "stet"
BANKFEED_EXPORT std::string_view StandardName(Standard s);
BANKFEED_EXPORT std::optional<Standard> ParseStandard(std::string_view name);

struct NormalizeOptions {
  Standard standard = Standard::kBerlinGroup;
  std::optional<std::string> account_id;  // stamped on every transaction and balance
  TimeZone timezone;                      // for date-times sent without an offset
  bool keep_raw_json = true;              // keep each transaction's JSON for audit
  // Set each transaction's id (ids.hpp). A caller that assigns ids itself over several responses (every page of
  // one query, as the connectors do) turns this off, so that no row is hashed twice; ids are then left empty.
  bool assign_ids = true;
};

// `body` need not be padded or NUL-terminated; it is copied once into a padded buffer when needed.
BANKFEED_EXPORT Result<std::vector<Transaction>> NormalizeTransactions(std::string_view body,
                                                                       const NormalizeOptions& options);
BANKFEED_EXPORT Result<std::vector<Account>> NormalizeAccounts(std::string_view body, const NormalizeOptions& options);
BANKFEED_EXPORT Result<std::vector<Balance>> NormalizeBalances(std::string_view body, const NormalizeOptions& options);
BANKFEED_EXPORT Result<Consent> NormalizeConsent(std::string_view body, const NormalizeOptions& options);

}  // namespace bankfeed
