#include "tools/sandbox/berlin_group/render.hpp"

#include "tools/sandbox/random.hpp"

namespace bankfeed::sandbox::berlin_group {
namespace {

void WriteBalance(JsonWriter& w, const ScenarioBalance& b, const Currency& currency, Date today,
                  const RenderOptions& options) {
  w.BeginObject();
  w.Key("balanceType").String(BalanceTypeName(b.type));
  w.Key("balanceAmount");
  WriteAmount(w, b.amount, currency, options);
  w.Key("referenceDate").String(b.date.value_or(today).ToString());
  w.EndObject();
}

// YYYY-MM-DD, or DD/MM/YYYY for a row the bank writes day first (wire.day_first_rows).
std::string WireDate(Date d, bool day_first) {
  const std::string iso = d.ToString();
  if (!day_first) return iso;
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

void WriteTransaction(JsonWriter& w, const TransactionView& t, const Currency& currency,
                      const RenderOptions& options) {
  w.BeginObject();
  if (options.ids != IdMode::kNone) {
    // Unstable: the bank mints a new id on every fetch (entryReference with it, or it would be a stable key).
    const std::string id = options.ids == IdMode::kStable ? std::string(t.id) : "u" + RandomHex(8);
    w.Key("transactionId").String(id);
    w.Key("entryReference").String(id);
  }
  const bool day_first = options.wire.DayFirst(t.id, options.today);
  if (t.booking_date) w.Key("bookingDate").String(WireDate(*t.booking_date, day_first));
  w.Key("valueDate").String(WireDate(t.value_date, day_first));
  w.Key("transactionAmount");
  WriteAmount(w, t.amount, currency, options);
  if (const auto& party = t.row->counterparty) {
    const bool creditor = t.amount.IsNegative();  // money out goes to a creditor, money in comes from a debtor
    if (!party->name.empty()) w.Key(creditor ? "creditorName" : "debtorName").String(party->name);
    if (!party->iban.empty()) {
      w.Key(creditor ? "creditorAccount" : "debtorAccount").BeginObject().Key("iban").String(party->iban).EndObject();
    }
  }
  if (!t.row->remittance.empty()) w.Key("remittanceInformationUnstructured").String(t.row->remittance);
  w.EndObject();
}

}  // namespace

std::string WireHref(const Link& link, const RenderOptions& options) {
  if (!link.href.starts_with("/") || !options.wire.links_absolute) return link.href;
  return options.base_url + link.href;
}

void WriteLinks(JsonWriter& w, const std::vector<Link>& links, const RenderOptions& options, bool as_array) {
  w.Key("_links");
  if (as_array) {
    w.BeginArray();
    for (const Link& l : links) w.BeginObject().Key("rel").String(l.rel).Key("href").String(WireHref(l, options)).EndObject();
    w.EndArray();
    return;
  }
  w.BeginObject();
  for (const Link& l : links) w.Key(l.rel).BeginObject().Key("href").String(WireHref(l, options)).EndObject();
  w.EndObject();
}

void WriteAmount(JsonWriter& w, const Decimal& amount, const Currency& currency, const RenderOptions& options) {
  w.BeginObject();
  w.Key("currency").String(currency.code());
  w.Key("amount");
  if (options.wire.amounts_as_numbers) {
    w.Number(amount.ToString());  // the shortest form: -12.3, 5; a JSON number, never a double
  } else {
    w.String(WireAmount(Money{amount, currency}, options.wire));
  }
  w.EndObject();
}

std::string_view BalanceTypeName(std::string_view code) {
  if (code == "CLBD") return "closingBooked";
  if (code == "XPCD") return "expected";
  if (code == "OPBD") return "openingBooked";
  if (code == "ITAV") return "interimAvailable";
  if (code == "ITBD") return "interimBooked";
  if (code == "FWAV") return "forwardAvailable";
  return code;  // the scenario parser admits only the codes above
}

std::string RenderAccounts(const std::vector<AccountEntry>& accounts, Date today, const RenderOptions& options) {
  JsonWriter w;
  w.BeginObject().Key("accounts").BeginArray();
  for (const AccountEntry& e : accounts) {
    const ScenarioAccount& a = *e.account;
    w.BeginObject();
    w.Key("resourceId").String(a.resource_id);
    w.Key("iban").String(a.iban);
    w.Key("currency").String(a.currency.code());
    if (!a.name.empty()) w.Key("name").String(a.name);
    if (!a.product.empty()) w.Key("product").String(a.product);
    w.Key("cashAccountType").String("CACC");
    if (!e.with_balances.empty()) {
      w.Key("balances").BeginArray();
      for (const ScenarioBalance* b : e.with_balances) WriteBalance(w, *b, a.currency, today, options);
      w.EndArray();
    }
    std::vector<Link> links;
    const std::string base = "/v1/accounts/" + a.resource_id;
    if (e.balances) links.push_back({"balances", base + "/balances"});
    if (e.transactions) links.push_back({"transactions", base + "/transactions"});
    WriteLinks(w, links, options, false);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

std::string RenderBalances(const ScenarioAccount& account, const std::vector<const ScenarioBalance*>& balances,
                           Date today, const RenderOptions& options) {
  JsonWriter w;
  w.BeginObject();
  w.Key("account").BeginObject().Key("iban").String(account.iban).EndObject();
  w.Key("balances").BeginArray();
  for (const ScenarioBalance* b : balances) WriteBalance(w, *b, account.currency, today, options);
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string RenderTransactions(const ScenarioAccount& account, const std::vector<TransactionView>& rows,
                               BookingStatus status, const std::vector<Link>& links, const RenderOptions& options) {
  JsonWriter w;
  w.BeginObject();
  w.Key("account").BeginObject().Key("iban").String(account.iban).EndObject();
  w.Key("transactions").BeginObject();
  for (const bool booked : {true, false}) {
    if (status == (booked ? BookingStatus::kPending : BookingStatus::kBooked)) continue;
    w.Key(booked ? "booked" : "pending").BeginArray();
    for (const TransactionView& t : rows) {
      if (t.booked == booked) WriteTransaction(w, t, account.currency, options);
    }
    w.EndArray();
  }
  WriteLinks(w, links, options, options.wire.links_as_array);
  w.EndObject();
  w.EndObject();
  return w.Take();
}

}  // namespace bankfeed::sandbox::berlin_group
