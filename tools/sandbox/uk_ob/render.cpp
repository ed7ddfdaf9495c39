// UK Open Banking wire JSON. See uk_ob/render.hpp.
#include "tools/sandbox/uk_ob/render.hpp"

#include <array>

#include "tools/sandbox/random.hpp"

namespace bankfeed::sandbox::uk_ob {
namespace {

constexpr std::array<std::string_view, 8> kAccountSubTypes = {"ChargeCard", "CreditCard", "CurrentAccount", "EMoney",
                                                              "Loan",       "Mortgage",   "PrePaidCard",    "Savings"};

void WriteUkAmount(JsonWriter& w, const Decimal& amount, const Currency& currency, const UkRenderOptions& o) {
  const Decimal magnitude = amount.Abs();
  w.BeginObject();
  w.Key("Amount");
  if (o.wire.amounts_as_numbers) {
    w.Number(magnitude.ToString());
  } else {
    w.String(WireAmount(Money{magnitude, currency}, o.wire));
  }
  w.Key("Currency").String(currency.code());
  w.EndObject();
}

void WriteIndicator(JsonWriter& w, const Decimal& amount) {
  w.Key("CreditDebitIndicator").String(amount.IsNegative() ? "Debit" : "Credit");
}

void WriteUkLinks(JsonWriter& w, const UkLinks& links, const UkRenderOptions& o) {
  w.Key("Links").BeginObject();
  const std::pair<std::string_view, const std::string*> all[] = {{"Self", &links.self},
                                                                 {"First", &links.first},
                                                                 {"Prev", &links.prev},
                                                                 {"Next", &links.next},
                                                                 {"Last", &links.last}};
  for (const auto& [name, href] : all) {
    if (!href->empty()) w.Key(name).String(UkHref(*href, o));
  }
  w.EndObject();
}

void WriteMeta(JsonWriter& w, int64_t total_pages) {
  w.Key("Meta").BeginObject().Key("TotalPages").Int(total_pages).EndObject();
}

void WriteUkTransaction(JsonWriter& w, const ScenarioAccount& account, const TransactionView& t, bool detail,
                        const UkRenderOptions& o) {
  w.BeginObject();
  w.Key("AccountId").String(UkAccountId(account, o));
  if (o.ids != IdMode::kNone) {
    // Unstable: a new id on every fetch (the reference with it, or it would be a stable key).
    const std::string id = o.ids == IdMode::kStable ? std::string(t.id) : "u" + RandomHex(8);
    w.Key("TransactionId").String(id);
    w.Key("TransactionReference").String(id);
  }
  w.Key("Amount");
  WriteUkAmount(w, t.amount, account.currency, o);
  WriteIndicator(w, t.amount);
  w.Key("Status").String(t.booked ? "Booked" : "Pending");
  // BookingDateTime is required in v3.1, pending rows too: theirs is the value date.
  w.Key("BookingDateTime").String(MidnightUtc(t.booked ? *t.booking_date : t.value_date));
  w.Key("ValueDateTime").String(MidnightUtc(t.value_date));
  if (detail) {
    if (!t.row->remittance.empty()) w.Key("TransactionInformation").String(t.row->remittance);
    if (const auto& party = t.row->counterparty) {
      // Money out goes to a creditor, money in comes from a debtor.
      w.Key(t.amount.IsNegative() ? "CreditorAccount" : "DebtorAccount").BeginObject();
      if (!party->iban.empty()) {
        w.Key("SchemeName").String("UK.OBIE.IBAN");
        w.Key("Identification").String(party->iban);
      }
      if (!party->name.empty()) w.Key("Name").String(party->name);
      w.EndObject();
    }
  }
  w.EndObject();
}

}  // namespace

std::string UkHref(std::string_view href, const UkRenderOptions& o) {
  if (!href.starts_with("/") || !o.wire.links_absolute) return std::string(href);
  return o.base_url + std::string(href);
}

std::string MidnightUtc(Date date) { return date.ToString() + "T00:00:00+00:00"; }

std::string_view UkBalanceType(std::string_view code) {
  if (code == "CLBD") return "ClosingBooked";
  if (code == "CLAV") return "ClosingAvailable";
  if (code == "XPCD") return "Expected";
  if (code == "OPBD") return "OpeningBooked";
  if (code == "OPAV") return "OpeningAvailable";
  if (code == "ITAV") return "InterimAvailable";
  if (code == "ITBD") return "InterimBooked";
  if (code == "FWAV") return "ForwardAvailable";
  if (code == "INFO") return "Information";
  if (code == "PRCD") return "PreviouslyClosedBooked";
  return code;  // the scenario parser admits only the codes above
}

std::string_view UkAccountSubType(const ScenarioAccount& account) {
  for (std::string_view t : kAccountSubTypes) {
    if (account.product == t) return t;
  }
  return "CurrentAccount";
}

std::string RenderAccessConsent(const AccessConsent& c, const UkLinks& links, const UkRenderOptions& o) {
  JsonWriter w;
  w.BeginObject();
  w.Key("Data").BeginObject();
  w.Key("ConsentId").String(c.id);
  w.Key("Status").String(AccessConsentStatusName(c.status));
  w.Key("CreationDateTime").String(c.created);
  w.Key("StatusUpdateDateTime").String(c.status_updated);
  w.Key("Permissions").BeginArray();
  for (const std::string& p : c.request.permissions) w.String(p);
  w.EndArray();
  if (c.request.expiration) w.Key("ExpirationDateTime").String(c.request.expiration->text);
  if (c.request.transactions_from) w.Key("TransactionFromDateTime").String(c.request.transactions_from->text);
  if (c.request.transactions_to) w.Key("TransactionToDateTime").String(c.request.transactions_to->text);
  w.EndObject();
  w.Key("Risk").BeginObject().EndObject();
  WriteUkLinks(w, links, o);
  WriteMeta(w, 1);
  w.EndObject();
  return w.Take();
}

std::string RenderUkAccounts(const std::vector<const ScenarioAccount*>& accounts, bool detail, const UkLinks& links,
                             const UkRenderOptions& o) {
  JsonWriter w;
  w.BeginObject();
  w.Key("Data").BeginObject().Key("Account").BeginArray();
  for (const ScenarioAccount* a : accounts) {
    w.BeginObject();
    w.Key("AccountId").String(UkAccountId(*a, o));
    w.Key("Currency").String(a->currency.code());
    w.Key("AccountType").String("Personal");
    w.Key("AccountSubType").String(UkAccountSubType(*a));
    if (!a->name.empty()) w.Key("Nickname").String(a->name);
    if (detail) {
      w.Key("Account").BeginArray().BeginObject();
      w.Key("SchemeName").String("UK.OBIE.IBAN");
      w.Key("Identification").String(a->iban);
      if (!a->name.empty()) w.Key("Name").String(a->name);
      w.EndObject().EndArray();
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  WriteUkLinks(w, links, o);
  WriteMeta(w, 1);
  w.EndObject();
  return w.Take();
}

std::string RenderUkBalances(const ScenarioAccount& account, const std::vector<const ScenarioBalance*>& balances,
                             Date today, const UkLinks& links, const UkRenderOptions& o) {
  JsonWriter w;
  w.BeginObject();
  w.Key("Data").BeginObject().Key("Balance").BeginArray();
  for (const ScenarioBalance* b : balances) {
    w.BeginObject();
    w.Key("AccountId").String(UkAccountId(account, o));
    w.Key("Amount");
    WriteUkAmount(w, b->amount, account.currency, o);
    WriteIndicator(w, b->amount);
    w.Key("Type").String(UkBalanceType(b->type));
    w.Key("DateTime").String(MidnightUtc(b->date.value_or(today)));
    w.EndObject();
  }
  w.EndArray().EndObject();
  WriteUkLinks(w, links, o);
  WriteMeta(w, 1);
  w.EndObject();
  return w.Take();
}

std::string RenderUkTransactions(const ScenarioAccount& account, const std::vector<TransactionView>& rows, bool detail,
                                 const UkLinks& links, int64_t total_pages, const UkRenderOptions& o) {
  JsonWriter w;
  w.BeginObject();
  w.Key("Data").BeginObject().Key("Transaction").BeginArray();
  for (const TransactionView& t : rows) WriteUkTransaction(w, account, t, detail, o);
  w.EndArray().EndObject();
  WriteUkLinks(w, links, o);
  WriteMeta(w, total_pages);
  w.EndObject();
  return w.Take();
}

}  // namespace bankfeed::sandbox::uk_ob
