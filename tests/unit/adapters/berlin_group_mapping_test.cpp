// Berlin Group mapping against docs/CANONICAL.md: signs, shapes real banks send, remittance, parties, dates, twins.
#include <gtest/gtest.h>

#include <cstdio>

#include "bankfeed/canonical_json.hpp"
#include "bankfeed/ids.hpp"
#include "bankfeed/normalize.hpp"

namespace bankfeed {
namespace {

NormalizeOptions Bg(std::string_view tz = "UTC") {
  NormalizeOptions o;
  o.standard = Standard::kBerlinGroup;
  o.timezone = *TimeZone::Locate(tz);
  return o;
}

std::vector<Transaction> Txs(const std::string& body, const NormalizeOptions& o = Bg()) {
  auto r = NormalizeTransactions(body, o);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : std::vector<Transaction>{};
}

std::string TxErr(const std::string& body) {
  auto r = NormalizeTransactions(body, Bg());
  EXPECT_FALSE(r.has_value());
  if (r) return "";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  return r.error().message;
}

// One booked row with the given extra fields.
std::string Booked(const std::string& fields, const std::string& amount = R"("-12.30")") {
  return R"({"transactions":{"booked":[{"transactionAmount":{"currency":"EUR","amount":)" + amount + "}" +
         (fields.empty() ? "" : "," + fields) + "}]}}";
}

TEST(BerlinGroupMapping, RowsComeBookedPendingInformationWhateverTheKeyOrder) {
  auto v = Txs(R"({"transactions":{
    "information":[{"transactionAmount":{"currency":"EUR","amount":"-1"}}],
    "pending":[{"transactionAmount":{"currency":"EUR","amount":"-2"}}],
    "booked":[{"transactionAmount":{"currency":"EUR","amount":"-3"}},
              {"transactionAmount":{"currency":"EUR","amount":"-4"}}],
    "_links":[{"next":{"href":"?page=2"}}]}})");
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].amount.ToString(), "-3.00");
  EXPECT_EQ(v[1].amount.ToString(), "-4.00");
  EXPECT_EQ(v[2].status, TransactionStatus::kPending);
  EXPECT_EQ(v[3].status, TransactionStatus::kInfo);
}

TEST(BerlinGroupMapping, SignedAmountsAsStringsOrNumbers) {
  EXPECT_EQ(Txs(Booked("", R"("-256.67")"))[0].amount.ToString(), "-256.67");
  EXPECT_EQ(Txs(Booked("", "-256.67"))[0].amount.ToString(), "-256.67") << "literal text, never a double";
  EXPECT_EQ(Txs(Booked("", "0.1"))[0].amount.ToString(), "0.10");
  EXPECT_EQ(Txs(Booked("", "1000000000000000.07"))[0].amount.ToString(), "1000000000000000.07");
  EXPECT_EQ(Txs(Booked("", R"(" 5 ")"))[0].amount.ToString(), "5.00") << "strings are trimmed";
}

TEST(BerlinGroupMapping, PlaceholdersBecomeNull) {
  for (std::string p : {"NOTPROVIDED", "not provided", "NONREF", "n/a", "NA", "None", "UNKNOWN", "-", " nonref "}) {
    auto v = Txs(Booked(R"("transactionId":")" + p + R"(","entryReference":")" + p + R"(","endToEndId":")" + p +
                        R"(","mandateId":")" + p + R"(","creditorId":")" + p + R"(")"));
    ASSERT_EQ(v.size(), 1u);
    EXPECT_FALSE(v[0].transaction_id) << p;
    EXPECT_FALSE(v[0].entry_reference) << p;
    EXPECT_FALSE(v[0].end_to_end_id) << p;
    EXPECT_FALSE(v[0].mandate_id) << p;
    EXPECT_FALSE(v[0].creditor_id) << p;
  }
  auto v = Txs(Booked(R"("transactionId":"NA-123","endToEndId":"  E2E-1  ","remittanceInformationUnstructured":"NONE")"));
  EXPECT_EQ(v[0].transaction_id, "NA-123") << "only whole values are placeholders";
  EXPECT_EQ(v[0].end_to_end_id, "E2E-1");
  EXPECT_EQ(v[0].remittance, "NONE") << "the placeholder rule applies to identifiers only";
}

TEST(BerlinGroupMapping, EmptyAfterTrimmingIsNull) {
  auto v = Txs(Booked(R"("creditorName":"   ","remittanceInformationUnstructured":"","transactionId":null)"));
  EXPECT_FALSE(v[0].creditor) << "a party with nothing usable is null";
  EXPECT_FALSE(v[0].remittance);
  EXPECT_FALSE(v[0].transaction_id);
}

TEST(BerlinGroupMapping, CounterpartyIsCreditorForDebitsAndDebtorForCredits) {
  const std::string both = R"("creditorName":"Shop","debtorName":"Me")";
  EXPECT_EQ(Txs(Booked(both, R"("-1")"))[0].Counterparty()->name, "Shop");
  EXPECT_EQ(Txs(Booked(both, R"("1")"))[0].Counterparty()->name, "Me");
  EXPECT_EQ(Txs(Booked(R"("creditorName":"Shop")", R"("1")"))[0].Counterparty()->name, "Shop")
      << "falls back to the side that is present";
  EXPECT_EQ(Txs(Booked(R"("debtorName":"Payer")", R"("-1")"))[0].Counterparty()->name, "Payer");
  EXPECT_FALSE(Txs(Booked(""))[0].Counterparty());
}

TEST(BerlinGroupMapping, PartiesFromAccountsAgentsAndUltimates) {
  auto v = Txs(Booked(R"("creditorName":"Lidl","creditorAccount":{"iban":"DE02120300000000202051","currency":"EUR"},
    "creditorAgent":"BYLADEM1001","ultimateCreditor":"Lidl Stiftung",
    "debtorAccount":{"pan":"5409050000000000"},"debtorName":"Me")"));
  const Party& c = *v[0].creditor;
  EXPECT_EQ(c.name, "Lidl");
  EXPECT_EQ(c.iban, "DE02120300000000202051");
  EXPECT_EQ(c.bic, "BYLADEM1001");
  EXPECT_EQ(c.ultimate_name, "Lidl Stiftung");
  EXPECT_EQ(v[0].debtor->masked_pan, "540905******0000") << "a full card number is never kept";
}

TEST(BerlinGroupMapping, RemittanceShapes) {
  EXPECT_EQ(Txs(Booked(R"("remittanceInformationUnstructured":"card 1234")"))[0].remittance, "card 1234");
  EXPECT_EQ(Txs(Booked(R"("remittanceInformationUnstructuredArray":["line 1"," ","line 2"])"))[0].remittance,
            "line 1\nline 2");
  auto v = Txs(Booked(R"("remittanceInformationStructured":"RF18539007547034")"));
  EXPECT_EQ(v[0].remittance_reference, "RF18539007547034");
  EXPECT_FALSE(v[0].remittance);
  v = Txs(Booked(R"("remittanceInformationStructured":{"reference":"RF712348231","referenceType":"SCOR"})"));
  EXPECT_EQ(v[0].remittance_reference, "RF712348231");
  v = Txs(Booked(R"("remittanceInformationStructuredArray":[{"reference":"RF1"},{"reference":"RF2"}])"));
  EXPECT_EQ(v[0].remittance_reference, "RF1\nRF2");
}

TEST(BerlinGroupMapping, CodesExchangeAndInstructedAmount) {
  auto v = Txs(Booked(R"("bankTransactionCode":"PMNT-RDDT-ESDD","proprietaryBankTransactionCode":"105",
    "merchantCategoryCode":"5411","instructedAmount":{"currency":"USD","amount":"13.5"},
    "currencyExchange":[{"sourceCurrency":"USD","exchangeRate":"0.9111","targetCurrency":"EUR"},
                        {"sourceCurrency":"USD","exchangeRate":"0.5","targetCurrency":"EUR"}])"));
  EXPECT_EQ(v[0].bank_transaction_code, "PMNT-RDDT-ESDD");
  EXPECT_EQ(v[0].proprietary_code, "105");
  EXPECT_EQ(v[0].merchant_category_code, "5411");
  EXPECT_EQ(v[0].original_amount->ToString(), "13.50");
  EXPECT_EQ(v[0].original_amount->currency.code(), "USD");
  EXPECT_EQ(v[0].exchange_rate->ToString(), "0.9111");
  v = Txs(Booked(R"("currencyExchange":{"exchangeRate":1.25})"));
  EXPECT_EQ(v[0].exchange_rate->ToString(), "1.25") << "an object as well as an array";
}

TEST(BerlinGroupMapping, DatesAndDateTimes) {
  auto v = Txs(Booked(R"("bookingDate":"2024-03-31T00:30:00+01:00","valueDate":"2024-03-31")"));
  EXPECT_EQ(v[0].booking_date->ToString(), "2024-03-31");
  EXPECT_EQ(v[0].booking_datetime->ToString(), "2024-03-30T23:30:00Z");
  EXPECT_EQ(v[0].value_date->ToString(), "2024-03-31");
  EXPECT_FALSE(v[0].value_datetime) << "a date only has no instant";
  v = Txs(Booked(R"("bookingDate":"2024-07-01T01:30:00")"), Bg("Europe/Berlin"));
  EXPECT_EQ(v[0].booking_date->ToString(), "2024-07-01");
  EXPECT_EQ(v[0].booking_datetime->ToString(), "2024-06-30T23:30:00Z") << "no offset: the bank's zone";
}

TEST(BerlinGroupMapping, TwinsGetDistinctIdsAndIdsAreDeterministic) {
  const std::string row = R"({"transactionAmount":{"currency":"EUR","amount":"-4.20"},"bookingDate":"2025-01-02",
                             "remittanceInformationUnstructured":"coffee"})";
  const std::string body = R"({"transactions":{"booked":[)" + row + "," + row + "]}}";
  auto a = Txs(body), b = Txs(body);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_NE(a[0].id, a[1].id) << "real twin purchases must both survive";
  EXPECT_EQ(a[0].id, b[0].id);
  EXPECT_EQ(a[1].id, b[1].id);
  EXPECT_EQ(ToCanonicalJson(a[0]).substr(45), ToCanonicalJson(a[1]).substr(45)) << "twins differ only in id";
}

TEST(BerlinGroupMapping, AccountIdIsStampedAndChangesIds) {
  NormalizeOptions o = Bg();
  const auto without = Txs(Booked(""));
  o.account_id = "acc-1";
  const auto with = Txs(Booked(""), o);
  EXPECT_EQ(with[0].account_id, "acc-1");
  EXPECT_NE(with[0].id, without[0].id);
}

// A caller that assigns ids over a whole batch (the connector) turns the mapping's own off: the rows are the same,
// without ids, and one assigner over them gives the ids the mapping would have.
TEST(BerlinGroupMapping, IdsCanBeLeftToTheCaller) {
  const std::string body = R"({"transactions":{"booked":[)"
                           R"({"transactionAmount":{"currency":"EUR","amount":"-1"},"bookingDate":"2025-01-02"},)"
                           R"({"transactionAmount":{"currency":"EUR","amount":"-1"},"bookingDate":"2025-01-02"},)"
                           R"({"transactionAmount":{"currency":"EUR","amount":"2"},"transactionId":"t-2"}]}})";
  NormalizeOptions o = Bg();
  o.account_id = "acc-1";
  const auto with = Txs(body, o);
  o.assign_ids = false;
  auto without = Txs(body, o);
  ASSERT_EQ(without.size(), with.size());
  for (const Transaction& t : without) EXPECT_EQ(t.id, "");
  AssignTransactionIds(without);
  for (size_t i = 0; i < with.size(); ++i) EXPECT_EQ(ToCanonicalJson(without[i]), ToCanonicalJson(with[i]));
}

// Keys are compared after unescaping: an escaped key is the same key.
TEST(BerlinGroupMapping, EscapedKeysAreUnescaped) {
  const auto plain = Txs(Booked(R"("creditorName":"Lidl")"));
  const auto escaped = Txs(R"({"transactions":{"booked":[{"transactionAmount":{"currency":"EUR",)"
                           R"("amount":"-12.30"},"creditorName":"Lidl"}]}})");
  ASSERT_EQ(escaped.size(), 1u);
  ASSERT_TRUE(escaped[0].creditor.has_value());
  EXPECT_EQ(escaped[0].creditor->name, "Lidl");
  EXPECT_EQ(escaped[0].id, plain[0].id);
  EXPECT_EQ(TxErr(R"({"transactions":{"booked":[{"x\"y":1,"transactionAmount":{"amount":"1"}}]}})"),
            "transactions.booked[0].transactionAmount.currency: missing currency");
  EXPECT_EQ(TxErr(R"({"transactions":{"booked":[{"transactionAmount":{"currency":"EUR","amount":"1"},)"
                  R"("creditorName":42}]}})"),
            "transactions.booked[0].creditorName: expected a string");
}

// Keys and strings without escapes are viewed in place, found by scanning 16 bytes at a time for the closing quote:
// every length around the block size, and an escape at every position, read the same as the plain text.
TEST(BerlinGroupMapping, StringsAndKeysOfEveryLengthAndEscapePosition) {
  for (size_t n = 1; n <= 40; ++n) {
    const std::string name(n, 'n');
    const std::string unknown_key(n, 'k');
    auto v = Txs(Booked("\"" + unknown_key + R"(":"x",)" + R"("creditorName":")" + name + "\""));
    ASSERT_EQ(v.size(), 1u);
    ASSERT_TRUE(v[0].creditor.has_value()) << n;
    EXPECT_EQ(v[0].creditor->name, name) << n;
    for (size_t k = 0; k <= n; ++k) {
      std::string escaped = name, expected = name;
      escaped.insert(k, "\\\"");
      expected.insert(k, "\"");
      auto w = Txs(Booked(R"("creditorName":")" + escaped + "\""));
      ASSERT_EQ(w.size(), 1u);
      ASSERT_TRUE(w[0].creditor.has_value()) << n << " " << k;
      EXPECT_EQ(w[0].creditor->name, expected) << n << " " << k;
    }
  }
  const std::string key = "creditorName";
  for (size_t k = 0; k < key.size(); ++k) {
    std::string escaped = key;
    char unicode[7];
    std::snprintf(unicode, sizeof unicode, "\\u%04x", static_cast<unsigned>(key[k]));
    escaped.replace(k, 1, unicode);
    auto v = Txs(Booked("\"" + escaped + R"(":"Lidl")"));
    ASSERT_EQ(v.size(), 1u);
    ASSERT_TRUE(v[0].creditor.has_value()) << escaped;
    EXPECT_EQ(v[0].creditor->name, "Lidl") << escaped;
  }
}

TEST(BerlinGroupMapping, RawJsonIsKeptForAudit) {
  const std::string row = R"({"transactionAmount":{"currency":"EUR","amount":"-1"},"x-bank":"kept"})";
  auto v = Txs(R"({"transactions":{"booked":[)" + row + "]}}");
  EXPECT_EQ(v[0].raw_json, row);
  NormalizeOptions o = Bg();
  o.keep_raw_json = false;
  EXPECT_EQ(Txs(R"({"transactions":{"booked":[)" + row + "]}}", o)[0].raw_json, "");
}

TEST(BerlinGroupMapping, TransactionDetailsResponse) {
  auto v = Txs(R"({"transactionsDetails":{"transactionId":"1","transactionAmount":{"currency":"EUR","amount":"-1"},
                   "bookingDate":"2017-10-25"}})");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].status, TransactionStatus::kBooked);
}

TEST(BerlinGroupMapping, Errors) {
  EXPECT_EQ(TxErr(Booked("", R"("1e3")")), "transactions.booked[0].transactionAmount.amount: "
                                          "not a decimal (exponents are not allowed)");
  EXPECT_EQ(TxErr(Booked("", "1E3")), "transactions.booked[0].transactionAmount.amount: "
                                     "not a decimal (exponents are not allowed)");
  EXPECT_EQ(TxErr(R"({"transactions":{"booked":[{"transactionAmount":{"amount":"1"}}]}})"),
            "transactions.booked[0].transactionAmount.currency: missing currency");
  EXPECT_EQ(TxErr(R"({"transactions":{"booked":[{"transactionAmount":{"amount":"1","currency":"eur1"}}]}})"),
            "transactions.booked[0].transactionAmount.currency: not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(TxErr(R"({"transactions":{"booked":[{"transactionAmount":{"currency":"EUR"}}]}})"),
            "transactions.booked[0].transactionAmount.amount: missing amount");
  EXPECT_EQ(TxErr(R"({"transactions":{"booked":[{"bookingDate":"2025-01-01"}]}})"),
            "transactions.booked[0].transactionAmount: missing");
  EXPECT_EQ(TxErr(Booked(R"("bookingDate":"2025-02-30")")), "transactions.booked[0].bookingDate: not a calendar date");
  EXPECT_EQ(TxErr(Booked(R"("creditorName":42)")), "transactions.booked[0].creditorName: expected a string");
  EXPECT_EQ(TxErr(R"({"transactions":{"booked":{}}})"), "transactions.booked: expected an array");
  EXPECT_EQ(TxErr(R"({"transactions":{"booked":[1]}})"), "transactions.booked[0]: expected an object");
  EXPECT_EQ(TxErr(R"({"tppMessages":[{"category":"ERROR","code":"FORMAT_ERROR"}]})"),
            "transactions: missing (an error body)");
  EXPECT_EQ(TxErr(R"({"entryReference":"x"})"), "transactions: missing");
  EXPECT_EQ(TxErr(R"({"_links":{"download":{"href":"x"}}})"),
            "transactions: missing (the report is offered only as a _links.download, which normalize does not follow)");
  EXPECT_EQ(TxErr("[]"), "$: expected an object");
}

TEST(BerlinGroupMapping, Accounts) {
  NormalizeOptions o = Bg();
  auto r = NormalizeAccounts(R"({"accounts":[{"resourceId":"r1","iban":"DE2310010010123456788","currency":"EUR",
    "product":"Girokonto","cashAccountType":"CACC","name":"Main","ownerName":"Heike","bic":"BIC1","status":"enabled",
    "_links":{"balances":{"href":"/b"}}},{"resourceId":"r2","maskedPan":"525412******3241","currency":"XXX"}]})",
                             o);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  const Account& a = (*r)[0];
  EXPECT_EQ(a.resource_id, "r1");
  EXPECT_EQ(a.iban, "DE2310010010123456788");
  EXPECT_EQ(a.currency, "EUR");
  EXPECT_EQ(a.product, "Girokonto");
  EXPECT_EQ(a.owner_name, "Heike");
  EXPECT_EQ(a.status, "enabled");
  EXPECT_TRUE(a.id.starts_with("acc_"));
  EXPECT_EQ((*r)[1].masked_pan, "525412******3241");
  EXPECT_NE(a.id, (*r)[1].id);
  auto bad = NormalizeAccounts(R"({"accounts":[{"currency":"euro"}]})", o);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "accounts[0].currency: not an ISO 4217 currency code (three letters A-Z)");
}

TEST(BerlinGroupMapping, Balances) {
  NormalizeOptions o = Bg();
  o.account_id = "acc-1";
  auto r = NormalizeBalances(R"({"balances":[
    {"balanceAmount":{"currency":"EUR","amount":"-500"},"balanceType":"closingBooked","referenceDate":"2017-10-25"},
    {"balanceAmount":{"currency":"EUR","amount":900},"balanceType":"expected","creditLimitIncluded":true,
     "lastChangeDateTime":"2017-10-25T15:30:35.035+02:00"},
    {"balanceAmount":{"currency":"EUR","amount":"1"},"balanceType":"interimAvailable"},
    {"balanceAmount":{"currency":"EUR","amount":"1"},"balanceType":"nonInvoiced"},
    {"balanceAmount":{"currency":"EUR","amount":"1"},"balanceType":"ITBD"}]})",
                             o);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 5u);
  EXPECT_EQ((*r)[0].type, "CLBD");
  EXPECT_EQ((*r)[0].amount.ToString(), "-500.00");
  EXPECT_EQ((*r)[0].account_id, "acc-1");
  EXPECT_EQ((*r)[0].reference_date->ToString(), "2017-10-25");
  EXPECT_EQ((*r)[1].type, "XPCD");
  EXPECT_EQ((*r)[1].credit_limit_included, true);
  EXPECT_EQ((*r)[1].last_change_datetime->ToString(), "2017-10-25T13:30:35.035Z");
  EXPECT_EQ((*r)[2].type, "ITAV");
  EXPECT_EQ((*r)[3].type, "OTHR");
  EXPECT_EQ((*r)[4].type, "ITBD");
  auto bad = NormalizeBalances(R"({"balances":[{"balanceAmount":{"currency":"EUR","amount":"1"},"balanceType":"string"}]})", o);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "balances[0].balanceType: a placeholder, not a balance type");
  auto no_amount = NormalizeBalances(R"({"balances":[{"balanceType":"expected"}]})", o);
  ASSERT_FALSE(no_amount);
  EXPECT_EQ(no_amount.error().message, "balances[0].balanceAmount: missing");
}

// Real banks' values (docs/CANONICAL.md, "Real banks' values"): accepted where unambiguous, exact, never guessed.
TEST(BerlinGroupMapping, BalanceTypesOutsideTheListAreOtherAndKeepTheBanksName) {
  auto r = NormalizeBalances(R"({"balances":[
    {"balanceAmount":{"currency":"EUR","amount":"1"},"balanceType":"authorised"},
    {"balanceAmount":{"currency":"EUR","amount":"2"},"balanceType":"INTERIM_AVAILABLE"},
    {"balanceAmount":{"currency":"EUR","amount":"3"},"balanceType":"Expected"},
    {"balanceAmount":{"currency":"EUR","amount":"4"},"balanceType":"clbd"}]})",
                             Bg());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].type, "OTHR");
  EXPECT_EQ((*r)[0].bank_type, "authorised");
  EXPECT_EQ((*r)[1].type, "ITAV");
  EXPECT_EQ((*r)[1].bank_type, "INTERIM_AVAILABLE");
  EXPECT_EQ((*r)[2].type, "XPCD");
  EXPECT_EQ((*r)[3].type, "CLBD");
  EXPECT_NE(ToCanonicalJson((*r)[0]).find(R"("type":"OTHR","bank_type":"authorised")"), std::string::npos);
}

TEST(BerlinGroupMapping, NumericCurrencyCodes) {
  auto txs = Txs(R"({"transactions":{"booked":[{"transactionAmount":{"currency":"978","amount":"1.5"}},
    {"transactionAmount":{"currency":826,"amount":"2"}}]}})");
  ASSERT_EQ(txs.size(), 2u);
  EXPECT_EQ(txs[0].amount.currency.code(), "EUR");
  EXPECT_EQ(txs[0].amount.ToString(), "1.50");
  EXPECT_EQ(txs[1].amount.currency.code(), "GBP");
  // Not a current ISO 4217 number, or not three digits: refused, as are letters that are not a code.
  EXPECT_EQ(TxErr(R"({"transactions":{"booked":[{"transactionAmount":{"currency":"001","amount":"1"}}]}})"),
            "transactions.booked[0].transactionAmount.currency: not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(TxErr(R"({"transactions":{"booked":[{"transactionAmount":{"currency":9780,"amount":"1"}}]}})"),
            "transactions.booked[0].transactionAmount.currency: not an ISO 4217 currency code");
  EXPECT_EQ(TxErr(R"({"transactions":{"booked":[{"transactionAmount":{"currency":"EURA","amount":"1"}}]}})"),
            "transactions.booked[0].transactionAmount.currency: not an ISO 4217 currency code (three letters A-Z)");
  auto accounts = NormalizeAccounts(R"({"accounts":[{"resourceId":"a","currency":"978"}]})", Bg());
  ASSERT_TRUE(accounts) << accounts.error().message;
  EXPECT_EQ((*accounts)[0].currency, "EUR");
}

TEST(BerlinGroupMapping, ByteOrderMarkLowerCaseCurrencyAndNullLists) {
  auto txs = Txs("\xEF\xBB\xBF" + Booked("", R"("1.00")"));
  ASSERT_EQ(txs.size(), 1u);
  auto lower = Txs(R"({"transactions":{"booked":[{"transactionAmount":{"currency":"eur","amount":"1"}}]}})");
  ASSERT_EQ(lower.size(), 1u);
  EXPECT_EQ(lower[0].amount.currency.code(), "EUR");
  auto accounts = NormalizeAccounts(R"({"accounts":null})", Bg());
  ASSERT_TRUE(accounts) << accounts.error().message;
  EXPECT_TRUE(accounts->empty());
  // A BOM in the middle of a body is still malformed.
  EXPECT_EQ(TxErr("{\"transactions\":\xEF\xBB\xBF{}}"), "transactions: expected an object");
}

TEST(BerlinGroupMapping, CodesSentAsNumbers) {
  auto txs = Txs(Booked(R"("bankTransactionCode":166,"proprietaryBankTransactionCode":5,"merchantCategoryCode":5411)"));
  ASSERT_EQ(txs.size(), 1u);
  EXPECT_EQ(txs[0].bank_transaction_code, "166");
  EXPECT_EQ(txs[0].proprietary_code, "5");
  EXPECT_EQ(txs[0].merchant_category_code, "5411");
}

TEST(BerlinGroupMapping, NullOptionalFieldsAndNestedRemittanceLines) {
  auto txs = Txs(Booked(R"("remittanceInformationStructuredArray":null,"creditorAccount":null,)"
                        R"("remittanceInformationUnstructuredArray":[["line 1","line 2"],"line 3"],)"
                        R"("currencyExchange":null,"_links":null)"));
  ASSERT_EQ(txs.size(), 1u);
  EXPECT_EQ(txs[0].remittance, "line 1\nline 2\nline 3");
  EXPECT_FALSE(txs[0].remittance_reference);
  EXPECT_FALSE(txs[0].creditor);
  // A required object sent as null is still refused.
  EXPECT_EQ(TxErr(R"({"transactions":{"booked":[{"transactionAmount":null}]}})"),
            "transactions.booked[0].transactionAmount: expected an object");
}

TEST(BerlinGroupMapping, ABodyWithoutTransactionsIsAnAccountWithoutAny) {
  for (const char* body : {R"({"account":{"iban":"DE02120300000000202051"}})", "{}",
                           R"({"account":{},"balances":[],"_links":{"account":{"href":"/v1/accounts/1"}}})"}) {
    auto r = NormalizeTransactions(body, Bg());
    ASSERT_TRUE(r) << body << ": " << r.error().message;
    EXPECT_TRUE(r->empty());
  }
}

TEST(BerlinGroupMapping, LeftoverPlaceholdersStayRefused) {
  EXPECT_EQ(TxErr(R"({"transactions":{"booked":[{"transactionAmount":{"currency":"EUR","amount":"string"}}]}})"),
            "transactions.booked[0].transactionAmount.amount: not a decimal");
  EXPECT_EQ(TxErr(Booked(R"("bookingDate":"date")")), "transactions.booked[0].bookingDate: not a date (expected YYYY-MM-DD)");
  EXPECT_EQ(TxErr(Booked(R"("bookingDate":"2017-11-14T00:00:000Z")")), "transactions.booked[0].bookingDate: not an RFC 3339 date-time");
}

TEST(BerlinGroupMapping, Consent) {
  NormalizeOptions o = Bg();
  auto c = NormalizeConsent(R"({"consentStatus":"received","consentId":"1234-wertiq-983",
    "_links":{"scaRedirect":{"href":"https://bank/sca"},"status":{"href":"/s"},"scaStatus":{"href":"/a"}}})",
                            o);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->consent_id, "1234-wertiq-983");
  EXPECT_EQ(c->status, ConsentStatus::kReceived);
  EXPECT_EQ(c->sca_method, "redirect");
  EXPECT_EQ(c->sca_redirect, "https://bank/sca");
  c = NormalizeConsent(R"({"access":{"balances":[],"transactions":[]},"recurringIndicator":"true",
    "validUntil":"2017-11-01","frequencyPerDay":4,"consentStatus":"valid"})",
                       o);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->permissions, (std::vector<std::string>{"balances", "transactions"}));
  EXPECT_EQ(c->recurring, true);
  EXPECT_EQ(c->frequency_per_day, 4);
  EXPECT_EQ(c->valid_until->ToString(), "2017-11-01");
  auto bad = NormalizeConsent(R"({"consentStatus":"approved"})", o);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "consentStatus: unknown consent status");
}

}  // namespace
}  // namespace bankfeed
