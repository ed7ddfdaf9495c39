// STET 1.4.x mapping: sign rules, statuses, dates, remittance shapes, parties, codes, balances, accounts, consents,
// and the error paths. Everything goes through the public NormalizeX entry points with Standard::kStet.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bankfeed/canonical_json.hpp"
#include "bankfeed/ids.hpp"
#include "bankfeed/normalize.hpp"

namespace bankfeed {
namespace {

NormalizeOptions Stet() {
  NormalizeOptions o;
  o.standard = Standard::kStet;
  return o;
}

NormalizeOptions StetIn(std::string_view zone) {
  NormalizeOptions o = Stet();
  auto tz = TimeZone::Locate(zone);
  EXPECT_TRUE(tz.has_value()) << zone;
  if (tz) o.timezone = *tz;
  return o;
}

// One transaction row inside a HalTransactions body.
std::string Body(const std::string& rows) { return R"({"transactions":[)" + rows + R"(],"_links":{}})"; }

// A row with the required fields; `extra` is spliced in (with its leading comma).
std::string StetRow(const std::string& amount, const std::string& cdi, const std::string& status = "BOOK",
                const std::string& extra = "") {
  return R"({"transactionAmount":{"currency":"EUR","amount":)" + amount + R"(},"creditDebitIndicator":")" + cdi +
         R"(","status":")" + status + R"(","bookingDate":"2018-02-12","remittanceInformation":["x"])" + extra + "}";
}

Transaction One(const std::string& body, const NormalizeOptions& o = Stet()) {
  auto r = NormalizeTransactions(body, o);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  if (!r || r->size() != 1) {
    ADD_FAILURE() << "expected exactly one transaction";
    return {};
  }
  return (*r)[0];
}

std::string StetTxError(const std::string& body, const NormalizeOptions& o = Stet()) {
  auto r = NormalizeTransactions(body, o);
  EXPECT_FALSE(r.has_value());
  if (r) return "";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  return r.error().message;
}

std::string PartyJson(const std::optional<Party>& p) {
  Transaction t;
  t.creditor = p;
  const std::string all = ToCanonicalJson(t);
  const size_t begin = all.find("\"creditor\":") + 11;
  const size_t end = all.find(",\"debtor\":");
  return all.substr(begin, end - begin);
}

// ---------------------------------------------------------------------------------------------------------------
// The spec's own (composed) example.

TEST(StetTransactions, SpecExample) {
  const std::string body = R"({
    "transactions": [{
      "entryReference": "AF5T2",
      "transactionAmount": {"currency": "EUR", "amount": "12.25"},
      "creditDebitIndicator": "CRDT",
      "status": "BOOK",
      "bookingDate": "2018-02-12",
      "remittanceInformation": ["SEPA CREDIT TRANSFER from PSD2Company"]
    }],
    "_links": {"self": {"href": "v1/accounts/Alias1/transactions"}}
  })";
  const Transaction t = One(body);
  EXPECT_EQ(t.status, TransactionStatus::kBooked);
  EXPECT_EQ(t.amount.ToString(), "12.25");
  EXPECT_EQ(t.amount.currency.code(), "EUR");
  EXPECT_EQ(t.booking_date->ToString(), "2018-02-12");
  EXPECT_FALSE(t.booking_datetime);
  EXPECT_FALSE(t.value_date);
  EXPECT_EQ(t.entry_reference, "AF5T2");
  EXPECT_FALSE(t.transaction_id);
  EXPECT_EQ(t.remittance, "SEPA CREDIT TRANSFER from PSD2Company");
  EXPECT_FALSE(t.creditor);
  EXPECT_FALSE(t.debtor);
  EXPECT_FALSE(t.Counterparty());
  EXPECT_FALSE(t.account_id);
  EXPECT_EQ(t.id.size(), 35u);
  EXPECT_EQ(t.id.substr(0, 3), "tx_");
}

// ---------------------------------------------------------------------------------------------------------------
// Sign: the indicator decides; a debit is always negative.

TEST(StetTransactions, CreditIsPositive) {
  EXPECT_EQ(One(Body(StetRow(R"("12.25")", "CRDT"))).amount.ToString(), "12.25");
}

TEST(StetTransactions, DebitIsNegative) {
  EXPECT_EQ(One(Body(StetRow(R"("12.25")", "DBIT"))).amount.ToString(), "-12.25");
}

TEST(StetTransactions, DebitWithMinusStaysNegative) {
  EXPECT_EQ(One(Body(StetRow(R"("-12.25")", "DBIT"))).amount.ToString(), "-12.25");
}

TEST(StetTransactions, ZeroDebitIsNeverNegative) {
  EXPECT_EQ(One(Body(StetRow(R"("0.00")", "DBIT"))).amount.ToString(), "0.00");
}

// docs/CANONICAL.md: the sign comes from the indicator, so a '-' on a credit does not make it a debit.
TEST(StetTransactions, CreditWithMinusIsStillACredit) {
  EXPECT_EQ(One(Body(StetRow(R"("-3")", "CRDT"))).amount.ToString(), "3.00");
}

TEST(StetTransactions, AmountFormatsToCurrencyMinorUnits) {
  EXPECT_EQ(One(Body(StetRow(R"("5")", "CRDT"))).amount.ToString(), "5.00");
  EXPECT_EQ(One(Body(StetRow(R"("12.340")", "DBIT"))).amount.ToString(), "-12.34");
  EXPECT_EQ(One(Body(StetRow(R"("12.345")", "CRDT"))).amount.ToString(), "12.345");
}

TEST(StetTransactions, AmountAsJsonNumberIsReadFromItsLiteral) {
  EXPECT_EQ(One(Body(StetRow("256.67", "DBIT"))).amount.ToString(), "-256.67");
  EXPECT_EQ(One(Body(StetRow("-256.67", "DBIT"))).amount.ToString(), "-256.67");
  EXPECT_EQ(One(Body(StetRow("12.5", "CRDT"))).amount.ToString(), "12.50");
  EXPECT_EQ(One(Body(StetRow("0.100000000000000005", "CRDT"))).amount.ToString(), "0.100000000000000005")
      << "never through double";
  EXPECT_EQ(One(Body(StetRow("90071992547409931.01", "CRDT"))).amount.ToString(), "90071992547409931.01");
}

TEST(StetTransactions, WithoutAnIndicatorTheAmountCarriesItsSign) {
  auto r = NormalizeTransactions(
      Body(R"({"transactionAmount":{"currency":"EUR","amount":"-1.5"},"status":"BOOK"},)"
           R"({"transactionAmount":{"currency":"EUR","amount":"2"},"creditDebitIndicator":null,"status":"BOOK"})"),
      Stet());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].amount.ToString(), "-1.50");
  EXPECT_EQ((*r)[1].amount.ToString(), "2.00");
}

TEST(StetTransactions, AmountsWithoutCurrencyTakeTheAccounts) {
  const std::string body = Body(R"({"transactionAmount":{"amount":"3.10"},"creditDebitIndicator":"DBIT","status":"BOOK"})");
  EXPECT_EQ(StetTxError(body), "transactions[0].transactionAmount.currency: missing currency");
  NormalizeOptions o = Stet();
  o.account_currency = "EUR";
  auto r = NormalizeTransactions(body, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].amount.ToString(), "-3.10");
  EXPECT_EQ((*r)[0].amount.currency.code(), "EUR");
  // A currency the bank did send is never replaced, and a bad one stays an error.
  o.account_currency = "GBP";
  auto sent = NormalizeTransactions(
      Body(R"({"transactionAmount":{"amount":"1","currency":"EUR"},"creditDebitIndicator":"DBIT","status":"BOOK"})"), o);
  ASSERT_TRUE(sent);
  EXPECT_EQ((*sent)[0].amount.currency.code(), "EUR");
}

TEST(StetTransactions, RejectedOperationsHaveTheirOwnStatus) {
  auto r = NormalizeTransactions(
      Body(R"({"transactionAmount":{"currency":"EUR","amount":"9"},"creditDebitIndicator":"DBIT","status":"RJCT"})"),
      Stet());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].status, TransactionStatus::kRejected);
  EXPECT_NE(ToCanonicalJson((*r)[0]).find(R"("status":"rejected")"), std::string::npos);
}

TEST(StetTransactions, DayFirstDatesUnderTheProfilesQuirkOnly) {
  const std::string body = Body(R"({"transactionAmount":{"currency":"EUR","amount":"1"},"creditDebitIndicator":"DBIT",)"
                                R"("status":"BOOK","bookingDate":"15/11/2019","valueDate":"12-02-2018"})");
  EXPECT_EQ(StetTxError(body), "transactions[0].bookingDate: not a date (expected YYYY-MM-DD)");
  NormalizeOptions o = Stet();
  o.quirks.date_order = DateOrder::kDayFirst;
  auto r = NormalizeTransactions(body, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].booking_date->ToString(), "2019-11-15");
  EXPECT_EQ((*r)[0].value_date->ToString(), "2018-02-12");
  // ISO dates and date-times stay accepted under the quirk; impossible days stay refused.
  EXPECT_TRUE(NormalizeTransactions(Body(R"({"transactionAmount":{"currency":"EUR","amount":"1"},)"
                                         R"("status":"BOOK","bookingDate":"2019-11-15T10:00:00Z"})"),
                                    o));
  auto bad = NormalizeTransactions(Body(R"({"transactionAmount":{"currency":"EUR","amount":"1"},)"
                                        R"("status":"BOOK","bookingDate":"31/02/2019"})"),
                                   o);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "transactions[0].bookingDate: not a calendar date");
}

TEST(StetTransactions, UnknownIndicatorIsAnError) {
  const std::string msg = StetTxError(Body(StetRow(R"("1")", "CREDIT")));
  EXPECT_EQ(msg, "transactions[0].creditDebitIndicator: unknown credit/debit indicator");
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "dbit"))),
            "transactions[0].creditDebitIndicator: unknown credit/debit indicator")
      << "codes are upper case in the spec";
}

// ---------------------------------------------------------------------------------------------------------------
// Status.

TEST(StetTransactions, StatusCodes) {
  auto r = NormalizeTransactions(Body(StetRow(R"("1")", "CRDT", "BOOK") + "," + StetRow(R"("2")", "CRDT", "PDNG") +
                                      "," + StetRow(R"("3")", "CRDT", "OTHR")),
                                 Stet());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].status, TransactionStatus::kBooked);
  EXPECT_EQ((*r)[1].status, TransactionStatus::kPending);
  EXPECT_EQ((*r)[2].status, TransactionStatus::kInfo);
  // Input order is kept, whatever the status.
  EXPECT_EQ((*r)[0].amount.ToString(), "1.00");
  EXPECT_EQ((*r)[1].amount.ToString(), "2.00");
  EXPECT_EQ((*r)[2].amount.ToString(), "3.00");
}

TEST(StetTransactions, UnknownStatusIsAnError) {
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "CRDT", "BOOKED"))),
            "transactions[0].status: unknown transaction status");
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "CRDT", "booked"))),
            "transactions[0].status: unknown transaction status");
}

TEST(StetTransactions, MissingStatusIsAnError) {
  EXPECT_EQ(StetTxError(Body(R"({"transactionAmount":{"currency":"EUR","amount":"1"},"creditDebitIndicator":"CRDT"})")),
            "transactions[0].status: missing");
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "CRDT", " "))), "transactions[0].status: missing");
}

// ---------------------------------------------------------------------------------------------------------------
// Dates: each of bookingDate, valueDate and transactionDate may be a date or a date-time.

TEST(StetTransactions, DatesOnly) {
  const Transaction t =
      One(Body(StetRow(R"("1")", "CRDT", "BOOK", R"(,"valueDate":"2018-02-13","transactionDate":"2018-02-10")")));
  EXPECT_EQ(t.booking_date->ToString(), "2018-02-12");
  EXPECT_EQ(t.value_date->ToString(), "2018-02-13");
  EXPECT_EQ(t.transaction_date->ToString(), "2018-02-10");
  EXPECT_FALSE(t.booking_datetime);
  EXPECT_FALSE(t.value_datetime);
}

TEST(StetTransactions, DateTimesWithOffsetGiveLocalDateAndUtcInstant) {
  const std::string row = R"({"transactionAmount":{"currency":"EUR","amount":"1"},"creditDebitIndicator":"DBIT",)"
                          R"("status":"BOOK","bookingDate":"2024-03-31T00:30:00+02:00",)"
                          R"("valueDate":"2024-04-01T01:15:30.250+02:00",)"
                          R"("transactionDate":"2024-03-30T00:10:00+02:00"})";
  const Transaction t = One(Body(row), StetIn("Europe/Paris"));
  EXPECT_EQ(t.booking_date->ToString(), "2024-03-31");
  EXPECT_EQ(t.booking_datetime->ToString(), "2024-03-30T22:30:00Z");
  EXPECT_EQ(t.value_date->ToString(), "2024-04-01");
  EXPECT_EQ(t.value_datetime->ToString(), "2024-03-31T23:15:30.250Z");
  EXPECT_EQ(t.transaction_date->ToString(), "2024-03-30") << "the local date, not the UTC one";
}

TEST(StetTransactions, DateTimesWithoutOffsetAreReadInTheBanksZone) {
  const std::string row = R"({"transactionAmount":{"currency":"EUR","amount":"1"},"creditDebitIndicator":"DBIT",)"
                          R"("status":"BOOK","bookingDate":"2024-01-01T00:30:00",)"
                          R"("valueDate":"2024-07-01T10:00:00","transactionDate":"2024-07-01T01:00:00"})";
  const Transaction paris = One(Body(row), StetIn("Europe/Paris"));
  EXPECT_EQ(paris.booking_date->ToString(), "2024-01-01");
  EXPECT_EQ(paris.booking_datetime->ToString(), "2023-12-31T23:30:00Z") << "CET is UTC+1 in January";
  EXPECT_EQ(paris.value_date->ToString(), "2024-07-01");
  EXPECT_EQ(paris.value_datetime->ToString(), "2024-07-01T08:00:00Z") << "CEST is UTC+2 in July";
  EXPECT_EQ(paris.transaction_date->ToString(), "2024-07-01");

  const Transaction utc = One(Body(row));
  EXPECT_EQ(utc.booking_datetime->ToString(), "2024-01-01T00:30:00Z") << "UTC without a zone";
  EXPECT_NE(utc.id, paris.id);
}

TEST(StetTransactions, MalformedDateNamesThePath) {
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "CRDT", "BOOK", R"(,"valueDate":"2024-02-30")"))),
            "transactions[0].valueDate: not a calendar date");
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "CRDT", "BOOK", R"(,"transactionDate":20240101)"))),
            "transactions[0].transactionDate: expected a string");
}

// ---------------------------------------------------------------------------------------------------------------
// Remittance information: an array of strings (1.4.0) or an object {unstructured[], structured[]}.

TEST(StetTransactions, RemittanceArrayIsJoinedByNewlines) {
  const std::string row = R"({"transactionAmount":{"currency":"EUR","amount":"1"},"creditDebitIndicator":"DBIT",)"
                          R"("status":"BOOK","remittanceInformation":[" CB CARREFOUR ","","12/02 PARIS"]})";
  const Transaction t = One(Body(row));
  EXPECT_EQ(t.remittance, "CB CARREFOUR\n12/02 PARIS");
  EXPECT_FALSE(t.remittance_reference);
}

TEST(StetTransactions, RemittanceEmptyArrayIsNull) {
  const std::string row = R"({"transactionAmount":{"currency":"EUR","amount":"1"},"creditDebitIndicator":"DBIT",)"
                          R"("status":"BOOK","remittanceInformation":[]})";
  EXPECT_FALSE(One(Body(row)).remittance);
}

TEST(StetTransactions, RemittanceObjectWithUnstructuredAndStructured) {
  const std::string row =
      R"({"transactionAmount":{"currency":"EUR","amount":"1"},"creditDebitIndicator":"DBIT","status":"BOOK",)"
      R"("remittanceInformation":{"unstructured":["Facture 42","Merci"],"structured":[)"
      R"({"creditorReferenceInformation":{"type":{"code":"SCOR"},"reference":"RF18539007547034"}},)"
      R"({"reference":"INV-2024-001"}]}})";
  const Transaction t = One(Body(row));
  EXPECT_EQ(t.remittance, "Facture 42\nMerci");
  EXPECT_EQ(t.remittance_reference, "RF18539007547034\nINV-2024-001");
}

TEST(StetTransactions, RemittanceObjectWithOnlyStructured) {
  const std::string row =
      R"({"transactionAmount":{"currency":"EUR","amount":"1"},"creditDebitIndicator":"CRDT","status":"BOOK",)"
      R"("remittanceInformation":{"structured":[{"creditorReferenceInformation":{"reference":" RF18 "}}]}})";
  const Transaction t = One(Body(row));
  EXPECT_FALSE(t.remittance);
  EXPECT_EQ(t.remittance_reference, "RF18");
}

TEST(StetTransactions, RemittanceOfWrongTypeIsAnError) {
  const std::string base =
      R"({"transactionAmount":{"currency":"EUR","amount":"1"},"creditDebitIndicator":"CRDT","status":"BOOK",)";
  EXPECT_EQ(StetTxError(Body(base + R"("remittanceInformation":5})")),
            "transactions[0].remittanceInformation: expected an array or an object");
  EXPECT_EQ(StetTxError(Body(base + R"("remittanceInformation":["ok",7]})")),
            "transactions[0].remittanceInformation[1]: expected a string");
  EXPECT_EQ(StetTxError(Body(base + R"("remittanceInformation":{"structured":[{"reference":{}}]}})")),
            "transactions[0].remittanceInformation.structured[0].reference: expected a string");
}

// ---------------------------------------------------------------------------------------------------------------
// Parties and the counterparty.

const char kBothSides[] =
    R"(,"creditor":{"name":"Boulangerie Paul",)"
    R"("postalAddress":{"country":"FR","addressLine":["1 rue X","75001 PARIS"]},)"
    R"("organisationId":{"identification":"12FR5","schemeName":"COID","issuer":"FR"}},)"
    R"("creditorAccount":{"iban":"FR7630006000011234567890189"},"creditorAgent":{"bicFi":"AGRIFRPPXXX"},)"
    R"("ultimateCreditor":{"name":"Paul SA"},)"
    R"("debtor":{"name":"M. Dupont"},"debtorAccount":{"other":{"identification":"00012345678","schemeName":"BANK"}},)"
    R"("debtorAgent":{"bicFi":"BNPAFRPPXXX"},"ultimateDebtor":{"name":"Famille Dupont"})";

TEST(StetTransactions, PartiesAreMapped) {
  const Transaction t = One(Body(StetRow(R"("1")", "DBIT", "BOOK", kBothSides)));
  EXPECT_EQ(PartyJson(t.creditor),
            R"({"name":"Boulangerie Paul","iban":"FR7630006000011234567890189","bban":null,"bic":"AGRIFRPPXXX",)"
            R"("masked_pan":null,"ultimate_name":"Paul SA"})");
  EXPECT_EQ(PartyJson(t.debtor),
            R"({"name":"M. Dupont","iban":null,"bban":"00012345678","bic":"BNPAFRPPXXX","masked_pan":null,)"
            R"("ultimate_name":"Famille Dupont"})");
}

TEST(StetTransactions, DebitCounterpartyIsTheCreditor) {
  const Transaction t = One(Body(StetRow(R"("1")", "DBIT", "BOOK", kBothSides)));
  ASSERT_TRUE(t.Counterparty());
  EXPECT_EQ(t.Counterparty()->name, "Boulangerie Paul");
}

TEST(StetTransactions, CreditCounterpartyIsTheDebtor) {
  const Transaction t = One(Body(StetRow(R"("1")", "CRDT", "BOOK", kBothSides)));
  ASSERT_TRUE(t.Counterparty());
  EXPECT_EQ(t.Counterparty()->name, "M. Dupont");
}

TEST(StetTransactions, CounterpartyFallsBackToTheSidePresent) {
  const Transaction debit_with_debtor_only =
      One(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"debtor":{"name":"Only Debtor"})")));
  ASSERT_TRUE(debit_with_debtor_only.Counterparty());
  EXPECT_EQ(debit_with_debtor_only.Counterparty()->name, "Only Debtor");
  EXPECT_FALSE(debit_with_debtor_only.creditor);

  const Transaction credit_with_creditor_only =
      One(Body(StetRow(R"("1")", "CRDT", "BOOK", R"(,"creditorAccount":{"iban":"FR7630006000011234567890189"})")));
  ASSERT_TRUE(credit_with_creditor_only.Counterparty());
  EXPECT_EQ(credit_with_creditor_only.Counterparty()->iban, "FR7630006000011234567890189");
  EXPECT_FALSE(credit_with_creditor_only.Counterparty()->name);
}

TEST(StetTransactions, EmptyOrNullPartiesAreNull) {
  const Transaction t = One(Body(StetRow(
      R"("1")", "DBIT", "BOOK",
      R"(,"creditor":{"name":"  "},"creditorAccount":null,"creditorAgent":null,"debtor":null,"ultimateDebtor":{})")));
  EXPECT_FALSE(t.creditor);
  EXPECT_FALSE(t.debtor);
  EXPECT_FALSE(t.Counterparty());
}

TEST(StetTransactions, CardSchemeIsMasked) {
  const Transaction full = One(Body(StetRow(
      R"("1")", "DBIT", "BOOK",
      R"(,"creditorAccount":{"other":{"identification":"4970100000000154","schemeName":"CPAN"}})")));
  ASSERT_TRUE(full.creditor);
  EXPECT_EQ(full.creditor->masked_pan, "497010******0154");
  EXPECT_FALSE(full.creditor->bban);

  const Transaction masked = One(Body(StetRow(
      R"("1")", "DBIT", "BOOK",
      R"(,"creditorAccount":{"other":{"schemeName":"MPAN","identification":"497010XXXXXX0154"}})")));
  EXPECT_EQ(masked.creditor->masked_pan, "497010XXXXXX0154") << "already masked by the bank: kept";

  const Transaction mislabelled = One(Body(StetRow(
      R"("1")", "DBIT", "BOOK",
      R"(,"creditorAccount":{"other":{"schemeName":"TPAN","identification":"4970100000000154"}})")));
  EXPECT_EQ(mislabelled.creditor->masked_pan, "497010******0154") << "a full PAN is masked whatever the scheme";
}

TEST(StetTransactions, AgentAsBareBicString) {
  const Transaction t = One(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"creditorAgent":"AGRIFRPPXXX")")));
  EXPECT_EQ(t.creditor->bic, "AGRIFRPPXXX");
}

TEST(StetTransactions, PartyOfWrongTypeIsAnError) {
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"creditor":"Paul")"))),
            "transactions[0].creditor: expected an object");
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"debtorAccount":{"iban":12})"))),
            "transactions[0].debtorAccount.iban: expected a string");
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"debtorAgent":{"bicFi":true})"))),
            "transactions[0].debtorAgent.bicFi: expected a string");
}

// ---------------------------------------------------------------------------------------------------------------
// Codes, exchange, original amount.

TEST(StetTransactions, BankTransactionCodeIsoTriple) {
  const Transaction t = One(Body(StetRow(
      R"("1")", "DBIT", "BOOK", R"(,"bankTransactionCode":{"domain":"PMNT","family":"ICDT","subFamily":"ESCT"})")));
  EXPECT_EQ(t.bank_transaction_code, "PMNT-ICDT-ESCT");
  EXPECT_FALSE(t.proprietary_code);
}

TEST(StetTransactions, BankTransactionCodeFrenchCodificationWithProprietaryCode) {
  const Transaction t = One(Body(StetRow(
      R"("1")", "DBIT", "BOOK",
      R"(,"bankTransactionCode":{"domain":"FR","family":"OPCA","subFamily":"05","code":"B1","issuer":"BANK"})")));
  EXPECT_EQ(t.bank_transaction_code, "FR-OPCA-05");
  EXPECT_EQ(t.proprietary_code, "B1");
}

TEST(StetTransactions, BankTransactionCodePartial) {
  const Transaction t =
      One(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"bankTransactionCode":{"domain":"PMNT","subFamily":"ESCT"})")));
  EXPECT_EQ(t.bank_transaction_code, "PMNT-ESCT");
}

TEST(StetTransactions, BankTransactionCodeProprietaryOnly) {
  const Transaction t =
      One(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"bankTransactionCode":{"code":"VIR SEPA","issuer":"BNKA"})")));
  EXPECT_FALSE(t.bank_transaction_code);
  EXPECT_EQ(t.proprietary_code, "VIR SEPA");
}

TEST(StetTransactions, BankTransactionCodeWrongTypes) {
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"bankTransactionCode":{"domain":1})"))),
            "transactions[0].bankTransactionCode.domain: expected a string");
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"bankTransactionCode":[])"))),
            "transactions[0].bankTransactionCode: expected an object");
}

TEST(StetTransactions, MerchantExchangeAndInstructedAmount) {
  const Transaction t = One(Body(StetRow(
      R"("13.31")", "DBIT", "BOOK",
      R"(,"merchantCategoryCode":"5411","instructedAmount":{"amount":"15.00","currency":"USD"},)"
      R"("exchangeRate":{"unitCurrency":"EUR","exchangeRate":"1.1270","rateType":"SPOT"})")));
  EXPECT_EQ(t.merchant_category_code, "5411");
  ASSERT_TRUE(t.original_amount);
  EXPECT_EQ(t.original_amount->ToString(), "15.00");
  EXPECT_EQ(t.original_amount->currency.code(), "USD");
  ASSERT_TRUE(t.exchange_rate);
  EXPECT_EQ(t.exchange_rate->ToString(), "1.127");
}

TEST(StetTransactions, ExchangeRateShapes) {
  EXPECT_EQ(One(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"exchangeRate":"0.8571")"))).exchange_rate->ToString(),
            "0.8571");
  EXPECT_EQ(One(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"exchangeRate":1.0835)"))).exchange_rate->ToString(),
            "1.0835");
  EXPECT_EQ(One(Body(StetRow(R"("1")", "DBIT", "BOOK",
                         R"(,"currencyExchange":[{"exchangeRate":"1.5"},{"exchangeRate":"2.5"}])")))
                .exchange_rate->ToString(),
            "1.5")
      << "the first rate wins";
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"exchangeRate":"1e3")"))),
            "transactions[0].exchangeRate: not a decimal (exponents are not allowed)");
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"instructedAmount":{"amount":"1"})"))),
            "transactions[0].instructedAmount.currency: missing currency");
}

// ---------------------------------------------------------------------------------------------------------------
// Identifiers and the placeholder rule.

TEST(StetTransactions, IdentifiersAreMapped) {
  const Transaction t = One(Body(StetRow(
      R"("1")", "DBIT", "BOOK",
      R"(,"resourceId":"TX-1","entryReference":"E1","endToEndId":"E2E","mandateId":"M1",)"
      R"("creditorId":"FR12ZZZ123456")")));
  EXPECT_EQ(t.transaction_id, "TX-1");
  EXPECT_EQ(t.entry_reference, "E1");
  EXPECT_EQ(t.end_to_end_id, "E2E");
  EXPECT_EQ(t.mandate_id, "M1");
  EXPECT_EQ(t.creditor_id, "FR12ZZZ123456");
}

TEST(StetTransactions, PlaceholderIdsAreNull) {
  const Transaction t = One(Body(StetRow(
      R"("1")", "DBIT", "BOOK",
      R"(,"resourceId":"NOTPROVIDED","entryReference":"n/a","endToEndId":"NONREF","mandateId":" none ",)"
      R"("creditorId":"-")")));
  EXPECT_FALSE(t.transaction_id);
  EXPECT_FALSE(t.entry_reference);
  EXPECT_FALSE(t.end_to_end_id);
  EXPECT_FALSE(t.mandate_id);
  EXPECT_FALSE(t.creditor_id);
}

TEST(StetTransactions, TransactionIdIsTheFallbackForResourceId) {
  EXPECT_EQ(One(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"transactionId":"B-7")"))).transaction_id, "B-7");
  EXPECT_EQ(One(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"transactionId":"B-7","resourceId":"R-7")"))).transaction_id,
            "R-7")
      << "resourceId, the spec's field, wins";
  EXPECT_EQ(One(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"resourceId":"NOT PROVIDED","transactionId":"B-7")")))
                .transaction_id,
            "B-7");
}

// ---------------------------------------------------------------------------------------------------------------
// Ids, account id, raw JSON.

TEST(StetTransactions, TwinsGetDistinctDeterministicIds) {
  const std::string body = Body(StetRow(R"("9.99")", "DBIT") + "," + StetRow(R"("9.99")", "DBIT"));
  auto first = NormalizeTransactions(body, Stet());
  auto second = NormalizeTransactions(body, Stet());
  ASSERT_TRUE(first && second);
  ASSERT_EQ(first->size(), 2u);
  EXPECT_NE((*first)[0].id, (*first)[1].id);
  EXPECT_EQ(TransactionContentDigest((*first)[0]), TransactionContentDigest((*first)[1]));
  EXPECT_EQ((*first)[0].id, (*second)[0].id);
  EXPECT_EQ((*first)[1].id, (*second)[1].id);
}

TEST(StetTransactions, AccountIdIsStampedAndChangesTheId) {
  NormalizeOptions with = Stet();
  with.account_id = "acc_0123";
  const Transaction a = One(Body(StetRow(R"("1")", "DBIT")), with);
  const Transaction b = One(Body(StetRow(R"("1")", "DBIT")));
  EXPECT_EQ(a.account_id, "acc_0123");
  EXPECT_FALSE(b.account_id);
  EXPECT_NE(a.id, b.id);
}

TEST(StetTransactions, RawJsonIsKeptUnlessDisabled) {
  const std::string row = StetRow(R"("1")", "DBIT");
  EXPECT_EQ(One(Body(row)).raw_json, row);
  NormalizeOptions o = Stet();
  o.keep_raw_json = false;
  EXPECT_EQ(One(Body(row), o).raw_json, "");
}

TEST(StetTransactions, LinksAndUnknownFieldsAreIgnored) {
  const std::string body = R"({"transactions":[)" + StetRow(R"("1")", "DBIT", "BOOK",
                                                        R"(,"_links":[{"self":{"href":"x"}}],"unknown":{"a":[1,2]})") +
                           R"(],"_links":[{"next":{"href":"v1/accounts/A/transactions?page=2"}}],"other":5})";
  EXPECT_EQ(One(body).amount.ToString(), "-1.00");
}

TEST(StetTransactions, EmptyOrNullListHasNoRows) {
  auto empty = NormalizeTransactions(R"({"transactions":[],"_links":{}})", Stet());
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  auto null = NormalizeTransactions(R"({"transactions":null})", Stet());
  ASSERT_TRUE(null);
  EXPECT_TRUE(null->empty());
}

// ---------------------------------------------------------------------------------------------------------------
// Transaction error paths.

TEST(StetTransactions, MissingTransactions) {
  // No list in an otherwise empty page: the account had no transactions in the period.
  for (const char* empty : {R"({"_links":{"self":{"href":"x"}}})", "{}"}) {
    auto r = NormalizeTransactions(empty, Stet());
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->empty());
  }
  EXPECT_EQ(StetTxError(R"({"entryReference":"AF5T2","transactionAmount":{"currency":"EUR","amount":"12.25"}})"),
            "transactions: missing");
  EXPECT_EQ(StetTxError(R"({"timestamp":"2024-01-01T00:00:00Z","status":400,"error":"bad","message":"m"})"),
            "transactions: missing (an error body)");
  EXPECT_EQ(StetTxError(R"({"transactions":{}})"), "transactions: expected an array");
  EXPECT_EQ(StetTxError(R"([])"), "$: expected an object");
  EXPECT_EQ(StetTxError(R"({"transactions":[{"transactionAmount":)"), "transactions: truncated or malformed JSON");
  EXPECT_EQ(StetTxError(R"({"transactions":[]} x)"), "$: unexpected content after the JSON value");
}

TEST(StetTransactions, MissingAmount) {
  EXPECT_EQ(StetTxError(Body(R"({"creditDebitIndicator":"CRDT","status":"BOOK"})")),
            "transactions[0].transactionAmount: missing");
}

TEST(StetTransactions, MissingCurrency) {
  EXPECT_EQ(StetTxError(Body(R"({"transactionAmount":{"amount":"1"},"creditDebitIndicator":"CRDT","status":"BOOK"})")),
            "transactions[0].transactionAmount.currency: missing currency");
  EXPECT_EQ(StetTxError(Body(R"({"transactionAmount":{"amount":"1","currency":""},"creditDebitIndicator":"CRDT",)"
                         R"("status":"BOOK"})")),
            "transactions[0].transactionAmount.currency: missing currency");
}

TEST(StetTransactions, BadCurrency) {
  const std::string msg = StetTxError(
      Body(R"({"transactionAmount":{"amount":"1","currency":"eur1"},"creditDebitIndicator":"CRDT","status":"BOOK"})"));
  EXPECT_EQ(msg, "transactions[0].transactionAmount.currency: not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(msg.find("eur1"), std::string::npos) << "never echo the value";
}

TEST(StetTransactions, ExponentAmountInTheThirdRow) {
  const std::string msg = StetTxError(Body(StetRow(R"("1")", "CRDT") + "," + StetRow(R"("2")", "CRDT") + "," +
                                       StetRow(R"("1.5E3")", "DBIT")));
  EXPECT_EQ(msg, "transactions[2].transactionAmount.amount: not a decimal (exponents are not allowed)");
  EXPECT_EQ(StetTxError(Body(StetRow("1e3", "DBIT"))),
            "transactions[0].transactionAmount.amount: not a decimal (exponents are not allowed)")
      << "a JSON number with an exponent too";
}

TEST(StetTransactions, MalformedAmounts) {
  EXPECT_EQ(StetTxError(Body(StetRow(R"("12,50")", "DBIT"))),
            "transactions[0].transactionAmount.amount: not a decimal (commas are not allowed)");
  EXPECT_EQ(StetTxError(Body(StetRow(R"("")", "DBIT"))), "transactions[0].transactionAmount.amount: empty amount");
  EXPECT_EQ(StetTxError(Body(StetRow("true", "DBIT"))),
            "transactions[0].transactionAmount.amount: expected a decimal string or number");
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1234567890123456789")", "DBIT"))),
            "transactions[0].transactionAmount.amount: too many integer digits (at most 18)");
}

TEST(StetTransactions, WrongTypes) {
  EXPECT_EQ(StetTxError(Body(R"({"transactionAmount":"12.25","creditDebitIndicator":"CRDT","status":"BOOK"})")),
            "transactions[0].transactionAmount: expected an object");
  EXPECT_EQ(StetTxError(Body(R"("row")")), "transactions[0]: expected an object");
  EXPECT_EQ(StetTxError(Body(StetRow(R"("1")", "DBIT", "BOOK", R"(,"entryReference":42)"))),
            "transactions[0].entryReference: expected a string");
  EXPECT_EQ(StetTxError(Body(R"({"transactionAmount":{"amount":"1","currency":"EUR"},"creditDebitIndicator":1,)"
                         R"("status":"BOOK"})")),
            "transactions[0].creditDebitIndicator: expected a string");
}

// ---------------------------------------------------------------------------------------------------------------
// Balances.

std::string BalError(const std::string& body) {
  auto r = NormalizeBalances(body, Stet());
  EXPECT_FALSE(r.has_value());
  return r ? "" : r.error().message;
}

TEST(StetBalances, SpecExample) {
  NormalizeOptions o = Stet();
  o.account_id = "acc_1";
  auto r = NormalizeBalances(R"({"balances":[{"name":"Solde comptable au 12/01/2017",)"
                             R"("balanceAmount":{"currency":"EUR","amount":"123.45"},"balanceType":"CLBD",)"
                             R"("lastCommittedTransaction":"A452CH"}],"_links":{}})",
                             o);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(ToCanonicalJson((*r)[0]),
            R"({"type":"CLBD","bank_type":"CLBD","account_id":"acc_1","amount":"123.45","currency":"EUR",)"
            R"("credit_limit_included":null,"reference_date":null,"last_change_datetime":null})");
}

TEST(StetBalances, TypesSignsAndDates) {
  auto r = NormalizeBalances(
      R"({"balances":[)"
      R"({"name":"a","balanceAmount":{"currency":"EUR","amount":"-12.3"},"balanceType":"XPCD",)"
      R"("referenceDate":"2024-03-31","lastChangeDateTime":"2024-03-31T10:00:00+02:00"},)"
      R"({"name":"b","balanceAmount":{"currency":"EUR","amount":5},"balanceType":"VALU"},)"
      R"({"name":"c","balanceAmount":{"currency":"EUR","amount":"7"},"balanceType":"OTHR",)"
      R"("creditDebitIndicator":"DBIT"},)"
      R"({"name":"d","balanceAmount":{"currency":"EUR","amount":"-7"},"balanceType":"ITAV",)"
      R"("creditDebitIndicator":"CRDT"})"
      R"(]})",
      Stet());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].type, "XPCD");
  EXPECT_EQ((*r)[0].amount.ToString(), "-12.30") << "signed as given";
  EXPECT_EQ((*r)[0].reference_date->ToString(), "2024-03-31");
  EXPECT_EQ((*r)[0].last_change_datetime->ToString(), "2024-03-31T08:00:00Z");
  EXPECT_FALSE((*r)[0].account_id);
  EXPECT_EQ((*r)[1].type, "VALU");
  EXPECT_EQ((*r)[1].amount.ToString(), "5.00");
  EXPECT_EQ((*r)[2].type, "OTHR");
  EXPECT_EQ((*r)[2].amount.ToString(), "-7.00") << "an indicator, where a bank sends one, is applied";
  EXPECT_EQ((*r)[3].type, "ITAV");
  EXPECT_EQ((*r)[3].amount.ToString(), "7.00") << "the indicator decides the sign";
}

TEST(StetBalances, Errors) {
  EXPECT_EQ(BalError(R"({"balances":[{"balanceAmount":{"currency":"EUR","amount":"1"},)"
                     R"("balanceType":"string"}]})"),
            "balances[0].balanceType: a placeholder, not a balance type");
  EXPECT_EQ(BalError(R"({"balances":[{"balanceAmount":{"amount":"1"},"balanceType":"CLBD"}]})"),
            "balances[0].balanceAmount.currency: missing currency");
  EXPECT_EQ(BalError(R"({"balances":[{"balanceAmount":{"currency":"EUR","amount":"1"}}]})"),
            "balances[0].balanceType: missing");
  EXPECT_EQ(BalError(R"({"balances":[{"balanceType":"CLBD"}]})"), "balances[0].balanceAmount: missing");
  EXPECT_EQ(BalError(R"({"balances":[{"balanceAmount":{"currency":"EU","amount":"1"},"balanceType":"CLBD"}]})"),
            "balances[0].balanceAmount.currency: not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(BalError(R"({"balances":[{"balanceAmount":{"currency":"EUR","amount":"1"},"balanceType":"CLBD",)"
                     R"("creditDebitIndicator":"D"}]})"),
            "balances[0].creditDebitIndicator: unknown credit/debit indicator");
  EXPECT_EQ(BalError(R"({"balances":[{"balanceAmount":{"currency":"EUR","amount":"1"},"balanceType":"CLBD",)"
                     R"("referenceDate":"12/01/2017"}]})"),
            "balances[0].referenceDate: not a date (expected YYYY-MM-DD)");
  EXPECT_EQ(BalError(R"({"name":"Solde","balanceAmount":{"currency":"EUR","amount":"1"},"balanceType":"CLBD"})"),
            "balances: missing");
}

// ---------------------------------------------------------------------------------------------------------------
// Accounts.

TEST(StetAccounts, SpecExampleWithTopLevelCurrency) {
  auto r = NormalizeAccounts(
      R"({"accounts":[{"resourceId":"Alias1","bicFi":"BNKAFRPPXXX","name":"Compte de Mr et Mme Dupont",)"
      R"("usage":"PRIV","cashAccountType":"CACC","currency":"EUR","psuStatus":"Co-account Holder",)"
      R"("_links":{"balances":{"href":"v1/accounts/Alias1/balances"}}}],"_links":{}})",
      Stet());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  const Account& a = (*r)[0];
  EXPECT_EQ(a.resource_id, "Alias1");
  EXPECT_EQ(a.bic, "BNKAFRPPXXX");
  EXPECT_EQ(a.name, "Compte de Mr et Mme Dupont");
  EXPECT_EQ(a.cash_account_type, "CACC");
  EXPECT_EQ(a.currency, "EUR");
  EXPECT_FALSE(a.status) << "psuStatus is the PSU's role, not the account's status";
  EXPECT_FALSE(a.iban);
  EXPECT_EQ(a.id, AccountIdFor(a));
  EXPECT_EQ(a.id.substr(0, 4), "acc_");
}

TEST(StetAccounts, IbanOtherAndCard) {
  auto r = NormalizeAccounts(
      R"({"accounts":[)"
      R"({"resourceId":"A1","accountId":{"iban":"FR7630006000011234567890189","currency":"EUR"},"name":"CC",)"
      R"("product":"Compte Cheques","cashAccountType":"CACC"},)"
      R"({"resourceId":"A2","accountId":{"other":{"identification":"30006000011234567890189","schemeName":"BBAN"}},)"
      R"("currency":"EUR","name":"Autre","cashAccountType":"CACC"},)"
      R"({"resourceId":"A3","accountId":{"other":{"identification":"4970100000000154","schemeName":"CPAN"},)"
      R"("currency":"EUR"},"name":"CB DUPONT","cashAccountType":"CARD","linkedAccount":"A1"},)"
      R"({"resourceId":"A4","accountId":{"Iban":"FR7630006000011234567890189"},"currency":"EUR","name":"x",)"
      R"("cashAccountType":"CACC"})"
      R"(]})",
      Stet());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].iban, "FR7630006000011234567890189");
  EXPECT_EQ((*r)[0].currency, "EUR") << "1.4.2+ puts the currency in accountId";
  EXPECT_EQ((*r)[0].product, "Compte Cheques");
  EXPECT_FALSE((*r)[0].bban);
  EXPECT_EQ((*r)[1].bban, "30006000011234567890189");
  EXPECT_FALSE((*r)[1].iban);
  EXPECT_EQ((*r)[2].masked_pan, "497010******0154");
  EXPECT_FALSE((*r)[2].bban);
  EXPECT_EQ((*r)[2].cash_account_type, "CARD");
  EXPECT_EQ((*r)[3].iban, "FR7630006000011234567890189") << "the spelling of the spec's own example";
  EXPECT_NE((*r)[0].id, (*r)[3].id) << "resource ids differ";
  for (const Account& a : *r) EXPECT_EQ(a.id, AccountIdFor(a));
}

TEST(StetAccounts, Errors) {
  auto err = [](const std::string& body) {
    auto r = NormalizeAccounts(body, Stet());
    EXPECT_FALSE(r.has_value());
    return r ? std::string() : r.error().message;
  };
  EXPECT_EQ(err(R"({"accounts":[{"resourceId":"A","currency":"eur1"}]})"),
            "accounts[0].currency: not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(err(R"({"accounts":[{"resourceId":"A","accountId":{"currency":"€"}}]})"),
            "accounts[0].accountId.currency: not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(err(R"({"accounts":[{"resourceId":"A","accountId":"FR76"}]})"),
            "accounts[0].accountId: expected an object");
  EXPECT_EQ(err(R"({"accounts":[{"resourceId":"A","accountId":{"other":{"identification":1}}}]})"),
            "accounts[0].accountId.other.identification: expected a string");
  EXPECT_EQ(err(R"({"resourceId":"Alias1","name":"x"})"), "accounts: missing");
}

// ---------------------------------------------------------------------------------------------------------------
// Consents: the consentsPut body (Access).

Consent ConsentOf(const std::string& body) {
  auto r = NormalizeConsent(body, Stet());
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : Consent{};
}

TEST(StetConsent, SpecExample) {
  const Consent c = ConsentOf(R"({"balances":"","psuIdentity":true,"trustedBeneficiaries":true,"transactions":""})");
  EXPECT_EQ(c.permissions, (std::vector<std::string>{"trustedBeneficiaries", "psuIdentity"}));
  EXPECT_FALSE(c.status);
  EXPECT_FALSE(c.consent_id);
  EXPECT_FALSE(c.bank_status);
}

TEST(StetConsent, AccountListsGrantAccessInAFixedOrder) {
  const Consent c = ConsentOf(
      R"({"transactions":[{"iban":"FR7630006000011234567890189"}],"psuIdentity":false,)"
      R"("balances":[{"iban":"FR7630006000011234567890189"},{"other":{"identification":"1","schemeName":"BANK"}}],)"
      R"("trustedBeneficiaries":false})");
  EXPECT_EQ(c.permissions, (std::vector<std::string>{"balances", "transactions"}));
}

TEST(StetConsent, EmptyListsAndNullsGrantNothing) {
  const Consent c =
      ConsentOf(R"({"balances":[],"transactions":null,"trustedBeneficiaries":null,"psuIdentity":false})");
  EXPECT_TRUE(c.permissions.empty());
}

TEST(StetConsent, Errors) {
  auto err = [](const std::string& body) {
    auto r = NormalizeConsent(body, Stet());
    EXPECT_FALSE(r.has_value());
    return r ? std::string() : r.error().message;
  };
  EXPECT_EQ(err(R"({"balances":"all","transactions":[]})"), "balances: expected an array");
  EXPECT_EQ(err(R"({"balances":[],"psuIdentity":"true"})"), "psuIdentity: expected a boolean");
  EXPECT_EQ(err(R"({"transactions":[{"iban":1}]})"), "transactions[0].iban: expected a string");
  EXPECT_EQ(err(R"({"transactions":[{"currency":"eur1"}]})"),
            "transactions[0].currency: not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(err(R"({"status":400,"error":"Bad Request"})"),
            "$: not a consent body (no balances, transactions, trustedBeneficiaries or psuIdentity)");
}

}  // namespace
}  // namespace bankfeed
