// STET wire JSON: AccountResource lists, BalanceResource lists and transaction pages, shaped by the scenario's wire
// options and behaviour.stet (README "STET"). Pure functions of their inputs (unstable ids aside).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tools/sandbox/clock.hpp"
#include "tools/sandbox/scenario.hpp"

namespace bankfeed::sandbox::stet {

// The BIC of the sandbox bank: the scenario has none, a STET account names one (bicFi).
inline constexpr char kSandboxBic[] = "SANDFRPPXXX";

struct StetRender {
  const Behaviour& behaviour;
  std::string base_url;  // prefixed to hrefs when wire.links_absolute
  Date today;
};

struct StetAccountEntry {
  const ScenarioAccount* account = nullptr;
  std::string balances_href, transactions_href;  // empty: no link (the consent does not cover it)
  std::vector<const ScenarioBalance*> balances;  // balances_in_accounts
};

std::string RenderStetAccounts(const std::vector<StetAccountEntry>& accounts, const std::string& self,
                               const StetRender& r);
std::string RenderStetBalances(const ScenarioAccount& account, const std::vector<const ScenarioBalance*>& balances,
                               const std::string& self, const StetRender& r);

struct StetPageLinks {
  std::string self;
  std::optional<std::string> next;
};
std::string RenderStetTransactions(const ScenarioAccount& account, const std::vector<TransactionView>& rows,
                                   const StetPageLinks& links, const StetRender& r);

}  // namespace bankfeed::sandbox::stet
