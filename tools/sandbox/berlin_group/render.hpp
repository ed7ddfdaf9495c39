// Berlin Group wire JSON for accounts, balances and transaction pages, shaped by the scenario's wire options
// (README "Wire shapes"): amounts as strings or numbers, links absolute or relative, as an object or an array,
// transaction ids stable, new on every fetch, or absent. Pure functions of their inputs (unstable ids aside).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tools/sandbox/clock.hpp"
#include "tools/sandbox/json_writer.hpp"
#include "tools/sandbox/scenario.hpp"

namespace bankfeed::sandbox::berlin_group {

struct RenderOptions {
  WireOptions wire;
  IdMode ids = IdMode::kStable;
  std::string base_url;  // "https://127.0.0.1:PORT": prefixed to hrefs when links are absolute
  Date today;            // the simulated day (wire.day_first_from)
};

struct Link {
  std::string rel;
  std::string href;  // "/v1/..." (made absolute per options) or already absolute ("https://...", kept)
};

enum class BookingStatus { kBooked, kPending, kBoth };

// The href as it goes on the wire: absolute hrefs stay; "/v1/..." gets base_url when links are absolute.
std::string WireHref(const Link& link, const RenderOptions& options);
// "_links": {"rel": {"href": ...}, ...}, or [{"rel": ..., "href": ...}, ...] when as_array.
void WriteLinks(JsonWriter& w, const std::vector<Link>& links, const RenderOptions& options, bool as_array);
// {"currency": "EUR", "amount": "-12.30"} or {"currency": "EUR", "amount": -12.3}.
void WriteAmount(JsonWriter& w, const Decimal& amount, const Currency& currency, const RenderOptions& options);
// CLBD -> closingBooked, XPCD -> expected, ...
std::string_view BalanceTypeName(std::string_view iso_code);

struct AccountEntry {
  const ScenarioAccount* account = nullptr;
  bool balances = false;      // the consent grants balances (a balances link, and withBalance)
  bool transactions = false;  // the consent grants transactions
  std::vector<const ScenarioBalance*> with_balances;  // non-empty for ?withBalance=true
};

std::string RenderAccounts(const std::vector<AccountEntry>& accounts, Date today, const RenderOptions& options);
std::string RenderBalances(const ScenarioAccount& account, const std::vector<const ScenarioBalance*>& balances,
                           Date today, const RenderOptions& options);
// One page: `rows` are the page's rows in order; booked ones go to "booked", pending ones to "pending" (each array
// present when `status` asks for it). `links` go into transactions._links.
std::string RenderTransactions(const ScenarioAccount& account, const std::vector<TransactionView>& rows,
                               BookingStatus status, const std::vector<Link>& links, const RenderOptions& options);

}  // namespace bankfeed::sandbox::berlin_group
