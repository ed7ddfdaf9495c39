// Berlin Group NextGenPSD2 1.3.x: wire JSON to the canonical model.
//
// Shapes accepted beyond the letter of the spec, because banks send them: amounts as JSON numbers, `_links` as an
// array, `currencyExchange` as an object or an array, `remittanceInformationStructured` as a string or an object,
// `recurringIndicator` as "true"/"false", and date-times where the spec says date.
#include "adapters/berlin_group/mapping.hpp"

#include <algorithm>

#include "adapters/common/json_reader.hpp"
#include "adapters/common/fields.hpp"
#include "bankfeed/ids.hpp"

namespace bankfeed::berlin_group {
namespace {

using namespace adapters;

// accountReference: {iban, bban, pan, maskedPan, msisdn, other, currency}.
Status ReadAccountReference(MapContext& ctx, od::value v, Party& p) {
  return ForEachFieldIfAny(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "iban")) return ReadString(ctx, f, p.iban);
    if (KeyIs(key, "bban")) return ReadString(ctx, f, p.bban);
    if (KeyIs(key, "maskedPan")) return ReadString(ctx, f, p.masked_pan);
    if (KeyIs(key, "pan")) {
      OptString pan;
      BANKFEED_RETURN_IF_ERROR(ReadString(ctx, f, pan));
      if (pan && !p.masked_pan) p.masked_pan = MaskPan(*pan);  // a full card number is never kept
    }
    return {};
  });
}

// remittanceInformationStructured: a string (Max140) or an object {reference, referenceType, referenceIssuer}.
Status ReadStructuredRemittance(MapContext& ctx, od::value v, OptString& out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return ctx.Fail(e);
  if (type != od::json_type::object) return AppendStrings(ctx, v, out);
  return ForEachFieldIfAny(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "reference")) return AppendStrings(ctx, f, out);
    return {};
  });
}

// A name: a string (Max70Text), or an object {name} as some banks send for the ultimate parties.
Status ReadNameOrString(MapContext& ctx, od::value v, OptString& out) {
  od::json_type type;
  BANKFEED_RETURN_IF_ERROR(TypeOf(ctx, v, type));
  if (type == od::json_type::object) return ReadStringMember(ctx, v, "name", out);
  return ReadString(ctx, v, out);
}

// currencyExchange: one reportExchangeRate object, or an array of them. The first rate wins; a bank that sends
// several reports the same conversion per leg.
Status ReadExchange(MapContext& ctx, od::value v, Transaction& t) {
  auto one = [&](od::value item) -> Status {
    return ForEachField(ctx, item, [&](std::string_view key, od::value f) -> Status {
      if (KeyIs(key, "exchangeRate") && !t.exchange_rate) return ReadDecimal(ctx, f, t.exchange_rate);
      return {};
    });
  };
  od::json_type type;
  if (auto e = v.type().get(type)) return ctx.Fail(e);
  if (type == od::json_type::null) return {};
  if (type == od::json_type::array) return ForEachElement(ctx, v, [&](size_t, od::value item) { return one(item); });
  return one(v);
}

Status ReadTransaction(MapContext& ctx, od::value v, TransactionStatus status, Transaction& t) {
  t.status = status;
  // Read in place; a side the bank gave nothing for is dropped at the end.
  Party& creditor = t.creditor.emplace();
  Party& debtor = t.debtor.emplace();
  bool have_amount = false;
  std::string* const raw = ctx.options().keep_raw_json ? &t.raw_json : nullptr;
  BANKFEED_RETURN_IF_ERROR(ForEachFieldKeepingRaw(ctx, v, raw, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "transactionAmount")) {
      have_amount = true;
      return ReadMoney(ctx, f, "amount", "currency", t.amount);
    }
    if (KeyIs(key, "bookingDate")) return ReadDate(ctx, f, t.booking_date, &t.booking_datetime);
    if (KeyIs(key, "valueDate")) return ReadDate(ctx, f, t.value_date, &t.value_datetime);
    if (KeyIs(key, "transactionId") || KeyIs(key, "cardTransactionId")) return ReadId(ctx, f, t.transaction_id);
    if (KeyIs(key, "remittanceInformationUnstructured") || KeyIs(key, "remittanceInformationUnstructuredArray")) {
      return AppendStrings(ctx, f, t.remittance);
    }
    if (KeyIs(key, "creditorName")) return ReadString(ctx, f, creditor.name);
    if (KeyIs(key, "debtorName")) return ReadString(ctx, f, debtor.name);
    if (KeyIs(key, "creditorAccount")) return ReadAccountReference(ctx, f, creditor);
    if (KeyIs(key, "debtorAccount")) return ReadAccountReference(ctx, f, debtor);
    if (KeyIs(key, "creditorAgent")) return ReadString(ctx, f, creditor.bic);
    if (KeyIs(key, "debtorAgent")) return ReadString(ctx, f, debtor.bic);
    if (KeyIs(key, "ultimateCreditor")) return ReadNameOrString(ctx, f, creditor.ultimate_name);
    if (KeyIs(key, "ultimateDebtor")) return ReadNameOrString(ctx, f, debtor.ultimate_name);
    if (KeyIs(key, "entryReference")) return ReadId(ctx, f, t.entry_reference);
    if (KeyIs(key, "endToEndId")) return ReadId(ctx, f, t.end_to_end_id);
    if (KeyIs(key, "mandateId")) return ReadId(ctx, f, t.mandate_id);
    if (KeyIs(key, "creditorId")) return ReadId(ctx, f, t.creditor_id);
    if (KeyIs(key, "transactionDate")) return ReadDate(ctx, f, t.transaction_date, nullptr);
    if (KeyIs(key, "remittanceInformationStructured")) return ReadStructuredRemittance(ctx, f, t.remittance_reference);
    if (KeyIs(key, "remittanceInformationStructuredArray")) {
      return ForEachElement(ctx, f, [&](size_t, od::value item) {
        return ReadStructuredRemittance(ctx, item, t.remittance_reference);
      });
    }
    if (KeyIs(key, "bankTransactionCode")) return ReadCode(ctx, f, t.bank_transaction_code);
    if (KeyIs(key, "proprietaryBankTransactionCode")) return ReadCode(ctx, f, t.proprietary_code);
    if (KeyIs(key, "merchantCategoryCode")) return ReadCode(ctx, f, t.merchant_category_code);
    if (KeyIs(key, "currencyExchange")) return ReadExchange(ctx, f, t);
    if (KeyIs(key, "instructedAmount") || KeyIs(key, "originalAmount")) {
      if (IsNull(f)) return {};
      Money m;
      BANKFEED_RETURN_IF_ERROR(ReadMoney(ctx, f, "amount", "currency", m));
      t.original_amount = m;
    }
    return {};
  }));
  if (!have_amount) return ctx.FailMissing("transactionAmount");
  if (creditor.Empty()) t.creditor.reset();
  if (debtor.Empty()) t.debtor.reset();
  return {};
}

// The report's lists, counted together by ReserveReportRows (below): the room is already there.
Status ReadTransactionList(MapContext& ctx, od::value v, TransactionStatus status, std::vector<Transaction>& out) {
  if (IsNull(v)) return {};
  return AppendTransactions(
      ctx, v, out, [&](Transaction& t, od::value item) { return ReadTransaction(ctx, item, status, t); },
      Reserved::kYes, status);
}

// accountReport: {booked, pending, information, _links}. Rows come out booked, then pending, then information,
// whatever order the keys arrive in. Banks send them in that order, so rows go straight into `out` and are only
// reordered (stably) when a bank did not.
std::optional<TransactionStatus> ListStatus(std::string_view key) {
  if (KeyIs(key, "booked")) return TransactionStatus::kBooked;
  if (KeyIs(key, "pending")) return TransactionStatus::kPending;
  if (KeyIs(key, "information")) return TransactionStatus::kInfo;
  return std::nullopt;
}

// Counts the rows of all of the report's lists and reserves room for them at once: reserving list by list would
// move every booked row again when the pending list arrives. Also tells whether the lists come in output order.
// Only counts; a value of the wrong type is left for the reading pass to report, and the object is reset for it.
Status ScanReportLists(MapContext& ctx, od::object& report, std::vector<Transaction>& out, bool& in_order) {
  size_t rows = 0;
  in_order = true;
  std::optional<TransactionStatus> last;
  BANKFEED_RETURN_IF_ERROR(ForEachFieldOf(ctx, report, [&](std::string_view key, od::value f) -> Status {
    const auto status = ListStatus(key);
    if (!status) return {};
    if (last && *status < *last) in_order = false;
    last = status;
    od::array list;
    if (ctx.streaming() || f.get_array().get(list)) return {};
    size_t count = 0;
    if (auto e = list.count_elements().get(count)) return ctx.Fail(e);
    rows += count;
    return {};
  }));
  bool unused = false;
  if (auto e = report.reset().get(unused)) return ctx.Fail(e);
  if (!ctx.streaming()) ReserveRows(out, out.size() + rows);
  return {};
}

// Reads the report's lists; with `only`, just that list.
Status ReadReportLists(MapContext& ctx, od::object& report, std::vector<Transaction>& out,
                       std::optional<TransactionStatus> only) {
  return ForEachFieldOf(ctx, report, [&](std::string_view key, od::value f) -> Status {
    const auto status = ListStatus(key);
    if (!status || (only && *status != *only)) return {};
    return ReadTransactionList(ctx, f, *status, out);
  });
}

Status ReadAccountReport(MapContext& ctx, od::value v, std::vector<Transaction>& out) {
  const size_t first = out.size();
  od::object report;
  if (auto e = v.get_object().get(report)) {
    return e == simdjson::INCORRECT_TYPE ? ctx.Fail("expected an object") : ctx.Fail(e);
  }
  bool in_order = true;
  BANKFEED_RETURN_IF_ERROR(ScanReportLists(ctx, report, out, in_order));
  if (ctx.streaming() && !in_order) {
    // Rows leave as they are read, so lists sent out of order are read one at a time, in output order.
    for (const TransactionStatus status :
         {TransactionStatus::kBooked, TransactionStatus::kPending, TransactionStatus::kInfo}) {
      BANKFEED_RETURN_IF_ERROR(ReadReportLists(ctx, report, out, status));
      bool unused = false;
      if (auto e = report.reset().get(unused)) return ctx.Fail(e);
    }
    return {};
  }
  BANKFEED_RETURN_IF_ERROR(ReadReportLists(ctx, report, out, std::nullopt));
  if (ctx.streaming()) return {};
  auto by_status = [](const Transaction& a, const Transaction& b) { return a.status < b.status; };
  const auto begin = out.begin() + static_cast<std::ptrdiff_t>(first);
  if (!std::is_sorted(begin, out.end(), by_status)) std::stable_sort(begin, out.end(), by_status);
  return {};
}

// Balance types: Berlin Group names to ISO 20022 codes (ReadBalanceType: ISO codes sent as-is are accepted, case
// and '_' variants match, other names such as 1.3's `authorised` are OTHR).
constexpr BalanceTypeName kBalanceTypes[] = {
    {"closingBooked", "CLBD"},    {"expected", "XPCD"},        {"openingBooked", "OPBD"},
    {"interimAvailable", "ITAV"}, {"interimBooked", "ITBD"},   {"forwardAvailable", "FWAV"},
    {"closingAvailable", "CLAV"}, {"openingAvailable", "OPAV"}, {"information", "INFO"},
    {"previouslyClosedBooked", "PRCD"}, {"valueDate", "VALU"}, {"nonInvoiced", "OTHR"},
};

Status ReadBalance(MapContext& ctx, od::value v, Balance& b) {
  bool have_amount = false, have_type = false;
  BANKFEED_RETURN_IF_ERROR(ForEachField(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "balanceAmount")) {
      have_amount = true;
      return ReadMoney(ctx, f, "amount", "currency", b.amount);
    }
    if (KeyIs(key, "balanceType")) {
      have_type = true;
      return ReadBalanceType(ctx, f, kBalanceTypes, b);
    }
    if (KeyIs(key, "creditLimitIncluded")) return ReadBool(ctx, f, b.credit_limit_included);
    if (KeyIs(key, "referenceDate")) return ReadDate(ctx, f, b.reference_date, nullptr);
    if (KeyIs(key, "lastChangeDateTime")) return ReadDateTime(ctx, f, b.last_change_datetime);
    return {};
  }));
  if (!have_amount) return ctx.FailMissing("balanceAmount");
  if (!have_type) return ctx.FailMissing("balanceType");
  b.account_id = ctx.options().account_id;
  return {};
}

Status ReadAccount(MapContext& ctx, od::value v, Account& a) {
  BANKFEED_RETURN_IF_ERROR(ForEachField(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "resourceId")) return ReadId(ctx, f, a.resource_id);
    if (KeyIs(key, "iban")) return ReadString(ctx, f, a.iban);
    if (KeyIs(key, "bban")) return ReadString(ctx, f, a.bban);
    if (KeyIs(key, "maskedPan")) return ReadString(ctx, f, a.masked_pan);
    if (KeyIs(key, "currency")) return ReadCurrencyCode(ctx, f, a.currency);
    if (KeyIs(key, "name") || (KeyIs(key, "displayName") && !a.name)) return ReadString(ctx, f, a.name);
    if (KeyIs(key, "product")) return ReadString(ctx, f, a.product);
    if (KeyIs(key, "ownerName")) return ReadString(ctx, f, a.owner_name);
    if (KeyIs(key, "cashAccountType")) return ReadString(ctx, f, a.cash_account_type);
    if (KeyIs(key, "status")) return ReadString(ctx, f, a.status);
    if (KeyIs(key, "bic")) return ReadString(ctx, f, a.bic);
    return {};
  }));
  return ctx.FinishAccount(a);
}

// recurringIndicator is a boolean in the spec; the spec's own examples send "true".
Status ReadLenientBool(MapContext& ctx, od::value v, std::optional<bool>& out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return ctx.Fail(e);
  if (type != od::json_type::string) return ReadBool(ctx, v, out);
  OptString s;
  BANKFEED_RETURN_IF_ERROR(ReadString(ctx, v, s));
  if (s == "true") out = true;
  else if (s == "false") out = false;
  else return ctx.Fail("expected a boolean");
  return {};
}

std::optional<ConsentStatus> ConsentStatusFor(std::string_view s) {
  if (s == "received") return ConsentStatus::kReceived;
  if (s == "valid") return ConsentStatus::kValid;
  if (s == "rejected") return ConsentStatus::kRejected;
  if (s == "revokedByPsu") return ConsentStatus::kRevoked;
  if (s == "expired") return ConsentStatus::kExpired;
  if (s == "terminatedByTpp") return ConsentStatus::kTerminated;
  if (s == "partiallyAuthorised") return ConsentStatus::kPartiallyAuthorised;
  return std::nullopt;
}

Status ReadHref(MapContext& ctx, od::value v, OptString& out) {
  return ForEachFieldIfAny(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "href")) return ReadString(ctx, f, out);
    return {};
  });
}

// _links is an object of {name: {href}} or, at some banks, an array of such objects. `start_link` receives the name
// of the startAuthorisation* link, which hints at the SCA approach.
Status ReadConsentLinks(MapContext& ctx, od::value v, Consent& c, std::string& start_link) {
  auto object = [&](od::value obj) {
    return ForEachField(ctx, obj, [&](std::string_view key, od::value f) -> Status {
      if (KeyIs(key, "scaRedirect")) return ReadHref(ctx, f, c.sca_redirect);
      if (KeyIs(key, "scaOAuth")) return ReadHref(ctx, f, c.sca_oauth);
      if (KeyIs(key, "scaStatus")) return ReadHref(ctx, f, c.sca_status);
      if (key.starts_with("startAuthorisation")) {
        start_link = key;
        return ReadHref(ctx, f, c.start_authorisation);
      }
      return {};
    });
  };
  od::json_type type;
  if (auto e = v.type().get(type)) return ctx.Fail(e);
  if (type == od::json_type::array) return ForEachElement(ctx, v, [&](size_t, od::value o) { return object(o); });
  return object(v);
}

Status ReadAccess(MapContext& ctx, od::value v, Consent& c) {
  return ForEachField(ctx, v, [&](std::string_view key, od::value f) -> Status {
    if (KeyIs(key, "accounts") || KeyIs(key, "balances") || KeyIs(key, "transactions") ||
        KeyIs(key, "additionalInformation")) {
      c.permissions.emplace_back(key);
      return {};
    }
    if (KeyIs(key, "availableAccounts") || KeyIs(key, "availableAccountsWithBalance") || KeyIs(key, "allPsd2")) {
      OptString scope;
      BANKFEED_RETURN_IF_ERROR(ReadString(ctx, f, scope));
      c.permissions.push_back(std::string(key) + ":" + scope.value_or(""));
    }
    return {};
  });
}

}  // namespace

namespace {

// Whether `_links` (an object, or an array of objects) offers a `download`.
Status HasDownloadLink(MapContext& ctx, od::value v, bool& download) {
  auto object = [&](od::value obj) {
    return ForEachFieldIfAny(ctx, obj, [&](std::string_view key, od::value) -> Status {
      if (KeyIs(key, "download")) download = true;
      return {};
    });
  };
  od::json_type type;
  BANKFEED_RETURN_IF_ERROR(TypeOf(ctx, v, type));
  if (type == od::json_type::array) return ForEachElement(ctx, v, [&](size_t, od::value o) { return object(o); });
  return object(v);
}

// GET .../transactions/{id}: one row, booked if it has a booking date.
Status ReadTransactionDetails(MapContext& ctx, od::value v, std::vector<Transaction>& txs) {
  const bool refusing = ctx.options().refused != nullptr;
  const char* const start = refusing ? v.raw_json_token().data() : nullptr;
  Transaction& t = ctx.streaming() ? ctx.NextScratchRow() : txs.emplace_back();
  if (Status s = ReadTransaction(ctx, v, TransactionStatus::kBooked, t); !s) {
    if (!refusing) return s;
    ctx.Refuse(start, s.error(), TransactionStatus::kBooked);
    if (!ctx.streaming()) txs.pop_back();
    return {};
  }
  if (!t.booking_date) t.status = TransactionStatus::kPending;
  ctx.FinishRow(t);
  return ctx.streaming() ? ctx.Emit(t) : Status{};
}

Status ReadTransactionsBody(MapContext& ctx, simdjson::padded_string_view json, std::vector<Transaction>& txs) {
  bool found = false, download_only = false, error_body = false, other = false;
  BANKFEED_RETURN_IF_ERROR(WithDocument(ctx, json, [&](od::value root) {
    return ForEachField(ctx, root, [&](std::string_view key, od::value f) -> Status {
      if (KeyIs(key, "transactions") || KeyIs(key, "cardTransactions")) {
        found = true;
        return ReadAccountReport(ctx, f, txs);
      }
      if (KeyIs(key, "transactionsDetails") || KeyIs(key, "transactionDetails")) {
        found = true;
        return ReadTransactionDetails(ctx, f, txs);
      }
      if (KeyIs(key, "_links")) return HasDownloadLink(ctx, f, download_only);
      if (KeyIs(key, "tppMessages")) error_body = true;
      if (!KeyIs(key, "account") && !KeyIs(key, "cardAccount") && !KeyIs(key, "balances")) other = true;
      return {};
    });
  }));
  // The standard makes `transactions` optional: an account without any in the period may leave it out, and the body
  // is then the rest of the envelope (account, balances, _links) or empty; a body with other keys is not one. A large
  // report may instead come only as a `_links.download`, and an error body carries `tppMessages`; an empty result
  // would be silently short there.
  if (!found && error_body) return MakeError(ErrorCode::kInvalidInput, "transactions: missing (an error body)");
  if (!found && other) return MakeError(ErrorCode::kInvalidInput, "transactions: missing");
  if (!found && download_only) {
    return MakeError(ErrorCode::kInvalidInput, "transactions: missing (the report is offered only as a "
                                               "_links.download, which normalize does not follow)");
  }
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

std::string WrapTransactionRow(std::string_view row, TransactionStatus status) {
  const std::string_view list = status == TransactionStatus::kPending ? "pending"
                                : status == TransactionStatus::kInfo  ? "information"
                                                                      : "booked";
  return "{\"transactions\":{\"" + std::string(list) + "\":[" + std::string(row) + "]}}";
}

Result<std::vector<Account>> MapAccounts(simdjson::padded_string_view json, const NormalizeOptions& options) {
  MapContext ctx(options);
  std::vector<Account> accounts;
  bool found = false;
  BANKFEED_RETURN_IF_ERROR(WithDocument(ctx, json, [&](od::value root) {
    return ForEachField(ctx, root, [&](std::string_view key, od::value f) -> Status {
      if (KeyIs(key, "accounts") || KeyIs(key, "cardAccounts")) {
        found = true;
        return AppendEach(ctx, f, accounts, [&](Account& a, od::value item) { return ReadAccount(ctx, item, a); });
      }
      if (KeyIs(key, "account") || KeyIs(key, "cardAccount")) {
        found = true;
        accounts.emplace_back();
        return ReadAccount(ctx, f, accounts.back());
      }
      return {};
    });
  }));
  if (!found) return MakeError(ErrorCode::kInvalidInput, "accounts: missing");
  return accounts;
}

Result<std::vector<Balance>> MapBalances(simdjson::padded_string_view json, const NormalizeOptions& options) {
  MapContext ctx(options);
  std::vector<Balance> out;
  BANKFEED_RETURN_IF_ERROR(ReadRootList(ctx, json, "balances", out,
                                        [&](Balance& r, od::value item) { return ReadBalance(ctx, item, r); }));
  return out;
}

Result<Consent> MapConsent(simdjson::padded_string_view json, const NormalizeOptions& options) {
  MapContext ctx(options);
  Consent c;
  std::string start_link;
  BANKFEED_RETURN_IF_ERROR(WithDocument(ctx, json, [&](od::value root) {
    return ForEachField(ctx, root, [&](std::string_view key, od::value f) -> Status {
      if (KeyIs(key, "consentId")) return ReadId(ctx, f, c.consent_id);
      if (KeyIs(key, "consentStatus")) return ReadConsentStatus(ctx, f, c, ConsentStatusFor);
      if (KeyIs(key, "access")) return ReadAccess(ctx, f, c);
      if (KeyIs(key, "recurringIndicator")) return ReadLenientBool(ctx, f, c.recurring);
      if (KeyIs(key, "validUntil")) return ReadDate(ctx, f, c.valid_until, nullptr);
      if (KeyIs(key, "frequencyPerDay")) return ReadInt(ctx, f, c.frequency_per_day);
      if (KeyIs(key, "lastActionDate")) return ReadDate(ctx, f, c.last_action_date, nullptr);
      if (KeyIs(key, "_links")) return ReadConsentLinks(ctx, f, c, start_link);
      return {};
    });
  }));
  // The approach itself travels in the ASPSP-SCA-Approach header; the body's links imply it only in these cases.
  // A bare startAuthorisation link says nothing, so the method stays null for the adapter to fill from the header.
  if (c.sca_oauth) {
    c.sca_method = "oauth2";
  } else if (c.sca_redirect) {
    c.sca_method = "redirect";
  } else if (start_link == "startAuthorisationWithPsuAuthentication" ||
             start_link == "startAuthorisationWithEncryptedPsuAuthentication") {
    c.sca_method = "embedded";  // the PSU's credentials go through the TPP
  } else if (start_link == "startAuthorisationWithPsuIdentification") {
    c.sca_method = "decoupled";  // identification only; the bank's app does the SCA
  } else if (c.sca_status && !c.start_authorisation) {
    c.sca_method = "decoupled";  // implicitly started, nothing for the PSU to follow here
  }
  return c;
}

}  // namespace bankfeed::berlin_group
