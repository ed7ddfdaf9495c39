// UK Open Banking Account and Transaction API v3.1.x and v4.0: wire JSON to the canonical model.
//
// One code path for both versions: v4 renamed several enums to ISO codes (Status BOOK/PDNG, balance types CLAV...,
// consent status AWAU/AUTH/...) and a few account fields (AccountCategory, AccountTypeCode); both spellings are
// accepted wherever they occur.
//
// Shapes accepted beyond the letter of the spec, because the standard's own examples or banks send them: amounts as
// JSON numbers, CreditDebitIndicator CRDT/DBIT, `Data.Balance` as a single object (the official "specific account"
// examples), `Account` identification as an object (pre-3.1 versions), and JSON null for any optional object.
#include "adapters/uk_ob/mapping.hpp"

#include <algorithm>
#include <utility>

#include "adapters/common/fields.hpp"
#include "adapters/common/json_reader.hpp"
#include "bankfeed/ids.hpp"

namespace bankfeed::uk_ob {
namespace {

using namespace adapters;

// SchemeName is a namespaced enum ("UK.OBIE.IBAN", or another namespace's "UK.BANK.IBAN"); some banks drop the
// namespace ("IBAN"). The code is what follows the last '.'.
std::string_view SchemeCode(std::string_view scheme) {
  const size_t dot = scheme.rfind('.');
  return dot == std::string_view::npos ? scheme : scheme.substr(dot + 1);
}

// An array of objects, or a single object where the spec says array. f(od::value item) -> Status.
template <typename F>
Status ForEachObject(MapContext& ctx, od::value v, F&& f) {
  od::json_type type;
  if (auto e = v.type().get(type)) return ctx.Fail(e);
  if (type == od::json_type::object) return f(v);
  return ForEachElement(ctx, v, [&](size_t, od::value item) { return f(item); });
}

// CreditDebitIndicator: Credit/Debit (v3.1, v4) or the ISO codes CRDT/DBIT. Null leaves `debit` unset.
Status ReadIndicator(MapContext& ctx, od::value v, std::optional<bool>& debit) {
  OptString s;
  BANKFEED_RETURN_IF_ERROR(ReadString(ctx, v, s));
  if (!s) {
    debit.reset();
  } else if (EqualsNoCase(*s, "Credit") || *s == "CRDT") {
    debit = false;
  } else if (EqualsNoCase(*s, "Debit") || *s == "DBIT") {
    debit = true;
  } else {
    return ctx.Fail("unknown credit/debit indicator");
  }
  return {};
}

// OBCashAccount {SchemeName, Identification, Name, SecondaryIdentification}. The scheme decides what the
// identification is, and keys may come in any order, so both are collected first and classified afterwards.
struct AccountRef {
  OptString scheme, identification, name;
};

Status ReadAccountRef(MapContext& ctx, od::value v, AccountRef& ref) {
  return ForEachFieldIfAny(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "SchemeName")) return ReadString(ctx, f, ref.scheme);
    if (KeyIs(key, "Identification")) return ReadString(ctx, f, ref.identification);
    if (KeyIs(key, "Name")) return ReadString(ctx, f, ref.name);
    return {};
  });
}

// IBAN -> iban; PAN -> masked_pan (a full card number is never kept); every other scheme (SortCodeAccountNumber,
// BBAN, Paym, Wallet, a bank's own) -> bban. Without a SchemeName the identification cannot be classified and is
// dropped. A slot already filled keeps its first value.
void ApplyIdentification(const AccountRef& ref, OptString& iban, OptString& bban, OptString& masked_pan) {
  if (!ref.scheme || !ref.identification) return;
  const std::string_view code = SchemeCode(*ref.scheme);
  if (EqualsNoCase(code, "IBAN")) {
    if (!iban) iban = ref.identification;
  } else if (EqualsNoCase(code, "PAN")) {
    if (!masked_pan) masked_pan = MaskPan(*ref.identification);
  } else if (!bban) {
    bban = ref.identification;
  }
}

void ApplyAccountRef(const AccountRef& ref, Party& p) {
  ApplyIdentification(ref, p.iban, p.bban, p.masked_pan);
  if (!p.name) p.name = ref.name;
}

// OBBranchAndFinancialInstitutionIdentification {SchemeName, Identification, Name, ...}: a BIC under UK.OBIE.BICFI.
Status ReadAgentBic(MapContext& ctx, od::value v, OptString& bic) {
  OptString scheme, identification;
  BANKFEED_RETURN_IF_ERROR(ForEachFieldIfAny(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "SchemeName")) return ReadString(ctx, f, scheme);
    if (KeyIs(key, "Identification")) return ReadString(ctx, f, identification);
    return {};
  }));
  if (scheme && identification && EqualsNoCase(SchemeCode(*scheme), "BICFI")) bic = std::move(identification);
  return {};
}

// BankTransactionCode {Code, SubCode} (ISO family and sub-family) -> "Code-SubCode", or "Code" alone.
Status ReadBankTransactionCode(MapContext& ctx, od::value v, OptString& out) {
  OptString code, sub_code;
  BANKFEED_RETURN_IF_ERROR(ForEachFieldIfAny(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "Code")) return ReadString(ctx, f, code);
    if (KeyIs(key, "SubCode")) return ReadString(ctx, f, sub_code);
    return {};
  }));
  if (!code) return {};
  out = std::move(code);
  if (sub_code) {
    *out += '-';
    *out += *sub_code;
  }
  return {};
}

// CurrencyExchange {SourceCurrency, TargetCurrency, UnitCurrency, ExchangeRate, InstructedAmount{Amount, Currency}}.
Status ReadCurrencyExchange(MapContext& ctx, od::value v, Transaction& t) {
  return ForEachFieldIfAny(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "ExchangeRate")) return ReadDecimal(ctx, f, t.exchange_rate);
    if (KeyIs(key, "InstructedAmount")) {
      if (IsNull(f)) return {};
      Money m;
      BANKFEED_RETURN_IF_ERROR(ReadMoney(ctx, f, "Amount", "Currency", m));
      t.original_amount = m;
    }
    return {};
  });
}

// Status: Booked/Pending (v3.1, any case) or BOOK/PDNG (v4). v4's INFO (information only) and FUTR (future-dated)
// are not movements yet: they map to "info", like Berlin Group's `information` entries. Rejected/RJCT is a rejected
// operation (no money moved).
// `have` tells whether a status was given (null is none).
Status ReadTransactionStatus(MapContext& ctx, od::value v, TransactionStatus& out, bool& have) {
  OptString s;
  BANKFEED_RETURN_IF_ERROR(ReadString(ctx, v, s));
  have = s.has_value();
  if (!s) return {};
  if (EqualsNoCase(*s, "Booked") || *s == "BOOK") {
    out = TransactionStatus::kBooked;
  } else if (EqualsNoCase(*s, "Pending") || *s == "PDNG") {
    out = TransactionStatus::kPending;
  } else if (*s == "INFO" || *s == "FUTR") {
    out = TransactionStatus::kInfo;
  } else if (EqualsNoCase(*s, "Rejected") || *s == "RJCT") {
    out = TransactionStatus::kRejected;
  } else {
    return ctx.Fail("unknown transaction status");
  }
  return {};
}

Status ReadTransaction(MapContext& ctx, od::value v, Transaction& t) {
  Party creditor, debtor;
  AccountRef creditor_account, debtor_account;
  OptString merchant_name;
  std::optional<bool> debit;
  bool have_amount = false, have_status = false;
  std::string* const raw = ctx.options().keep_raw_json ? &t.raw_json : nullptr;
  BANKFEED_RETURN_IF_ERROR(ForEachFieldKeepingRaw(ctx, v, raw, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "Amount")) {
      if (IsNull(f)) return {};
      have_amount = true;
      return ReadMoney(ctx, f, "Amount", "Currency", t.amount);
    }
    if (KeyIs(key, "CreditDebitIndicator")) return ReadIndicator(ctx, f, debit);
    if (KeyIs(key, "Status")) return ReadTransactionStatus(ctx, f, t.status, have_status);
    if (KeyIs(key, "BookingDateTime")) return ReadDate(ctx, f, t.booking_date, &t.booking_datetime);
    if (KeyIs(key, "ValueDateTime")) return ReadDate(ctx, f, t.value_date, &t.value_datetime);
    if (KeyIs(key, "TransactionId")) return ReadId(ctx, f, t.transaction_id);
    if (KeyIs(key, "TransactionReference")) return ReadId(ctx, f, t.entry_reference);
    if (KeyIs(key, "TransactionInformation")) return ReadString(ctx, f, t.remittance);
    if (KeyIs(key, "BankTransactionCode")) return ReadBankTransactionCode(ctx, f, t.bank_transaction_code);
    if (KeyIs(key, "ProprietaryBankTransactionCode")) {
      return ForEachFieldIfAny(ctx, f, [&](std::string_view k, od::value c) -> Status {
        if (k == "Code") return ReadCode(ctx, c, t.proprietary_code);
        return {};
      });
    }
    if (KeyIs(key, "MerchantDetails")) {
      return ForEachFieldIfAny(ctx, f, [&](std::string_view k, od::value m) -> Status {
        if (k == "MerchantName") return ReadString(ctx, m, merchant_name);
        if (k == "MerchantCategoryCode") return ReadCode(ctx, m, t.merchant_category_code);
        return {};
      });
    }
    if (KeyIs(key, "CreditorAccount")) return ReadAccountRef(ctx, f, creditor_account);
    if (KeyIs(key, "DebtorAccount")) return ReadAccountRef(ctx, f, debtor_account);
    if (KeyIs(key, "CreditorAgent")) return ReadAgentBic(ctx, f, creditor.bic);
    if (KeyIs(key, "DebtorAgent")) return ReadAgentBic(ctx, f, debtor.bic);
    // UltimateCreditor / UltimateDebtor (v4): only the name is kept.
    if (KeyIs(key, "UltimateCreditor")) return ReadStringMember(ctx, f, "Name", creditor.ultimate_name);
    if (KeyIs(key, "UltimateDebtor")) return ReadStringMember(ctx, f, "Name", debtor.ultimate_name);
    if (KeyIs(key, "CurrencyExchange")) return ReadCurrencyExchange(ctx, f, t);
    return {};
  }));
  if (!have_amount) return ctx.FailMissing("Amount");
  if (!debit) return ctx.FailMissing("CreditDebitIndicator");
  if (!have_status) return ctx.FailMissing("Status");
  // The amounts are unsigned on the wire; the indicator gives the sign of both the booked and the instructed amount.
  ApplyCreditDebit(t.amount, *debit);
  if (t.original_amount) ApplyCreditDebit(*t.original_amount, *debit);
  ApplyAccountRef(creditor_account, creditor);
  ApplyAccountRef(debtor_account, debtor);
  // A card payment names the merchant only in MerchantDetails: the merchant is the payee.
  if (!creditor.name && merchant_name) creditor.name = std::move(merchant_name);
  SetParty(t.creditor, creditor);
  SetParty(t.debtor, debtor);
  return {};
}

// Calls f(value) for Data.<member>. `found` tells whether it was there and not null.
template <typename F>
Status ReadDataMember(MapContext& ctx, simdjson::padded_string_view json, std::string_view member, bool& found,
                      F&& f) {
  found = false;
  return WithDocument(ctx, json, [&](od::value root) {
    return ForEachField(ctx, root, [&](std::string_view key, od::value data) -> Status {
      if (key != "Data" || IsNull(data)) return {};
      // The lists are optional in the spec: a page with `"Data": {}` is an empty page, not an error.
      found = true;
      return ForEachFieldIfAny(ctx, data, [&](std::string_view k, od::value value) -> Status {
        if (k != member || IsNull(value)) return {};
        return f(value);
      });
    });
  });
}

// Balance types: v3.1 names to ISO 20022 codes. v4 sends the codes, which pass through (ReadBalanceType).
constexpr BalanceTypeName kBalanceTypes[] = {
    {"ClosingAvailable", "CLAV"}, {"ClosingBooked", "CLBD"},     {"Expected", "XPCD"},
    {"ForwardAvailable", "FWAV"}, {"Information", "INFO"},       {"InterimAvailable", "ITAV"},
    {"InterimBooked", "ITBD"},    {"OpeningAvailable", "OPAV"},  {"OpeningBooked", "OPBD"},
    {"PreviouslyClosedBooked", "PRCD"}, {"ClosingCleared", "OTHR"}, {"InterimCleared", "OTHR"},
    {"OpeningCleared", "OTHR"},
};

Status ReadBalance(MapContext& ctx, od::value v, Balance& b) {
  bool have_amount = false, have_type = false, have_credit_line = false, included = false;
  std::optional<bool> debit;
  BANKFEED_RETURN_IF_ERROR(ForEachField(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "Amount")) {
      if (IsNull(f)) return {};
      have_amount = true;
      return ReadMoney(ctx, f, "Amount", "Currency", b.amount);
    }
    if (KeyIs(key, "CreditDebitIndicator")) return ReadIndicator(ctx, f, debit);
    if (KeyIs(key, "Type")) {
      if (IsNull(f)) return {};
      have_type = true;
      return ReadBalanceType(ctx, f, kBalanceTypes, b);
    }
    if (KeyIs(key, "DateTime")) return ReadDate(ctx, f, b.reference_date, &b.last_change_datetime);
    if (KeyIs(key, "CreditLine")) {
      if (IsNull(f)) return {};
      return ForEachObject(ctx, f, [&](od::value line) -> Status {  // an array, or one object at some banks
        have_credit_line = true;
        return ForEachField(ctx, line, [&](std::string_view k, od::value i) -> Status {
          if (k != "Included") return {};
          std::optional<bool> flag;
          BANKFEED_RETURN_IF_ERROR(ReadBool(ctx, i, flag));
          if (flag.value_or(false)) included = true;
          return {};
        });
      });
    }
    return {};
  }));
  if (!have_amount) return ctx.FailMissing("Amount");
  if (!debit) return ctx.FailMissing("CreditDebitIndicator");
  if (!have_type) return ctx.FailMissing("Type");
  ApplyCreditDebit(b.amount, *debit);
  if (have_credit_line) b.credit_limit_included = included;
  b.account_id = ctx.options().account_id;  // the bank's AccountId is not the canonical account id
  return {};
}

Status ReadAccount(MapContext& ctx, od::value v, Account& a) {
  OptString sub_type, type;  // v3.1 AccountSubType/AccountType, v4 AccountTypeCode/AccountCategory
  BANKFEED_RETURN_IF_ERROR(ForEachField(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "AccountId")) return ReadId(ctx, f, a.resource_id);
    if (KeyIs(key, "Currency")) return ReadCurrencyCode(ctx, f, a.currency);
    if (KeyIs(key, "Nickname")) return ReadString(ctx, f, a.name);
    if (KeyIs(key, "Description")) return ReadString(ctx, f, a.product);
    if (KeyIs(key, "AccountSubType") || KeyIs(key, "AccountTypeCode")) return ReadString(ctx, f, sub_type);
    if (KeyIs(key, "AccountType") || KeyIs(key, "AccountCategory")) return ReadString(ctx, f, type);
    if (KeyIs(key, "Status")) return ReadString(ctx, f, a.status);
    if (KeyIs(key, "Servicer")) return ReadAgentBic(ctx, f, a.bic);
    if (KeyIs(key, "Account")) {
      if (IsNull(f)) return {};
      return ForEachObject(ctx, f, [&](od::value item) -> Status {
        AccountRef ref;
        BANKFEED_RETURN_IF_ERROR(ReadAccountRef(ctx, item, ref));
        ApplyIdentification(ref, a.iban, a.bban, a.masked_pan);
        if (!a.owner_name) a.owner_name = std::move(ref.name);
        return {};
      });
    }
    return {};
  }));
  a.cash_account_type = sub_type ? std::move(sub_type) : std::move(type);
  return ctx.FinishAccount(a);
}

// v3.1 words and v4 codes. v4 has no revoked status: CANC (cancelled) is how it reports a consent the PSU withdrew.
std::optional<ConsentStatus> ConsentStatusFor(std::string_view s) {
  if (s == "AwaitingAuthorisation" || s == "AWAU") return ConsentStatus::kReceived;
  if (s == "Authorised" || s == "AUTH") return ConsentStatus::kValid;
  if (s == "Rejected" || s == "RJCT" || s == "REJT") return ConsentStatus::kRejected;  // REJT: the v4 docs' own example
  if (s == "Revoked" || s == "CANC") return ConsentStatus::kRevoked;
  if (s == "Expired" || s == "EXPD") return ConsentStatus::kExpired;
  return std::nullopt;
}

Status ReadConsentData(MapContext& ctx, od::value v, Consent& c) {
  return ForEachField(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "ConsentId")) return ReadId(ctx, f, c.consent_id);
    if (KeyIs(key, "Status")) return ReadConsentStatus(ctx, f, c, ConsentStatusFor);
    if (KeyIs(key, "Permissions")) {
      if (IsNull(f)) return {};
      return ForEachElement(ctx, f, [&](size_t, od::value item) -> Status {
        OptString p;
        BANKFEED_RETURN_IF_ERROR(ReadString(ctx, item, p));
        if (p) c.permissions.push_back(std::move(*p));
        return {};
      });
    }
    if (KeyIs(key, "ExpirationDateTime")) return ReadDate(ctx, f, c.valid_until, nullptr);
    if (KeyIs(key, "CreationDateTime")) return ReadDateTime(ctx, f, c.created_datetime);
    if (KeyIs(key, "StatusUpdateDateTime")) return ReadDateTime(ctx, f, c.status_updated_datetime);
    if (KeyIs(key, "TransactionFromDateTime")) return ReadDateTime(ctx, f, c.transaction_from_datetime);
    if (KeyIs(key, "TransactionToDateTime")) return ReadDateTime(ctx, f, c.transaction_to_datetime);
    return {};
  });
}

// UK banks group amounts' digits with ',' ("1,000.00"; several large banks): unambiguous here, so always accepted.
NormalizeOptions UkOptions(const NormalizeOptions& options) {
  NormalizeOptions uk = options;
  uk.quirks.thousands_separator = true;
  return uk;
}

}  // namespace

namespace {

Status ReadTransactionsBody(MapContext& ctx, simdjson::padded_string_view json, std::vector<Transaction>& txs) {
  bool found = false;
  BANKFEED_RETURN_IF_ERROR(ReadDataMember(ctx, json, "Transaction", found, [&](od::value list) {
    return AppendTransactions(ctx, list, txs,
                              [&](Transaction& t, od::value item) { return ReadTransaction(ctx, item, t); });
  }));
  if (!found) return MakeError(ErrorCode::kInvalidInput, "Data: missing");
  return {};
}

}  // namespace

Result<std::vector<Transaction>> MapTransactions(simdjson::padded_string_view json, const NormalizeOptions& options) {
  return CollectTransactions(json, UkOptions(options), ReadTransactionsBody);
}

Status StreamTransactions(simdjson::padded_string_view json, const NormalizeOptions& options,
                          const TransactionSink& sink) {
  return SendTransactions(json, UkOptions(options), sink, ReadTransactionsBody);
}

std::string WrapTransactionRow(std::string_view row, TransactionStatus) {
  return "{\"Data\":{\"Transaction\":[" + std::string(row) + "]}}";
}

Result<std::vector<Account>> MapAccounts(simdjson::padded_string_view json, const NormalizeOptions& options) {
  const NormalizeOptions uk = UkOptions(options);
  MapContext ctx(uk);
  std::vector<Account> accounts;
  bool found = false;
  BANKFEED_RETURN_IF_ERROR(ReadDataMember(ctx, json, "Account", found, [&](od::value list) {
    return AppendEach(ctx, list, accounts, [&](Account& a, od::value item) { return ReadAccount(ctx, item, a); });
  }));
  if (!found) return MakeError(ErrorCode::kInvalidInput, "Data: missing");
  return accounts;
}

Result<std::vector<Balance>> MapBalances(simdjson::padded_string_view json, const NormalizeOptions& options) {
  const NormalizeOptions uk = UkOptions(options);
  MapContext ctx(uk);
  std::vector<Balance> balances;
  bool found = false;
  BANKFEED_RETURN_IF_ERROR(ReadDataMember(ctx, json, "Balance", found, [&](od::value list) {
    return ForEachObject(ctx, list, [&](od::value item) {
      balances.emplace_back();
      return ReadBalance(ctx, item, balances.back());
    });
  }));
  if (!found) return MakeError(ErrorCode::kInvalidInput, "Data: missing");
  return balances;
}

// Account-access-consent responses (POST 201, GET 200) and request bodies. UK SCA is always an OAuth2 redirect
// carrying the ConsentId, so a consent with an id has sca_method "redirect"; a request body has neither.
Result<Consent> MapConsent(simdjson::padded_string_view json, const NormalizeOptions& options) {
  const NormalizeOptions uk = UkOptions(options);
  MapContext ctx(uk);
  Consent c;
  bool found = false;
  BANKFEED_RETURN_IF_ERROR(WithDocument(ctx, json, [&](od::value root) {
    return ForEachField(ctx, root, [&](std::string_view key, od::value f) -> Status {
      if (key != "Data" || IsNull(f)) return {};
      found = true;
      return ReadConsentData(ctx, f, c);
    });
  }));
  if (!found) return MakeError(ErrorCode::kInvalidInput, "Data: missing");
  if (c.consent_id) c.sca_method = "redirect";
  return c;
}

}  // namespace bankfeed::uk_ob
