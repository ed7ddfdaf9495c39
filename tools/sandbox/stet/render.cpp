#include "tools/sandbox/stet/render.hpp"

#include "tools/sandbox/json_writer.hpp"
#include "tools/sandbox/random.hpp"

namespace bankfeed::sandbox::stet {
namespace {

std::string Href(const std::string& href, const StetRender& r) {
  return href.starts_with("/") && r.behaviour.wire.links_absolute ? r.base_url + href : href;
}

void WriteHref(JsonWriter& w, std::string_view rel, const std::string& href, const StetRender& r) {
  w.Key(rel).BeginObject().Key("href").String(Href(href, r)).EndObject();
}

void WriteAmount(JsonWriter& w, const Decimal& amount, const Currency& currency, const StetRender& r) {
  w.BeginObject().Key("currency").String(currency.code()).Key("amount");
  if (r.behaviour.wire.amounts_as_numbers) {
    w.Number(amount.ToString());
  } else {
    w.String(WireAmount(Money{amount, currency}, r.behaviour.wire));
  }
  w.EndObject();
}

std::string_view BalanceName(std::string_view type) {
  if (type == "CLBD") return "Solde comptable";
  if (type == "XPCD") return "Solde prévisionnel";
  if (type == "VALU") return "Solde en valeur";
  return "Autre solde";
}

void WriteBalances(JsonWriter& w, const ScenarioAccount& a, const std::vector<const ScenarioBalance*>& balances,
                   const StetRender& r) {
  w.Key("balances").BeginArray();
  for (const ScenarioBalance* b : balances) {
    w.BeginObject().Key("name").String(BalanceName(b->type)).Key("balanceAmount");
    WriteAmount(w, b->amount, a.currency, r);
    w.Key("balanceType").String(b->type).Key("referenceDate").String(b->date.value_or(r.today).ToString());
    w.EndObject();
  }
  w.EndArray();
}

// YYYY-MM-DD, or DD/MM/YYYY for a row the bank writes day first (wire.day_first_rows).
std::string WireDate(Date d, bool day_first) {
  const std::string iso = d.ToString();
  return day_first ? iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) : iso;
}

void WriteTransaction(JsonWriter& w, const TransactionView& t, const Currency& currency, const StetRender& r) {
  const StetOptions& o = r.behaviour.stet;
  w.BeginObject();
  if (r.behaviour.ids != IdMode::kNone) {
    // Unstable: the bank mints a new id on every fetch (entryReference with it, or it would be a stable key).
    const std::string id = r.behaviour.ids == IdMode::kStable ? std::string(t.id) : "u" + RandomHex(8);
    w.Key("resourceId").String(id).Key("entryReference").String(id);
  }
  w.Key("transactionAmount");
  WriteAmount(w, t.amount.Abs(), currency, r);
  w.Key("creditDebitIndicator").String(t.amount.IsNegative() ? "DBIT" : "CRDT");
  w.Key("status").String(t.booked ? "BOOK" : o.pending_status_othr ? "OTHR" : "PDNG");
  const bool day_first = r.behaviour.wire.DayFirst(t.id, r.today);
  if (t.booking_date) {
    w.Key("bookingDate").String(WireDate(*t.booking_date, day_first));
  } else if (o.empty_dates) {
    w.Key("bookingDate").String("");
  }
  w.Key("valueDate").String(WireDate(t.value_date, day_first));
  w.Key("transactionDate").String(WireDate(t.value_date, day_first));
  if (!t.row->remittance.empty()) {
    w.Key("remittanceInformation");
    if (!o.remittance_as_list) w.BeginObject().Key("unstructured");
    w.BeginArray().String(t.row->remittance).EndArray();
    if (!o.remittance_as_list) w.EndObject();
  }
  if (const auto& party = t.row->counterparty) {
    const bool creditor = t.amount.IsNegative();  // money out goes to a creditor, money in comes from a debtor
    if (!party->name.empty()) {
      w.Key(creditor ? "creditor" : "debtor").BeginObject().Key("name").String(party->name).EndObject();
    }
    if (!party->iban.empty()) {
      w.Key(creditor ? "creditorAccount" : "debtorAccount").BeginObject().Key("iban").String(party->iban).EndObject();
    }
  }
  w.EndObject();
}

}  // namespace

std::string RenderStetAccounts(const std::vector<StetAccountEntry>& accounts, const std::string& self,
                               const StetRender& r) {
  JsonWriter w;
  w.BeginObject().Key("accounts").BeginArray();
  for (const StetAccountEntry& e : accounts) {
    const ScenarioAccount& a = *e.account;
    w.BeginObject().Key("resourceId").String(a.resource_id).Key("bicFi").String(kSandboxBic);
    w.Key("accountId").BeginObject();
    if (r.behaviour.stet.account_id_other) {
      w.Key("other").BeginObject().Key("identification").String(a.iban.substr(4));
      w.Key("schemeName").String("BBAN").Key("issuer").String(kSandboxBic).EndObject();
    } else {
      w.Key("iban").String(a.iban);
    }
    w.Key("currency").String(a.currency.code()).EndObject();
    w.Key("name").String(a.name.empty() ? a.resource_id : a.name);
    w.Key("usage").String("PRIV").Key("cashAccountType").String("CACC").Key("psuStatus").String("Account Holder");
    if (r.behaviour.stet.balances_in_accounts) WriteBalances(w, a, e.balances, r);
    w.Key("_links").BeginObject();
    if (!e.balances_href.empty()) WriteHref(w, "balances", e.balances_href, r);
    if (!e.transactions_href.empty()) WriteHref(w, "transactions", e.transactions_href, r);
    w.EndObject().EndObject();
  }
  w.EndArray().Key("_links").BeginObject();
  WriteHref(w, "self", self, r);
  w.EndObject().EndObject();
  return w.Take();
}

std::string RenderStetBalances(const ScenarioAccount& account, const std::vector<const ScenarioBalance*>& balances,
                               const std::string& self, const StetRender& r) {
  JsonWriter w;
  w.BeginObject();
  WriteBalances(w, account, balances, r);
  w.Key("_links").BeginObject();
  WriteHref(w, "self", self, r);
  w.EndObject().EndObject();
  return w.Take();
}

std::string RenderStetTransactions(const ScenarioAccount& account, const std::vector<TransactionView>& rows,
                                   const StetPageLinks& links, const StetRender& r) {
  JsonWriter w;
  w.BeginObject().Key("transactions").BeginArray();
  for (const TransactionView& t : rows) WriteTransaction(w, t, account.currency, r);
  w.EndArray().Key("_links").BeginObject();
  WriteHref(w, "self", links.self, r);
  if (links.next) {
    w.Key("next").BeginObject().Key("href").String(Href(*links.next, r)).Key("templated").Bool(false).EndObject();
  }
  w.EndObject().EndObject();
  return w.Take();
}

}  // namespace bankfeed::sandbox::stet
