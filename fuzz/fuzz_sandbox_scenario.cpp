// Fuzzes sandbox::ParseScenario, the strict reader of a sandbox bank's scenario file, and then renders what it
// accepted. A refusal is kConfig "<file>[:line:col]: ..."; an accepted scenario holds the promises the server relies
// on (unique ids, valid IBANs and currencies, amounts within the currency's digits, pending rows that book after
// their value date, page_overlap < page_size), and every Berlin Group rendering of it is one valid JSON object.
#include <set>

#include "fuzz_common.hpp"
#include "tools/sandbox/berlin_group/render.hpp"
#include "tools/sandbox/clock.hpp"
#include "tools/sandbox/scenario.hpp"

namespace fuzz_sandbox_scenario {

using bankfeed::fuzz::Check;
namespace sb = bankfeed::sandbox;

void CheckAccount(const sb::ScenarioAccount& a, std::set<std::string>& resource_ids) {
  Check(resource_ids.insert(a.resource_id).second && !a.resource_id.empty());
  Check(sb::IsValidIban(a.iban) && !a.currency.empty());
  std::set<std::string> ids;
  for (const sb::ScenarioTransaction& t : a.transactions) {
    Check(ids.insert(t.id).second);
    Check(t.amount.scale() <= a.currency.minor_units());
    if (t.counterparty) Check(t.counterparty->iban.empty() || sb::IsValidIban(t.counterparty->iban));
    Check(sb::IsCleanText(t.remittance));
    if (t.status == sb::TxStatus::kBooked) {
      Check(t.booking_date.has_value() && !t.books_on && !t.booked);
    } else {
      Check(!t.booking_date && t.books_on.has_value() == t.booked.has_value());
      if (t.books_on) Check(*t.books_on > t.value_date && t.booked->booking_date <= *t.books_on);
    }
  }
  for (const sb::ScenarioTransaction& t : a.transactions) {
    if (t.booked && t.booked->id != t.id) Check(ids.insert(t.booked->id).second);
  }
  for (const sb::ScenarioBalance& b : a.balances) Check(b.amount.scale() <= a.currency.minor_units());
}

void Render(const sb::ScenarioAccount& a, const sb::Scenario& s) {
  namespace bg = sb::berlin_group;
  bg::RenderOptions options{s.behaviour.wire, s.behaviour.ids, "https://127.0.0.1:1", s.latest_date};
  const std::vector<sb::TransactionView> rows = sb::VisibleTransactions(a, s.latest_date);
  const std::vector<bg::Link> links{{"self", "/v1/accounts/" + a.resource_id + "/transactions"}};
  bankfeed::fuzz::CheckJsonObject(bg::RenderTransactions(a, rows, bg::BookingStatus::kBoth, links, options));
  const auto balances = sb::VisibleBalances(a, s.latest_date);
  bankfeed::fuzz::CheckJsonObject(bg::RenderBalances(a, balances, s.latest_date, options));
  bankfeed::fuzz::CheckJsonObject(bg::RenderAccounts({{&a, true, true, balances}}, s.latest_date, options));
}

BANKFEED_FUZZ_TARGET(sandbox_scenario) {
  const auto scenario = sb::ParseScenario(bankfeed::fuzz::AsText(data, size), "fuzz.yaml");
  if (!scenario) {
    Check(scenario.error().code == bankfeed::ErrorCode::kConfig);
    Check(scenario.error().message.starts_with("fuzz.yaml"));
    return 0;
  }
  const sb::Scenario& s = *scenario;
  Check(s.standard == "berlin-group" || s.standard == "uk-ob" || s.standard == "stet");
  Check(!s.psus.empty());
  Check(s.behaviour.page_size >= 1 && s.behaviour.page_overlap < s.behaviour.page_size);
  Check(!s.behaviour.sca_approaches.empty());
  std::set<std::string> psu_ids, resource_ids;
  for (const sb::Psu& p : s.psus) {
    Check(psu_ids.insert(p.id).second);
    for (const sb::ScenarioAccount& a : p.accounts) {
      CheckAccount(a, resource_ids);
      Render(a, s);
    }
  }
  return 0;
}

}  // namespace fuzz_sandbox_scenario
