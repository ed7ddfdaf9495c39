// STET PSD2 1.4.x: wire JSON to the canonical model.
//
// STET sends unsigned amounts with a `creditDebitIndicator` (CRDT/DBIT); the sign comes from the indicator, and a
// debit is negative even when the bank also sent a '-'. Balances are signed as given.
//
// Shapes accepted beyond the letter of 1.4.0.47, because banks (and later STET versions) send them: amounts as JSON
// numbers, date-times where the spec says date, `remittanceInformation` as an array of strings or as an object
// {unstructured[], structured[]}, `bankTransactionCode` {domain, family, subFamily, code, issuer}, the account's
// currency at the top of AccountResource (1.4.0) or inside `accountId` (1.4.2 and later), `Iban` spelt as in the
// spec's own AccountIdentification example, and JSON null wherever an optional object may stand.
#include "adapters/stet/mapping.hpp"

#include <algorithm>

#include "adapters/common/fields.hpp"
#include "adapters/common/json_reader.hpp"
#include "bankfeed/ids.hpp"

namespace bankfeed::stet {
namespace {

using namespace adapters;

// GenericIdentification schemes that carry a card number. CPAN is the full PAN; MPAN and TPAN are masked or
// truncated by the bank.
bool IsCardScheme(const OptString& scheme) { return scheme == "CPAN" || scheme == "MPAN" || scheme == "TPAN"; }

bool IsAllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// AccountIdentification: {iban, other: GenericIdentification {identification, schemeName, issuer}, currency}.
struct AccountIdentification {
  OptString iban, bban, masked_pan, currency;
};

Status ReadGenericIdentification(MapContext& ctx, od::value v, AccountIdentification& out) {
  OptString identification, scheme;
  BANKFEED_RETURN_IF_ERROR(ForEachFieldIfAny(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "identification")) return ReadString(ctx, f, identification);
    if (KeyIs(key, "schemeName")) return ReadString(ctx, f, scheme);
    return {};
  }));
  if (!identification) return {};
  if (!IsCardScheme(scheme)) {
    out.bban = std::move(identification);
  } else if (scheme == "CPAN" || (IsAllDigits(*identification) && identification->size() >= 12)) {
    out.masked_pan = MaskPan(*identification);  // a full card number is never kept, whatever the scheme says
  } else {
    out.masked_pan = std::move(identification);
  }
  return {};
}

// `read_currency`: the account's own currency (validated); a counterparty account's currency is not read.
Status ReadAccountIdentification(MapContext& ctx, od::value v, AccountIdentification& out, bool read_currency) {
  return ForEachFieldIfAny(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "iban") || KeyIs(key, "Iban")) return ReadString(ctx, f, out.iban);
    if (KeyIs(key, "other")) return ReadGenericIdentification(ctx, f, out);
    if (KeyIs(key, "currency") && read_currency) return ReadCurrencyCode(ctx, f, out.currency);
    return {};
  });
}

Status ReadPartyAccount(MapContext& ctx, od::value v, Party& p) {
  AccountIdentification id;
  BANKFEED_RETURN_IF_ERROR(ReadAccountIdentification(ctx, v, id, false));
  if (id.iban) p.iban = std::move(id.iban);
  if (id.bban) p.bban = std::move(id.bban);
  if (id.masked_pan) p.masked_pan = std::move(id.masked_pan);
  return {};
}

// FinancialInstitutionIdentification {bicFi, clearingSystemMemberId, name, postalAddress}; a bare BIC string is
// accepted too (the Berlin Group shape).
Status ReadAgent(MapContext& ctx, od::value v, OptString& bic) {
  od::json_type type;
  BANKFEED_RETURN_IF_ERROR(TypeOf(ctx, v, type));
  if (type == od::json_type::string) return ReadString(ctx, v, bic);
  return ForEachFieldIfAny(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "bicFi")) return ReadString(ctx, f, bic);
    return {};
  });
}

// One item of `structured[]`: an object {creditorReferenceInformation: {reference}, reference}, or a bare string.
Status ReadStructuredItem(MapContext& ctx, od::value v, OptString& out) {
  od::json_type type;
  BANKFEED_RETURN_IF_ERROR(TypeOf(ctx, v, type));
  if (type != od::json_type::object) return AppendStrings(ctx, v, out);
  return ForEachField(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "reference")) return AppendStrings(ctx, f, out);
    if (KeyIs(key, "creditorReferenceInformation")) {
      od::json_type t;
      BANKFEED_RETURN_IF_ERROR(TypeOf(ctx, f, t));
      if (t == od::json_type::array) {
        return ForEachElement(ctx, f, [&](size_t, od::value item) { return ReadStructuredItem(ctx, item, out); });
      }
      return ForEachFieldIfAny(ctx, f, [&](std::string_view k, od::value r) -> Status {
        if (k == "reference") return AppendStrings(ctx, r, out);
        return {};
      });
    }
    return {};
  });
}

// remittanceInformation: an array of strings (1.4.0), or an object {unstructured[], structured[]} (later versions).
Status ReadRemittance(MapContext& ctx, od::value v, Transaction& t) {
  od::json_type type;
  BANKFEED_RETURN_IF_ERROR(TypeOf(ctx, v, type));
  switch (type) {
    case od::json_type::null: return {};
    case od::json_type::array:
    case od::json_type::string: return AppendStrings(ctx, v, t.remittance);
    case od::json_type::object: break;
    default: return ctx.Fail("expected an array or an object");
  }
  return ForEachField(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "unstructured")) return AppendStrings(ctx, f, t.remittance);
    if (KeyIs(key, "structured")) {
      od::json_type st;
      BANKFEED_RETURN_IF_ERROR(TypeOf(ctx, f, st));
      if (st == od::json_type::null) return {};
      if (st != od::json_type::array) return ReadStructuredItem(ctx, f, t.remittance_reference);
      return ForEachElement(ctx, f, [&](size_t, od::value item) {
        return ReadStructuredItem(ctx, item, t.remittance_reference);
      });
    }
    return {};
  });
}

// bankTransactionCode {domain, family, subFamily, code, issuer}: the ISO triple (or the parts present) joined by
// '-', and `code` as the proprietary code. A bare string is taken as the ISO code (the Berlin Group shape).
Status ReadBankTransactionCode(MapContext& ctx, od::value v, Transaction& t) {
  od::json_type type;
  BANKFEED_RETURN_IF_ERROR(TypeOf(ctx, v, type));
  if (type == od::json_type::string) return ReadString(ctx, v, t.bank_transaction_code);
  OptString domain, family, sub_family;
  BANKFEED_RETURN_IF_ERROR(ForEachFieldIfAny(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "domain")) return ReadString(ctx, f, domain);
    if (KeyIs(key, "family")) return ReadString(ctx, f, family);
    if (KeyIs(key, "subFamily")) return ReadString(ctx, f, sub_family);
    if (KeyIs(key, "code")) return ReadString(ctx, f, t.proprietary_code);
    return {};
  }));
  OptString joined;
  for (const OptString* part : {&domain, &family, &sub_family}) {
    if (!*part) continue;
    if (joined) {
      *joined += '-';
      *joined += **part;
    } else {
      joined = **part;
    }
  }
  t.bank_transaction_code = std::move(joined);
  return {};
}

// exchangeRate / currencyExchange: a decimal, an object {exchangeRate, unitCurrency, ...}, or an array of such
// objects. The first rate wins.
Status ReadExchange(MapContext& ctx, od::value v, Transaction& t) {
  od::json_type type;
  BANKFEED_RETURN_IF_ERROR(TypeOf(ctx, v, type));
  switch (type) {
    case od::json_type::null: return {};
    case od::json_type::number:
    case od::json_type::string:
      if (t.exchange_rate) return {};
      return ReadDecimal(ctx, v, t.exchange_rate);
    case od::json_type::array:
      return ForEachElement(ctx, v, [&](size_t, od::value item) { return ReadExchange(ctx, item, t); });
    case od::json_type::object:
      return ForEachField(ctx, v, [&](std::string_view key, od::value f) -> Status {
        if (KeyIs(key, "exchangeRate") && !t.exchange_rate) return ReadDecimal(ctx, f, t.exchange_rate);
        return {};
      });
    default: return ctx.Fail("expected a decimal or an object");
  }
}

// CRDT / DBIT. `debit` is set only on success.
Status ReadCreditDebit(MapContext& ctx, od::value v, std::optional<bool>& debit) {
  OptString s;
  BANKFEED_RETURN_IF_ERROR(ReadString(ctx, v, s));
  if (!s) return {};  // null: as if absent (the amount then carries its own sign)
  if (EqualsNoCase(*s, "CRDT")) {
    debit = false;
  } else if (EqualsNoCase(*s, "DBIT")) {
    debit = true;
  } else {
    return ctx.Fail("unknown credit/debit indicator");
  }
  return {};
}

Status ReadStatus(MapContext& ctx, od::value v, std::optional<TransactionStatus>& status) {
  OptString s;
  BANKFEED_RETURN_IF_ERROR(ReadString(ctx, v, s));
  if (!s) return ctx.Fail("missing");
  if (EqualsNoCase(*s, "BOOK")) {
    status = TransactionStatus::kBooked;
  } else if (EqualsNoCase(*s, "PDNG")) {
    status = TransactionStatus::kPending;
  } else if (EqualsNoCase(*s, "OTHR")) {
    // Information in the standard's reading; a bank that labels its pending rows OTHR says so in its profile.
    status = ctx.options().quirks.other_status == TransactionStatus::kPending ? TransactionStatus::kPending
                                                                                : TransactionStatus::kInfo;
  } else if (EqualsNoCase(*s, "RJCT")) {
    status = TransactionStatus::kRejected;  // a rejected operation: no money moved
  } else {
    return ctx.Fail("unknown transaction status");
  }
  return {};
}

Status ReadTransaction(MapContext& ctx, od::value v, Transaction& t) {
  Party creditor, debtor;
  bool have_amount = false;
  std::optional<bool> debit;
  std::optional<TransactionStatus> status;
  OptString resource_id, transaction_id;
  std::string* const raw = ctx.options().keep_raw_json ? &t.raw_json : nullptr;
  BANKFEED_RETURN_IF_ERROR(ForEachFieldKeepingRaw(ctx, v, raw, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "transactionAmount")) {
      have_amount = true;
      return ReadMoney(ctx, f, "amount", "currency", t.amount, CurrencyFallback::kAccount);
    }
    if (KeyIs(key, "creditDebitIndicator")) return ReadCreditDebit(ctx, f, debit);
    if (KeyIs(key, "status")) return ReadStatus(ctx, f, status);
    if (KeyIs(key, "bookingDate")) return ReadDate(ctx, f, t.booking_date, &t.booking_datetime);
    if (KeyIs(key, "valueDate")) return ReadDate(ctx, f, t.value_date, &t.value_datetime);
    if (KeyIs(key, "transactionDate")) return ReadDate(ctx, f, t.transaction_date, nullptr);
    if (KeyIs(key, "resourceId")) return ReadId(ctx, f, resource_id);
    if (KeyIs(key, "transactionId")) return ReadId(ctx, f, transaction_id);
    if (KeyIs(key, "entryReference")) return ReadId(ctx, f, t.entry_reference);
    if (KeyIs(key, "endToEndId")) return ReadId(ctx, f, t.end_to_end_id);
    if (KeyIs(key, "mandateId")) return ReadId(ctx, f, t.mandate_id);
    if (KeyIs(key, "creditorId")) return ReadId(ctx, f, t.creditor_id);
    if (KeyIs(key, "remittanceInformation")) return ReadRemittance(ctx, f, t);
    // PartyIdentification {name, postalAddress, organisationId, privateId}: only the name is kept.
    if (KeyIs(key, "creditor")) return ReadStringMember(ctx, f, "name", creditor.name);
    if (KeyIs(key, "debtor")) return ReadStringMember(ctx, f, "name", debtor.name);
    if (KeyIs(key, "creditorAccount")) return ReadPartyAccount(ctx, f, creditor);
    if (KeyIs(key, "debtorAccount")) return ReadPartyAccount(ctx, f, debtor);
    if (KeyIs(key, "creditorAgent")) return ReadAgent(ctx, f, creditor.bic);
    if (KeyIs(key, "debtorAgent")) return ReadAgent(ctx, f, debtor.bic);
    if (KeyIs(key, "ultimateCreditor")) return ReadStringMember(ctx, f, "name", creditor.ultimate_name);
    if (KeyIs(key, "ultimateDebtor")) return ReadStringMember(ctx, f, "name", debtor.ultimate_name);
    if (KeyIs(key, "bankTransactionCode")) return ReadBankTransactionCode(ctx, f, t);
    if (KeyIs(key, "merchantCategoryCode")) return ReadCode(ctx, f, t.merchant_category_code);
    if (KeyIs(key, "exchangeRate") || KeyIs(key, "currencyExchange")) return ReadExchange(ctx, f, t);
    if (KeyIs(key, "instructedAmount")) {
      if (IsNull(f)) return {};
      Money m;
      BANKFEED_RETURN_IF_ERROR(ReadMoney(ctx, f, "amount", "currency", m));
      t.original_amount = m;
    }
    return {};
  }));
  if (!have_amount) return ctx.FailMissing("transactionAmount");
  if (!status) return ctx.FailMissing("status");
  // Without an indicator the amount carries its own sign (banks that sign their amounts leave it out).
  if (debit) ApplyCreditDebit(t.amount, *debit);
  t.status = *status;
  // resourceId is STET's own field; transactionId is what some banks send instead.
  t.transaction_id = resource_id ? std::move(resource_id) : std::move(transaction_id);
  SetParty(t.creditor, creditor);
  SetParty(t.debtor, debtor);
  return {};
}

Status ReadBalance(MapContext& ctx, od::value v, Balance& b) {
  bool have_amount = false, have_type = false;
  std::optional<bool> debit;
  BANKFEED_RETURN_IF_ERROR(ForEachField(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "balanceAmount")) {
      have_amount = true;
      return ReadMoney(ctx, f, "amount", "currency", b.amount, CurrencyFallback::kAccount);
    }
    if (KeyIs(key, "balanceType")) {
      have_type = true;
      return ReadBalanceType(ctx, f, {}, b);  // STET sends the ISO codes; another name is OTHR
    }
    // Not in 1.4.0.47, whose balances are signed; applied when a bank sends one.
    if (KeyIs(key, "creditDebitIndicator")) {
      if (IsNull(f)) return {};
      return ReadCreditDebit(ctx, f, debit);
    }
    if (KeyIs(key, "referenceDate")) return ReadDate(ctx, f, b.reference_date, nullptr);
    if (KeyIs(key, "lastChangeDateTime")) return ReadDateTime(ctx, f, b.last_change_datetime);
    return {};
  }));
  if (!have_amount) return ctx.FailMissing("balanceAmount");
  if (!have_type) return ctx.FailMissing("balanceType");
  if (debit) ApplyCreditDebit(b.amount, *debit);
  b.account_id = ctx.options().account_id;
  return {};
}

// AccountResource. `psuStatus` (the PSU's relation to the account: holder, co-holder, attorney) is not an account
// status and is not mapped; `details`, `usage`, `linkedAccount` and the embedded `balances` are ignored.
Status ReadAccount(MapContext& ctx, od::value v, Account& a) {
  AccountIdentification id;
  OptString currency;
  BANKFEED_RETURN_IF_ERROR(ForEachField(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "resourceId")) return ReadId(ctx, f, a.resource_id);
    if (KeyIs(key, "bicFi")) return ReadString(ctx, f, a.bic);
    if (KeyIs(key, "accountId")) return ReadAccountIdentification(ctx, f, id, true);
    if (KeyIs(key, "currency")) return ReadCurrencyCode(ctx, f, currency);
    if (KeyIs(key, "name")) return ReadString(ctx, f, a.name);
    if (KeyIs(key, "product")) return ReadString(ctx, f, a.product);
    if (KeyIs(key, "cashAccountType")) return ReadString(ctx, f, a.cash_account_type);
    return {};
  }));
  a.iban = std::move(id.iban);
  a.bban = std::move(id.bban);
  a.masked_pan = std::move(id.masked_pan);
  a.currency = currency ? std::move(currency) : std::move(id.currency);
  return ctx.FinishAccount(a);
}

// Access.balances / Access.transactions: a list of AccountIdentification. Granted when the list is non-empty. The
// spec's own example sends "" for both, which (like null) grants nothing.
Status ReadAccessibleAccounts(MapContext& ctx, od::value v, bool& granted) {
  od::json_type type;
  BANKFEED_RETURN_IF_ERROR(TypeOf(ctx, v, type));
  if (type == od::json_type::null) return {};
  if (type == od::json_type::string) {
    OptString s;
    BANKFEED_RETURN_IF_ERROR(ReadString(ctx, v, s));
    if (s) return ctx.Fail("expected an array");
    return {};
  }
  size_t count = 0;
  BANKFEED_RETURN_IF_ERROR(ForEachElement(ctx, v, [&](size_t, od::value item) -> Status {
    AccountIdentification ignored;
    ++count;
    return ReadAccountIdentification(ctx, item, ignored, true);
  }));
  granted = granted || count > 0;
  return {};
}

Status ReadGrant(MapContext& ctx, od::value v, bool& granted) {
  std::optional<bool> b;
  BANKFEED_RETURN_IF_ERROR(ReadBool(ctx, v, b));
  granted = granted || b.value_or(false);
  return {};
}

}  // namespace

namespace {

Status ReadTransactionsBody(MapContext& ctx, simdjson::padded_string_view json, std::vector<Transaction>& txs) {
  bool found = false, error_body = false, other = false;
  BANKFEED_RETURN_IF_ERROR(WithDocument(ctx, json, [&](od::value root) {
    return ForEachField(ctx, root, [&](std::string_view key, od::value list) -> Status {
      if (KeyIs(key, "error")) error_body = true;  // STET's error model {timestamp, status, error, message, path}
      if (!KeyIs(key, "transactions")) {
        if (!KeyIs(key, "_links")) other = true;
        return {};
      }
      found = true;
      if (IsNull(list)) return {};
      return AppendTransactions(ctx, list, txs,
                                [&](Transaction& t, od::value item) { return ReadTransaction(ctx, item, t); });
    });
  }));
  // Banks leave the list out when the account has no transactions in the period (the body is then `_links` alone, or
  // empty); an error body, or a body with other keys, is no such page.
  if (!found && error_body) return ctx.FailMissing("transactions", "missing (an error body)");
  if (!found && other) return ctx.FailMissing("transactions");  // not a transactions body without its list
  return {};
}

}  // namespace

Result<std::vector<Transaction>> MapTransactions(simdjson::padded_string_view json, const NormalizeOptions& options) {
  return CollectTransactions(json, options, ReadTransactionsBody);
}

Status StreamTransactions(simdjson::padded_string_view json, const NormalizeOptions& options,
                          const TransactionSink& sink) {
  return SendTransactions(json, options, sink, ReadTransactionsBody);
}

std::string WrapTransactionRow(std::string_view row, TransactionStatus) {
  return "{\"transactions\":[" + std::string(row) + "]}";
}

Result<std::vector<Account>> MapAccounts(simdjson::padded_string_view json, const NormalizeOptions& options) {
  MapContext ctx(options);
  std::vector<Account> out;
  BANKFEED_RETURN_IF_ERROR(ReadRootList(ctx, json, "accounts", out,
                                        [&](Account& r, od::value item) { return ReadAccount(ctx, item, r); }));
  return out;
}

Result<std::vector<Balance>> MapBalances(simdjson::padded_string_view json, const NormalizeOptions& options) {
  MapContext ctx(options);
  std::vector<Balance> out;
  BANKFEED_RETURN_IF_ERROR(ReadRootList(ctx, json, "balances", out,
                                        [&](Balance& r, od::value item) { return ReadBalance(ctx, item, r); }));
  return out;
}

// The consentsPut body (Access). STET has no consent resource to read back: no id and no status, only what access
// the PSU granted. Permissions come out in a fixed order, whatever the key order.
Result<Consent> MapConsent(simdjson::padded_string_view json, const NormalizeOptions& options) {
  MapContext ctx(options);
  Consent c;
  bool balances = false, transactions = false, beneficiaries = false, identity = false, found = false;
  BANKFEED_RETURN_IF_ERROR(WithDocument(ctx, json, [&](od::value root) {
    return ForEachField(ctx, root, [&](std::string_view key, od::value f) -> Status {
      if (KeyIs(key, "balances")) {
        found = true;
        return ReadAccessibleAccounts(ctx, f, balances);
      }
      if (KeyIs(key, "transactions")) {
        found = true;
        return ReadAccessibleAccounts(ctx, f, transactions);
      }
      if (KeyIs(key, "trustedBeneficiaries")) {
        found = true;
        return ReadGrant(ctx, f, beneficiaries);
      }
      if (KeyIs(key, "psuIdentity")) {
        found = true;
        return ReadGrant(ctx, f, identity);
      }
      return {};
    });
  }));
  if (!found) {
    return MakeError(ErrorCode::kInvalidInput,
                     "$: not a consent body (no balances, transactions, trustedBeneficiaries or psuIdentity)");
  }
  if (balances) c.permissions.emplace_back("balances");
  if (transactions) c.permissions.emplace_back("transactions");
  if (beneficiaries) c.permissions.emplace_back("trustedBeneficiaries");
  if (identity) c.permissions.emplace_back("psuIdentity");
  return c;
}

}  // namespace bankfeed::stet
