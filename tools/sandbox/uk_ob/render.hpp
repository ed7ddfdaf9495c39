// UK Open Banking v3.1 wire JSON for account-access consents, accounts, balances and transaction pages: the shapes
// of the standard's own examples (specs/openapi/uk-openbanking/examples), which adapters/uk_ob/mapping.cpp reads.
//
// Amounts are unsigned, with CreditDebitIndicator Credit/Debit for the sign; dates are written as date-times at
// midnight UTC ("2025-01-05T00:00:00+00:00"). Of the scenario's wire options, amounts_as_numbers,
// thousands_separator and links (absolute/relative) apply; links_as_array and day_first_rows are Berlin Group shapes
// and do not.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/sandbox/clock.hpp"
#include "tools/sandbox/json_writer.hpp"
#include "tools/sandbox/scenario.hpp"
#include "tools/sandbox/uk_ob/consents.hpp"

namespace bankfeed::sandbox::uk_ob {

struct UkRenderOptions {
  WireOptions wire;
  IdMode ids = IdMode::kStable;
  std::string base_url;  // ORIGIN, prefixed to "/..." hrefs when links are absolute
  std::string account_id_suffix;  // appended to every AccountId: the bank's current generation of ids, or empty
};

// The account's id as the bank gives it out today.
inline std::string UkAccountId(const ScenarioAccount& account, const UkRenderOptions& options) {
  return account.resource_id + options.account_id_suffix;
}

// The href as it goes on the wire: "https://..." stays; "/open-banking/..." gets base_url when links are absolute.
std::string UkHref(std::string_view href, const UkRenderOptions& options);

// Links of a response ("/..." hrefs, or absolute); empty ones are left out.
struct UkLinks {
  std::string self, first, prev, next, last;
};

// 2025-01-05 -> "2025-01-05T00:00:00+00:00"
std::string MidnightUtc(Date date);
// CLBD -> ClosingBooked, ITAV -> InterimAvailable, ... (OBBalanceType1Code)
std::string_view UkBalanceType(std::string_view iso_code);
// The scenario's product when it is an OBExternalAccountSubType1Code (Savings, CurrentAccount, ...), else
// CurrentAccount.
std::string_view UkAccountSubType(const ScenarioAccount& account);

std::string RenderAccessConsent(const AccessConsent& consent, const UkLinks& links, const UkRenderOptions& options);
// `detail`: the consent has ReadAccountsDetail, so each account carries its Account identification.
std::string RenderUkAccounts(const std::vector<const ScenarioAccount*>& accounts, bool detail, const UkLinks& links,
                             const UkRenderOptions& options);
std::string RenderUkBalances(const ScenarioAccount& account, const std::vector<const ScenarioBalance*>& balances,
                             Date today, const UkLinks& links, const UkRenderOptions& options);
// One page. `detail`: ReadTransactionsDetail (TransactionInformation and the counterparty's account).
std::string RenderUkTransactions(const ScenarioAccount& account, const std::vector<TransactionView>& rows, bool detail,
                                 const UkLinks& links, int64_t total_pages, const UkRenderOptions& options);

}  // namespace bankfeed::sandbox::uk_ob
