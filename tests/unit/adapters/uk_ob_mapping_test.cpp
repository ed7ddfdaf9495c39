// UK Open Banking v3.1.x / v4.0 mapping: the rules of docs/CANONICAL.md applied to UK wire shapes.
// Everything goes through the public NormalizeX entry points with Standard::kUkOpenBanking.
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "bankfeed/canonical_json.hpp"
#include "bankfeed/ids.hpp"
#include "bankfeed/normalize.hpp"

namespace bankfeed {
namespace {

NormalizeOptions Uk() {
  NormalizeOptions o;
  o.standard = Standard::kUkOpenBanking;
  return o;
}

// {"Data":{"Transaction":[<rows>]}}
std::string TxBody(std::string_view rows) { return R"({"Data":{"Transaction":[)" + std::string(rows) + "]}}"; }

// One row with the required fields, plus `extra` members.
std::string Row(std::string_view indicator = "Credit", std::string_view extra = "",
                std::string_view amount = R"("10.00")") {
  std::string r = R"({"AccountId":"22289","Amount":{"Amount":)" + std::string(amount) +
                  R"(,"Currency":"GBP"},"CreditDebitIndicator":")" + std::string(indicator) +
                  R"(","Status":"Booked","BookingDateTime":"2017-04-05T10:43:07+00:00")";
  if (!extra.empty()) r += "," + std::string(extra);
  return r + "}";
}

std::vector<Transaction> Txs(const std::string& body, const NormalizeOptions& o = Uk()) {
  auto r = NormalizeTransactions(body, o);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : std::vector<Transaction>{};
}

Transaction OneTx(const std::string& row, const NormalizeOptions& o = Uk()) {
  auto txs = Txs(TxBody(row), o);
  EXPECT_EQ(txs.size(), 1u);
  return txs.empty() ? Transaction{} : txs[0];
}

std::string TxError(const std::string& body) {
  auto r = NormalizeTransactions(body, Uk());
  EXPECT_FALSE(r.has_value()) << "expected an error";
  if (r) return "";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  return r.error().message;
}

std::string Str(const std::optional<Date>& d) { return d ? d->ToString() : "null"; }
std::string Str(const std::optional<DateTime>& d) { return d ? d->ToString() : "null"; }
std::string Str(const OptString& s) { return s.value_or("null"); }

// ---------------------------------------------------------------------------------------------------------------
// Transactions: sign

TEST(UkObTransactions, CreditIsPositive) { EXPECT_EQ(OneTx(Row("Credit")).amount.ToString(), "10.00"); }

TEST(UkObTransactions, DebitIsNegative) { EXPECT_EQ(OneTx(Row("Debit")).amount.ToString(), "-10.00"); }

TEST(UkObTransactions, IsoIndicatorCodes) {
  EXPECT_EQ(OneTx(Row("CRDT")).amount.ToString(), "10.00");
  EXPECT_EQ(OneTx(Row("DBIT")).amount.ToString(), "-10.00");
}

TEST(UkObTransactions, DebitWithMinusStaysNegative) {
  EXPECT_EQ(OneTx(Row("Debit", "", R"("-10.00")")).amount.ToString(), "-10.00");
  EXPECT_EQ(OneTx(Row("DBIT", "", R"("-0.5")")).amount.ToString(), "-0.50");
}

TEST(UkObTransactions, DebitOfZeroIsNotNegative) {
  EXPECT_EQ(OneTx(Row("Debit", "", R"("0.00")")).amount.ToString(), "0.00");
}

// docs/CANONICAL.md: the sign comes from the indicator, so a '-' on a credit does not make it a debit.
TEST(UkObTransactions, CreditWithMinusIsStillACredit) {
  EXPECT_EQ(OneTx(Row("Credit", "", R"("-5")")).amount.ToString(), "5.00");
}

TEST(UkObTransactions, AmountAsJsonNumberIsReadFromItsText) {
  EXPECT_EQ(OneTx(Row("Debit", "", "256.67")).amount.ToString(), "-256.67");
  EXPECT_EQ(OneTx(Row("Credit", "", "10")).amount.ToString(), "10.00");
  EXPECT_EQ(OneTx(Row("Credit", "", "0.1")).amount.ToString(), "0.10");
  EXPECT_EQ(OneTx(Row("Credit", "", "123456789012345678.123456789")).amount.ToString(),
            "123456789012345678.123456789");
}

TEST(UkObTransactions, ExtraFractionDigitsAreKept) {
  EXPECT_EQ(OneTx(Row("Credit", "", R"("12.345")")).amount.ToString(), "12.345");
  EXPECT_EQ(OneTx(Row("Credit", "", R"("12.34000")")).amount.ToString(), "12.34");
}

TEST(UkObTransactions, MissingIndicatorIsAnError) {
  const std::string row =
      R"({"Amount":{"Amount":"1.00","Currency":"GBP"},"Status":"Booked"})";
  EXPECT_EQ(TxError(TxBody(row)), "Data.Transaction[0].CreditDebitIndicator: missing");
  const std::string null_row =
      R"({"Amount":{"Amount":"1.00","Currency":"GBP"},"CreditDebitIndicator":null,"Status":"Booked"})";
  EXPECT_EQ(TxError(TxBody(null_row)), "Data.Transaction[0].CreditDebitIndicator: missing");
}

TEST(UkObTransactions, UnknownIndicatorIsAnError) {
  EXPECT_EQ(TxError(TxBody(Row("Credit") + "," + Row("Both"))),
            "Data.Transaction[1].CreditDebitIndicator: unknown credit/debit indicator");
  EXPECT_EQ(TxError(TxBody(Row("CRED"))), "Data.Transaction[0].CreditDebitIndicator: unknown credit/debit indicator");
}

TEST(UkObTransactions, IndicatorsInAnyCase) {
  // Several banks send "CREDIT"/"DEBIT": the words are unambiguous in any case.
  auto txs = Txs(TxBody(Row("CREDIT") + "," + Row("debit") + "," + Row("Debit")));
  ASSERT_EQ(txs.size(), 3u);
  EXPECT_FALSE(txs[0].amount.amount.IsNegative());
  EXPECT_TRUE(txs[1].amount.amount.IsNegative());
  EXPECT_EQ(txs[1].amount.amount, txs[2].amount.amount);
}

// ---------------------------------------------------------------------------------------------------------------
// Transactions: status

std::string StatusRow(std::string_view status) {
  return R"({"Amount":{"Amount":"1.00","Currency":"GBP"},"CreditDebitIndicator":"Debit","Status":")" +
         std::string(status) + R"("})";
}

TEST(UkObTransactions, StatusV3AndV4) {
  EXPECT_EQ(OneTx(StatusRow("Booked")).status, TransactionStatus::kBooked);
  EXPECT_EQ(OneTx(StatusRow("Pending")).status, TransactionStatus::kPending);
  EXPECT_EQ(OneTx(StatusRow("BOOK")).status, TransactionStatus::kBooked);
  EXPECT_EQ(OneTx(StatusRow("PDNG")).status, TransactionStatus::kPending);
}

TEST(UkObTransactions, RowsKeepInputOrderWhateverTheirStatus) {
  auto txs = Txs(TxBody(StatusRow("PDNG") + "," + StatusRow("Booked") + "," + StatusRow("Pending")));
  ASSERT_EQ(txs.size(), 3u);
  EXPECT_EQ(txs[0].status, TransactionStatus::kPending);
  EXPECT_EQ(txs[1].status, TransactionStatus::kBooked);
  EXPECT_EQ(txs[2].status, TransactionStatus::kPending);
}

TEST(UkObTransactions, UnknownStatusIsAnErrorAtItsPath) {
  EXPECT_EQ(TxError(TxBody(StatusRow("Booked") + "," + StatusRow("Booked") + "," + StatusRow("Done"))),
            "Data.Transaction[2].Status: unknown transaction status");
  EXPECT_EQ(TxError(TxBody(StatusRow("REJT"))), "Data.Transaction[0].Status: unknown transaction status");
  EXPECT_EQ(TxError(TxBody(StatusRow("string"))), "Data.Transaction[0].Status: unknown transaction status");
}

TEST(UkObTransactions, StatusWordsInAnyCaseAndRejectedRows) {
  auto txs = Txs(TxBody(StatusRow("booked") + "," + StatusRow("PENDING") + "," + StatusRow("Rejected") + "," +
                        StatusRow("RJCT")));
  ASSERT_EQ(txs.size(), 4u);
  EXPECT_EQ(txs[0].status, TransactionStatus::kBooked);
  EXPECT_EQ(txs[1].status, TransactionStatus::kPending);
  EXPECT_EQ(txs[2].status, TransactionStatus::kRejected);
  EXPECT_EQ(txs[3].status, TransactionStatus::kRejected);
}

TEST(UkObTransactions, V4InformationAndFutureRowsAreInfo) {
  auto txs = Txs(TxBody(StatusRow("INFO") + "," + StatusRow("FUTR")));
  ASSERT_EQ(txs.size(), 2u);
  EXPECT_EQ(txs[0].status, TransactionStatus::kInfo);
  EXPECT_EQ(txs[1].status, TransactionStatus::kInfo);
}

TEST(UkObTransactions, MissingStatusIsAnError) {
  EXPECT_EQ(TxError(TxBody(R"({"Amount":{"Amount":"1.00","Currency":"GBP"},"CreditDebitIndicator":"Debit"})")),
            "Data.Transaction[0].Status: missing");
}

// ---------------------------------------------------------------------------------------------------------------
// Transactions: dates

TEST(UkObTransactions, DateTimeWithOffsetGivesLocalDateAndUtcInstant) {
  auto t = OneTx(R"({"Amount":{"Amount":"1","Currency":"GBP"},"CreditDebitIndicator":"Debit","Status":"Booked",
    "BookingDateTime":"2024-03-31T00:30:00+01:00","ValueDateTime":"2024-04-01T23:15:00.120-02:00"})");
  EXPECT_EQ(Str(t.booking_date), "2024-03-31");
  EXPECT_EQ(Str(t.booking_datetime), "2024-03-30T23:30:00Z");
  EXPECT_EQ(Str(t.value_date), "2024-04-01");
  EXPECT_EQ(Str(t.value_datetime), "2024-04-02T01:15:00.120Z");
}

TEST(UkObTransactions, OffsetSpellings) {
  for (const char* dt : {"2024-03-31T00:30:00+01:00", "2024-03-31T00:30:00+0100", "2024-03-31T00:30:00+01"}) {
    auto t = OneTx(Row("Debit", std::string(R"("ValueDateTime":")") + dt + "\""));
    EXPECT_EQ(Str(t.value_date), "2024-03-31") << dt;
    EXPECT_EQ(Str(t.value_datetime), "2024-03-30T23:30:00Z") << dt;
  }
}

TEST(UkObTransactions, DateTimeWithoutOffsetIsReadInTheBankTimeZone) {
  auto london = TimeZone::Locate("Europe/London");
  ASSERT_TRUE(london.has_value());
  NormalizeOptions o = Uk();
  o.timezone = *london;
  // 1 July is BST (UTC+1): 00:30 local is 23:30 UTC the day before.
  auto t = OneTx(Row("Debit", R"("ValueDateTime":"2024-07-01T00:30:00")"), o);
  EXPECT_EQ(Str(t.value_date), "2024-07-01");
  EXPECT_EQ(Str(t.value_datetime), "2024-06-30T23:30:00Z");
  // In January London is on UTC.
  t = OneTx(Row("Debit", R"("ValueDateTime":"2024-01-15T00:30:00")"), o);
  EXPECT_EQ(Str(t.value_datetime), "2024-01-15T00:30:00Z");
  // Without --timezone the default is UTC.
  t = OneTx(Row("Debit", R"("ValueDateTime":"2024-07-01T00:30:00")"));
  EXPECT_EQ(Str(t.value_date), "2024-07-01");
  EXPECT_EQ(Str(t.value_datetime), "2024-07-01T00:30:00Z");
}

TEST(UkObTransactions, DateOnlyHasNoDateTime) {
  auto t = OneTx(Row("Debit", R"("ValueDateTime":"2024-07-01")"));
  EXPECT_EQ(Str(t.value_date), "2024-07-01");
  EXPECT_FALSE(t.value_datetime.has_value());
}

TEST(UkObTransactions, MalformedDateTimeIsAnError) {
  EXPECT_EQ(TxError(TxBody(Row("Debit", R"("ValueDateTime":"05-04-2017")"))),
            "Data.Transaction[0].ValueDateTime: not a date (expected YYYY-MM-DD)");
  EXPECT_EQ(TxError(TxBody(Row("Debit", R"("ValueDateTime":20170405)"))),
            "Data.Transaction[0].ValueDateTime: expected a string");
}

// ---------------------------------------------------------------------------------------------------------------
// Transactions: fields

TEST(UkObTransactions, PlaceholderIdsBecomeNull) {
  auto t = OneTx(Row("Debit", R"("TransactionId":"NOTPROVIDED","TransactionReference":" n/a ")"));
  EXPECT_FALSE(t.transaction_id.has_value());
  EXPECT_FALSE(t.entry_reference.has_value());
  t = OneTx(Row("Debit", R"("TransactionId":" 123 ","TransactionReference":"Ref 1")"));
  EXPECT_EQ(Str(t.transaction_id), "123");
  EXPECT_EQ(Str(t.entry_reference), "Ref 1");
  t = OneTx(Row("Debit", R"("TransactionId":"unknown","TransactionReference":"-")"));
  EXPECT_FALSE(t.transaction_id.has_value());
  EXPECT_FALSE(t.entry_reference.has_value());
}

TEST(UkObTransactions, RemittanceAndCodes) {
  auto t = OneTx(Row("Debit", R"("TransactionInformation":"  Paid the gas bill ",
    "BankTransactionCode":{"SubCode":"AutomaticTransfer","Code":"IssuedCreditTransfer"},
    "ProprietaryBankTransactionCode":{"Code":"DirectDebit","Issuer":"AlphaBank"})"));
  EXPECT_EQ(Str(t.remittance), "Paid the gas bill");
  EXPECT_EQ(Str(t.bank_transaction_code), "IssuedCreditTransfer-AutomaticTransfer");
  EXPECT_EQ(Str(t.proprietary_code), "DirectDebit");
}

TEST(UkObTransactions, BankTransactionCodeWithoutSubCode) {
  EXPECT_EQ(Str(OneTx(Row("Debit", R"("BankTransactionCode":{"Code":"IssuedCreditTransfer"})")).bank_transaction_code),
            "IssuedCreditTransfer");
  EXPECT_FALSE(OneTx(Row("Debit", R"("BankTransactionCode":{"SubCode":"X"})")).bank_transaction_code.has_value());
}

TEST(UkObTransactions, IgnoredMembersDoNotMatter) {
  auto t = OneTx(Row("Debit", R"("Balance":{"Amount":{"Amount":"x","Currency":"??"},"Type":"Bogus"},
    "SupplementaryData":{"a":[1,2]},"StatementReference":["003"],"CardInstrument":{"CardSchemeName":"VISA"},
    "ChargeAmount":{"Amount":"0.01","Currency":"GBP"},"AddressLine":"Coventry")"));
  EXPECT_EQ(t.amount.ToString(), "-10.00");
}

TEST(UkObTransactions, CounterpartyOfADebitIsTheCreditor) {
  auto t = OneTx(Row("Debit", R"("CreditorAccount":{"SchemeName":"UK.OBIE.IBAN","Identification":"GB29NWBK60161331926819","Name":"Shop"},
    "DebtorAccount":{"SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":"80200112345784","Name":"Me"})"));
  ASSERT_TRUE(t.Counterparty().has_value());
  EXPECT_EQ(Str(t.Counterparty()->name), "Shop");
  EXPECT_EQ(Str(t.Counterparty()->iban), "GB29NWBK60161331926819");
  ASSERT_TRUE(t.debtor.has_value());
  EXPECT_EQ(Str(t.debtor->bban), "80200112345784");
}

TEST(UkObTransactions, CounterpartyOfACreditIsTheDebtor) {
  auto t = OneTx(Row("Credit", R"("CreditorAccount":{"SchemeName":"UK.OBIE.IBAN","Identification":"GB29NWBK60161331926819","Name":"Me"},
    "DebtorAccount":{"SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":"80200112345784","Name":"Aubrey"})"));
  ASSERT_TRUE(t.Counterparty().has_value());
  EXPECT_EQ(Str(t.Counterparty()->name), "Aubrey");
  EXPECT_EQ(Str(t.Counterparty()->bban), "80200112345784");
}

TEST(UkObTransactions, CounterpartyFallsBackToThePresentSide) {
  auto t = OneTx(Row("Debit", R"("DebtorAccount":{"SchemeName":"UK.OBIE.IBAN","Identification":"GB1","Name":"Only debtor"})"));
  EXPECT_FALSE(t.creditor.has_value());
  ASSERT_TRUE(t.Counterparty().has_value());
  EXPECT_EQ(Str(t.Counterparty()->name), "Only debtor");
  t = OneTx(Row("Debit"));
  EXPECT_FALSE(t.creditor.has_value());
  EXPECT_FALSE(t.debtor.has_value());
  EXPECT_FALSE(t.Counterparty().has_value());
}

TEST(UkObTransactions, MerchantNameNamesACreditorWithoutName) {
  auto t = OneTx(Row("Debit", R"("MerchantDetails":{"MerchantName":"Coffee Shop","MerchantCategoryCode":"5814"})"));
  ASSERT_TRUE(t.creditor.has_value());
  EXPECT_EQ(Str(t.creditor->name), "Coffee Shop");
  EXPECT_EQ(Str(t.merchant_category_code), "5814");
  ASSERT_TRUE(t.Counterparty().has_value());
  EXPECT_EQ(Str(t.Counterparty()->name), "Coffee Shop");

  // The creditor's own name wins, whatever the key order.
  t = OneTx(Row("Debit", R"("MerchantDetails":{"MerchantName":"Coffee Shop"},
    "CreditorAccount":{"Name":"Coffee Ltd","SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":"11223312345678"})"));
  ASSERT_TRUE(t.creditor.has_value());
  EXPECT_EQ(Str(t.creditor->name), "Coffee Ltd");
  EXPECT_EQ(Str(t.creditor->bban), "11223312345678");

  // A creditor with an account but no name takes the merchant's name.
  t = OneTx(Row("Debit", R"("CreditorAccount":{"SchemeName":"IBAN","Identification":"GB29NWBK60161331926819"},
    "MerchantDetails":{"MerchantName":"Coffee Shop"})"));
  EXPECT_EQ(Str(t.creditor->name), "Coffee Shop");
  EXPECT_EQ(Str(t.creditor->iban), "GB29NWBK60161331926819");
}

struct SchemeCase {
  const char* scheme;
  const char* iban;
  const char* bban;
  const char* masked_pan;
};

class UkObSchemeTest : public ::testing::TestWithParam<SchemeCase> {};

TEST_P(UkObSchemeTest, ClassifiesTheIdentification) {
  const SchemeCase& c = GetParam();
  // Identification before SchemeName: classification must not depend on key order.
  auto t = OneTx(Row("Debit", std::string(R"("CreditorAccount":{"Identification":"5409050000000000","SchemeName":")") +
                                  c.scheme + R"(","Name":"Payee"})"));
  ASSERT_TRUE(t.creditor.has_value());
  EXPECT_EQ(Str(t.creditor->iban), c.iban);
  EXPECT_EQ(Str(t.creditor->bban), c.bban);
  EXPECT_EQ(Str(t.creditor->masked_pan), c.masked_pan);
  EXPECT_EQ(Str(t.creditor->name), "Payee");
}

INSTANTIATE_TEST_SUITE_P(
    Schemes, UkObSchemeTest,
    ::testing::Values(SchemeCase{"UK.OBIE.IBAN", "5409050000000000", "null", "null"},
                      SchemeCase{"IBAN", "5409050000000000", "null", "null"},
                      SchemeCase{"UK.OBIE.SortCodeAccountNumber", "null", "5409050000000000", "null"},
                      SchemeCase{"SortCodeAccountNumber", "null", "5409050000000000", "null"},
                      SchemeCase{"UK.OBIE.BBAN", "null", "5409050000000000", "null"},
                      SchemeCase{"UK.OBIE.Paym", "null", "5409050000000000", "null"},
                      SchemeCase{"UK.OBIE.Wallet", "null", "5409050000000000", "null"},
                      SchemeCase{"UK.OBIE.PAN", "null", "null", "540905******0000"},
                      SchemeCase{"PAN", "null", "null", "540905******0000"}));

TEST(UkObTransactions, PanNeverReachesTheCanonicalOutput) {
  auto t = OneTx(Row("Debit", R"("DebtorAccount":{"SchemeName":"UK.OBIE.PAN","Identification":"4111111111111111"})"));
  ASSERT_TRUE(t.debtor.has_value());
  EXPECT_EQ(Str(t.debtor->masked_pan), "411111******1111");
  EXPECT_EQ(ToCanonicalJson(t).find("4111111111111111"), std::string::npos);
}

TEST(UkObTransactions, IdentificationWithoutSchemeIsDropped) {
  auto t = OneTx(Row("Debit", R"("CreditorAccount":{"Identification":"4111111111111111","Name":"Payee"})"));
  ASSERT_TRUE(t.creditor.has_value());
  EXPECT_EQ(Str(t.creditor->name), "Payee");
  EXPECT_FALSE(t.creditor->iban || t.creditor->bban || t.creditor->masked_pan);
}

TEST(UkObTransactions, AgentsGiveTheBicUnderBicfi) {
  auto t = OneTx(Row("Credit", R"("DebtorAgent":{"Identification":"NWBKGB2L","SchemeName":"UK.OBIE.BICFI","Name":"Bank"},
    "CreditorAgent":{"SchemeName":"UK.OBIE.Other","Identification":"XYZ"})"));
  ASSERT_TRUE(t.debtor.has_value());
  EXPECT_EQ(Str(t.debtor->bic), "NWBKGB2L");
  EXPECT_EQ(Str(t.debtor->name), "null") << "the agent's name is the bank's, not the party's";
  EXPECT_FALSE(t.creditor.has_value());
}

TEST(UkObTransactions, UltimatePartiesGiveUltimateNames) {
  auto t = OneTx(Row("Debit", R"("UltimateCreditor":{"SchemeName":"UK.OBIE.BICFI","Identification":"1","Name":"Ultimate C"},
    "UltimateDebtor":{"Name":"Ultimate D"})"));
  ASSERT_TRUE(t.creditor && t.debtor);
  EXPECT_EQ(Str(t.creditor->ultimate_name), "Ultimate C");
  EXPECT_EQ(Str(t.creditor->bic), "null");
  EXPECT_EQ(Str(t.debtor->ultimate_name), "Ultimate D");
}

TEST(UkObTransactions, CurrencyExchange) {
  auto t = OneTx(Row("Debit", R"("CurrencyExchange":{"SourceCurrency":"USD","TargetCurrency":"GBP","UnitCurrency":"GBP",
    "ExchangeRate":1.2345,"InstructedAmount":{"Amount":"12.5","Currency":"USD"}})"));
  ASSERT_TRUE(t.exchange_rate.has_value());
  EXPECT_EQ(t.exchange_rate->ToString(), "1.2345");
  ASSERT_TRUE(t.original_amount.has_value());
  EXPECT_EQ(t.original_amount->ToString(), "-12.50") << "the indicator signs the instructed amount too";
  EXPECT_EQ(t.original_amount->currency.code(), "USD");

  t = OneTx(Row("Credit", R"("CurrencyExchange":{"SourceCurrency":"JPY","ExchangeRate":"0.0053",
    "InstructedAmount":{"Amount":1500,"Currency":"JPY"}})"));
  EXPECT_EQ(t.exchange_rate->ToString(), "0.0053");
  EXPECT_EQ(t.original_amount->ToString(), "1500");
}

TEST(UkObTransactions, CurrencyExchangeWithoutRate) {
  auto t = OneTx(Row("Credit", R"("CurrencyExchange":{"SourceCurrency":"GBP","TargetCurrency":"GBP"})"));
  EXPECT_FALSE(t.exchange_rate.has_value());
  EXPECT_FALSE(t.original_amount.has_value());
}

TEST(UkObTransactions, CurrencyExchangeErrors) {
  EXPECT_EQ(TxError(TxBody(Row("Credit", R"("CurrencyExchange":{"ExchangeRate":1e-3})"))),
            "Data.Transaction[0].CurrencyExchange.ExchangeRate: not a decimal (exponents are not allowed)");
  EXPECT_EQ(TxError(TxBody(Row("Credit", R"("CurrencyExchange":{"InstructedAmount":{"Amount":"1.00"}})"))),
            "Data.Transaction[0].CurrencyExchange.InstructedAmount.Currency: missing currency");
}

TEST(UkObTransactions, AccountIdComesFromTheOptionsNotTheBank) {
  auto t = OneTx(Row("Debit"));
  EXPECT_FALSE(t.account_id.has_value());
  NormalizeOptions o = Uk();
  o.account_id = "acc_1";
  EXPECT_EQ(Str(OneTx(Row("Debit"), o).account_id), "acc_1");
}

TEST(UkObTransactions, RawJsonIsTheRowAsSent) {
  const std::string row = Row("Debit", R"("TransactionId":"9")");
  EXPECT_EQ(OneTx(row).raw_json, row);
  NormalizeOptions o = Uk();
  o.keep_raw_json = false;
  EXPECT_EQ(OneTx(row, o).raw_json, "");
}

TEST(UkObTransactions, TwinsGetDistinctDeterministicIds) {
  const std::string body = TxBody(Row("Debit") + "," + Row("Debit") + "," + Row("Credit"));
  auto first = Txs(body);
  auto second = Txs(body);
  ASSERT_EQ(first.size(), 3u);
  ASSERT_EQ(second.size(), 3u);
  EXPECT_NE(first[0].id, first[1].id);
  EXPECT_NE(first[0].id, first[2].id);
  EXPECT_EQ(first[0].id.size(), 35u);
  EXPECT_EQ(first[0].id.rfind("tx_", 0), 0u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(first[i].id, second[i].id);
  EXPECT_EQ(TransactionContentDigest(first[0]), TransactionContentDigest(first[1]));
}

TEST(UkObTransactions, EmptyListIsZeroRows) {
  EXPECT_TRUE(Txs(R"({"Data":{"Transaction":[]},"Links":{},"Meta":{}})").empty());
}

// ---------------------------------------------------------------------------------------------------------------
// Transactions: errors

TEST(UkObTransactions, MissingTransactionListIsAnEmptyPageButMissingDataIsAnError) {
  // The spec makes Data.Transaction optional: the official pagination examples send "Data": {} for a page.
  EXPECT_TRUE(Txs(R"({"Data":{},"Links":{}})").empty());
  EXPECT_TRUE(Txs(R"({"Data":{"Transaction":null}})").empty());
  EXPECT_EQ(TxError(R"({"Meta":{}})"), "Data: missing");
  EXPECT_EQ(TxError(R"({"Data":null})"), "Data: missing");
  EXPECT_EQ(TxError(R"({"Code":"400 BadRequest","Errors":[{"ErrorCode":"U004"}]})"), "Data: missing");
}

TEST(UkObTransactions, WrongShapes) {
  EXPECT_EQ(TxError(R"([])"), "$: expected an object");
  EXPECT_EQ(TxError(R"({"Data":[]})"), "Data: expected an object");
  EXPECT_EQ(TxError(R"({"Data":{"Transaction":{}}})"), "Data.Transaction: expected an array");
  EXPECT_EQ(TxError(R"({"Data":{"Transaction":["x"]}})"), "Data.Transaction[0]: expected an object");
  EXPECT_EQ(TxError(TxBody(R"({"Amount":"10.00","CreditDebitIndicator":"Debit","Status":"Booked"})")),
            "Data.Transaction[0].Amount: expected an object");
  EXPECT_EQ(TxError(TxBody(Row("Debit", R"("TransactionInformation":5)"))),
            "Data.Transaction[0].TransactionInformation: expected a string");
  EXPECT_EQ(TxError(TxBody(Row("Debit", R"("CreditorAccount":"GB29")"))),
            "Data.Transaction[0].CreditorAccount: expected an object");
  EXPECT_EQ(TxError(TxBody(Row("Debit", R"("MerchantDetails":{"MerchantCategoryCode":[5814]})"))),
            "Data.Transaction[0].MerchantDetails.MerchantCategoryCode: expected a string");
  EXPECT_EQ(TxError(TxBody(Row("Debit", R"("CreditorAccount":{"SchemeName":1})"))),
            "Data.Transaction[0].CreditorAccount.SchemeName: expected a string");
}

TEST(UkObTransactions, MissingAmount) {
  EXPECT_EQ(TxError(TxBody(R"({"CreditDebitIndicator":"Debit","Status":"Booked"})")),
            "Data.Transaction[0].Amount: missing");
}

TEST(UkObTransactions, MissingCurrency) {
  EXPECT_EQ(TxError(TxBody(R"({"Amount":{"Amount":"1.00"},"CreditDebitIndicator":"Debit","Status":"Booked"})")),
            "Data.Transaction[0].Amount.Currency: missing currency");
  EXPECT_EQ(
      TxError(TxBody(R"({"Amount":{"Amount":"1.00","Currency":" "},"CreditDebitIndicator":"Debit","Status":"Booked"})")),
      "Data.Transaction[0].Amount.Currency: missing currency");
}

TEST(UkObTransactions, BadCurrency) {
  EXPECT_EQ(
      TxError(TxBody(R"({"Amount":{"Amount":"1.00","Currency":"eur1"},"CreditDebitIndicator":"Debit","Status":"Booked"})")),
      "Data.Transaction[0].Amount.Currency: not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(
      TxError(TxBody(R"({"Amount":{"Amount":"1.00","Currency":"G8P"},"CreditDebitIndicator":"Debit","Status":"Booked"})")),
      "Data.Transaction[0].Amount.Currency: not an ISO 4217 currency code (three letters A-Z)");
}

TEST(UkObTransactions, BadAmounts) {
  EXPECT_EQ(TxError(TxBody(Row("Debit", "", R"("1e3")"))),
            "Data.Transaction[0].Amount.Amount: not a decimal (exponents are not allowed)");
  EXPECT_EQ(TxError(TxBody(Row("Debit", "", "1E3"))),
            "Data.Transaction[0].Amount.Amount: not a decimal (exponents are not allowed)");
  EXPECT_EQ(TxError(TxBody(Row("Debit", "", R"("1,00")"))),
            "Data.Transaction[0].Amount.Amount: commas that are not a thousands separator");
  EXPECT_EQ(TxError(TxBody(Row("Debit", "", R"("1,000,00.00")"))),
            "Data.Transaction[0].Amount.Amount: commas that are not a thousands separator");
  EXPECT_EQ(TxError(TxBody(Row("Debit", "", R"("1000.00,5")"))),
            "Data.Transaction[0].Amount.Amount: commas that are not a thousands separator");
  EXPECT_EQ(TxError(TxBody(Row("Debit", "", R"(",100.00")"))),
            "Data.Transaction[0].Amount.Amount: commas that are not a thousands separator");
  EXPECT_EQ(TxError(TxBody(Row("Debit", "", R"("")"))), "Data.Transaction[0].Amount.Amount: empty amount");
  EXPECT_EQ(TxError(TxBody(Row("Debit", "", R"("1234567890123456789.00")"))),
            "Data.Transaction[0].Amount.Amount: too many integer digits (at most 18)");
  EXPECT_EQ(TxError(TxBody(Row("Debit", "", "true"))),
            "Data.Transaction[0].Amount.Amount: expected a decimal string or number");
}

TEST(UkObTransactions, ErrorsNeverEchoValues) {
  const std::string msg = TxError(TxBody(Row("Debit", "", R"("12,34 GB29NWBK60161331926819")")));
  EXPECT_EQ(msg.find("GB29"), std::string::npos);
  EXPECT_EQ(msg.find("12,34"), std::string::npos);
}

TEST(UkObTransactions, InvalidJsonIsAnError) {
  auto r = NormalizeTransactions(R"({"Data":{"Transaction":[{"Amount":{"Amount":"1.00","Currency":"GBP"})", Uk());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  // A raw TAB inside a string is not JSON. simdjson finds it while indexing the whole document, before any
  // field is visited, so the path is the root.
  r = NormalizeTransactions(TxBody(Row("Debit", "\"TransactionInformation\":\"a\tb\"")), Uk());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "$: unescaped control character in a string");
}

// ---------------------------------------------------------------------------------------------------------------
// Balances

Balance OneBalance(const std::string& balance, const NormalizeOptions& o = Uk()) {
  auto r = NormalizeBalances(R"({"Data":{"Balance":[)" + balance + "]}}", o);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  if (!r || r->size() != 1) {
    ADD_FAILURE() << "expected one balance";
    return {};
  }
  return (*r)[0];
}

std::string BalanceError(const std::string& body) {
  auto r = NormalizeBalances(body, Uk());
  EXPECT_FALSE(r.has_value());
  return r ? "" : r.error().message;
}

std::string BalanceOf(std::string_view type, std::string_view indicator = "Credit", std::string_view extra = "") {
  std::string b = R"({"AccountId":"22289","Amount":{"Amount":"1230.00","Currency":"GBP"},"CreditDebitIndicator":")" +
                  std::string(indicator) + R"(","Type":")" + std::string(type) +
                  R"(","DateTime":"2017-04-05T10:43:07+00:00")";
  if (!extra.empty()) b += "," + std::string(extra);
  return b + "}";
}

struct TypeCase {
  const char* uk;
  const char* iso;
};

class UkObBalanceTypeTest : public ::testing::TestWithParam<TypeCase> {};

TEST_P(UkObBalanceTypeTest, MapsToIsoCode) { EXPECT_EQ(OneBalance(BalanceOf(GetParam().uk)).type, GetParam().iso); }

INSTANTIATE_TEST_SUITE_P(
    V3Names, UkObBalanceTypeTest,
    ::testing::Values(TypeCase{"ClosingAvailable", "CLAV"}, TypeCase{"ClosingBooked", "CLBD"},
                      TypeCase{"Expected", "XPCD"}, TypeCase{"ForwardAvailable", "FWAV"},
                      TypeCase{"Information", "INFO"}, TypeCase{"InterimAvailable", "ITAV"},
                      TypeCase{"InterimBooked", "ITBD"}, TypeCase{"OpeningAvailable", "OPAV"},
                      TypeCase{"OpeningBooked", "OPBD"}, TypeCase{"PreviouslyClosedBooked", "PRCD"},
                      TypeCase{"ClosingCleared", "OTHR"}, TypeCase{"InterimCleared", "OTHR"},
                      TypeCase{"OpeningCleared", "OTHR"}));

INSTANTIATE_TEST_SUITE_P(V4Codes, UkObBalanceTypeTest,
                         ::testing::Values(TypeCase{"CLAV", "CLAV"}, TypeCase{"CLBD", "CLBD"},
                                           TypeCase{"FWAV", "FWAV"}, TypeCase{"INFO", "INFO"},
                                           TypeCase{"ITAV", "ITAV"}, TypeCase{"ITBD", "ITBD"},
                                           TypeCase{"OPAV", "OPAV"}, TypeCase{"OPBD", "OPBD"},
                                           TypeCase{"PRCD", "PRCD"}, TypeCase{"XPCD", "XPCD"}));

TEST(UkObBalances, VariantsMatchAndUnknownTypesAreOtherKeepingTheBanksName) {
  const Balance variant = OneBalance(BalanceOf("closingBooked"));
  EXPECT_EQ(variant.type, "CLBD");
  EXPECT_EQ(variant.bank_type, "closingBooked");
  EXPECT_EQ(OneBalance(BalanceOf("INTERIM_AVAILABLE")).type, "ITAV");
  const Balance other = OneBalance(BalanceOf("Available"));
  EXPECT_EQ(other.type, "OTHR");
  EXPECT_EQ(other.bank_type, "Available");
  EXPECT_EQ(BalanceError(R"({"Data":{"Balance":[)" + BalanceOf("string") + "]}}"),
            "Data.Balance[0].Type: a placeholder, not a balance type");
}

TEST(UkObBalances, ACreditLineSentAsOneObject) {
  auto r = NormalizeBalances(R"({"Data":{"Balance":[{"AccountId":"1","CreditDebitIndicator":"Credit","Type":"ITAV",)"
                             R"("DateTime":"2017-04-05T10:43:07+00:00","Amount":{"Amount":"5.00","Currency":"GBP"},)"
                             R"("CreditLine":{"Included":true,"Amount":{"Amount":"1.00","Currency":"GBP"}}}]}})",
                             Uk());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].credit_limit_included, true);
}

TEST(UkObTransactions, ThousandsSeparatorsAreExact) {
  auto txs = Txs(TxBody(Row("Debit", "", R"("1,000.00")") + "," + Row("Credit", "", R"("12,345,678.9")") + "," +
                        Row("Credit", "", R"("999.5")")));
  ASSERT_EQ(txs.size(), 3u);
  EXPECT_EQ(txs[0].amount.ToString(), "-1000.00");
  EXPECT_EQ(txs[1].amount.ToString(), "12345678.90");
  EXPECT_EQ(txs[2].amount.ToString(), "999.50");
}

TEST(UkObBalances, MissingTypeIsAnError) {
  EXPECT_EQ(BalanceError(
                R"({"Data":{"Balance":[{"Amount":{"Amount":"1","Currency":"GBP"},"CreditDebitIndicator":"Credit"}]}})"),
            "Data.Balance[0].Type: missing");
}

TEST(UkObBalances, SignFromIndicator) {
  EXPECT_EQ(OneBalance(BalanceOf("ITAV", "Credit")).amount.ToString(), "1230.00");
  EXPECT_EQ(OneBalance(BalanceOf("ITAV", "Debit")).amount.ToString(), "-1230.00");
  EXPECT_EQ(OneBalance(BalanceOf("ITAV", "DBIT")).amount.ToString(), "-1230.00");
  EXPECT_EQ(BalanceError(R"({"Data":{"Balance":[)" + BalanceOf("ITAV", "Overdrawn") + "]}}"),
            "Data.Balance[0].CreditDebitIndicator: unknown credit/debit indicator");
  EXPECT_EQ(BalanceError(
                R"({"Data":{"Balance":[{"Amount":{"Amount":"1","Currency":"GBP"},"Type":"ITAV"}]}})"),
            "Data.Balance[0].CreditDebitIndicator: missing");
}

TEST(UkObBalances, CreditLineRules) {
  EXPECT_FALSE(OneBalance(BalanceOf("ITAV")).credit_limit_included.has_value());
  EXPECT_FALSE(OneBalance(BalanceOf("ITAV", "Credit", R"("CreditLine":[])")).credit_limit_included.has_value());
  EXPECT_FALSE(OneBalance(BalanceOf("ITAV", "Credit", R"("CreditLine":null)")).credit_limit_included.has_value());
  EXPECT_EQ(OneBalance(BalanceOf("ITAV", "Credit",
                                 R"("CreditLine":[{"Included":false,"Type":"Available"},{"Type":"Temporary","Included":true}])"))
                .credit_limit_included,
            std::optional<bool>(true));
  EXPECT_EQ(OneBalance(BalanceOf("ITAV", "Credit",
                                 R"("CreditLine":[{"Included":false},{"Included":false,"Amount":{"Amount":"500.00","Currency":"GBP"}}])"))
                .credit_limit_included,
            std::optional<bool>(false));
  EXPECT_EQ(BalanceError(R"({"Data":{"Balance":[)" + BalanceOf("ITAV", "Credit", R"("CreditLine":[{"Included":"true"}])") +
                         "]}}"),
            "Data.Balance[0].CreditLine[0].Included: expected a boolean");
  EXPECT_EQ(BalanceError(R"({"Data":{"Balance":[)" + BalanceOf("ITAV", "Credit", R"("CreditLine":"yes")") + "]}}"),
            "Data.Balance[0].CreditLine: expected an array");
}

TEST(UkObBalances, DateTimeGivesLocalDateAndUtcInstant) {
  auto b = OneBalance(R"({"Amount":{"Amount":"1","Currency":"GBP"},"CreditDebitIndicator":"Credit","Type":"CLBD",
    "DateTime":"2024-03-31T00:30:00+01:00"})");
  EXPECT_EQ(Str(b.reference_date), "2024-03-31");
  EXPECT_EQ(Str(b.last_change_datetime), "2024-03-30T23:30:00Z");
}

TEST(UkObBalances, AccountIdIsTheOptionsNotTheBankAccountId) {
  EXPECT_FALSE(OneBalance(BalanceOf("ITAV")).account_id.has_value());
  NormalizeOptions o = Uk();
  o.account_id = "acc_x";
  EXPECT_EQ(Str(OneBalance(BalanceOf("ITAV"), o).account_id), "acc_x");
}

TEST(UkObBalances, SingleObjectIsOneBalance) {
  // The official v3.1.11 and v4.0 "specific account" examples send Data.Balance as one object.
  auto r = NormalizeBalances(R"({"Data":{"Balance":)" + BalanceOf("InterimAvailable", "Debit") + "}}", Uk());
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].type, "ITAV");
  EXPECT_EQ((*r)[0].amount.ToString(), "-1230.00");
}

TEST(UkObBalances, MissingList) {
  EXPECT_EQ(BalanceError(R"({"Balance":[]})"), "Data: missing");
  EXPECT_EQ(BalanceError(R"({"Data":{"Balance":"x"}})"), "Data.Balance: expected an array");
}

TEST(UkObBalances, AmountErrors) {
  EXPECT_EQ(BalanceError(
                R"({"Data":{"Balance":[{"Amount":{"Amount":"1.5e2","Currency":"GBP"},"CreditDebitIndicator":"Credit","Type":"ITAV"}]}})"),
            "Data.Balance[0].Amount.Amount: not a decimal (exponents are not allowed)");
  EXPECT_EQ(BalanceError(R"({"Data":{"Balance":[{"CreditDebitIndicator":"Credit","Type":"ITAV"}]}})"),
            "Data.Balance[0].Amount: missing");
}

// ---------------------------------------------------------------------------------------------------------------
// Accounts

std::vector<Account> Accounts(const std::string& body) {
  auto r = NormalizeAccounts(body, Uk());
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : std::vector<Account>{};
}

std::string AccountError(const std::string& body) {
  auto r = NormalizeAccounts(body, Uk());
  EXPECT_FALSE(r.has_value());
  return r ? "" : r.error().message;
}

TEST(UkObAccounts, V3DetailPermission) {
  auto a = Accounts(R"({"Data":{"Account":[{"AccountId":"22289","Status":"Enabled","Currency":"GBP",
    "AccountType":"Personal","AccountSubType":"CurrentAccount","Nickname":"Bills","OpeningDate":"01-05-2002",
    "Account":[{"SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":"80200110203345","Name":"Mr Kevin",
    "SecondaryIdentification":"00021"}]}]}})");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(Str(a[0].resource_id), "22289");
  EXPECT_EQ(Str(a[0].bban), "80200110203345");
  EXPECT_EQ(Str(a[0].iban), "null");
  EXPECT_EQ(Str(a[0].currency), "GBP");
  EXPECT_EQ(Str(a[0].name), "Bills");
  EXPECT_EQ(Str(a[0].owner_name), "Mr Kevin");
  EXPECT_EQ(Str(a[0].cash_account_type), "CurrentAccount");
  EXPECT_EQ(Str(a[0].status), "Enabled");
  EXPECT_EQ(Str(a[0].product), "null");
  EXPECT_EQ(a[0].id, AccountIdFor(a[0]));
  EXPECT_EQ(a[0].id.rfind("acc_", 0), 0u);
}

// quirks.account_ids_change: the account is known by its identification, not its AccountId, and one without an
// identification (ReadAccountsBasic) cannot be known at all.
TEST(UkObAccounts, AccountIdsThatChangeKnowAccountsByTheirIdentification) {
  const auto body = [](const char* account_id, const char* identification) {
    std::string account = std::string(R"({"AccountId":")") + account_id + R"(","Currency":"GBP")";
    if (identification != nullptr) {
      account += std::string(R"(,"Account":[{"SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":")") +
                 identification + R"("}])";
    }
    return R"({"Data":{"Account":[)" + account + "}]}}";
  };
  NormalizeOptions changing = Uk();
  changing.quirks.account_ids_change = true;
  auto before = NormalizeAccounts(body("22289", "80200110203345"), changing);
  auto after = NormalizeAccounts(body("99001", "80200110203345"), changing);
  ASSERT_TRUE(before) << before.error().message;
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_TRUE((*before)[0].resource_id_changes);
  EXPECT_EQ((*before)[0].id, (*after)[0].id) << "the same account under its new AccountId";
  EXPECT_EQ(Str((*after)[0].resource_id), "99001") << "still asked for by today's id";
  EXPECT_NE(Accounts(body("22289", "80200110203345"))[0].id, Accounts(body("99001", "80200110203345"))[0].id)
      << "without the quirk, a new AccountId is a new account";

  auto unknowable = NormalizeAccounts(body("22289", nullptr), changing);
  ASSERT_FALSE(unknowable);
  EXPECT_EQ(unknowable.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(unknowable.error().message,
            "Data.Account[0]: no IBAN, BBAN or PAN to know the account by, and the bank's account ids change "
            "(quirks.account_ids_change)");
  EXPECT_EQ(Accounts(body("22289", nullptr)).size(), 1u) << "without the quirk, AccountId is enough";
}

TEST(UkObAccounts, V4Fields) {
  auto a = Accounts(R"({"Data":{"Account":[{"AccountId":"22289","Status":"Enabled","Currency":"GBP",
    "AccountCategory":"Personal","AccountTypeCode":"CACC","Description":"For paying bills","Nickname":"Bills",
    "Servicer":{"SchemeName":"UK.OBIE.BICFI","Identification":"NWBKGB2L","Name":"ServicerName"},
    "Account":[{"SchemeName":"UK.OBIE.IBAN","Identification":"GB29NWBK60161331926819","Name":"Mr Kevin","LEI":"x"}]}]}})");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(Str(a[0].iban), "GB29NWBK60161331926819");
  EXPECT_EQ(Str(a[0].cash_account_type), "CACC");
  EXPECT_EQ(Str(a[0].product), "For paying bills");
  EXPECT_EQ(Str(a[0].bic), "NWBKGB2L");
}

TEST(UkObAccounts, CashAccountTypeFallsBackToAccountType) {
  auto a = Accounts(R"({"Data":{"Account":[{"AccountId":"1","AccountType":"Business"},
    {"AccountId":"2","AccountSubType":"Savings","AccountType":"Personal"},{"AccountId":"3","AccountCategory":"Personal"}]}})");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(Str(a[0].cash_account_type), "Business");
  EXPECT_EQ(Str(a[1].cash_account_type), "Savings");
  EXPECT_EQ(Str(a[2].cash_account_type), "Personal");
}

TEST(UkObAccounts, SeveralIdentificationsAndTheObjectForm) {
  auto a = Accounts(R"({"Data":{"Account":[
    {"AccountId":"1","Account":[{"SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":"11223312345678"},
      {"Identification":"GB29NWBK60161331926819","SchemeName":"UK.OBIE.IBAN","Name":"Joint Owner A"},
      {"SchemeName":"UK.OBIE.PAN","Identification":"5409050000000000","Name":"Joint Owner B"},
      {"SchemeName":"UK.OBIE.IBAN","Identification":"GB00SECOND"}]},
    {"AccountId":"2","Account":{"SchemeName":"UK.OBIE.PAN","Identification":"4111111111111111","Name":"Card Holder"}}]}})");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(Str(a[0].bban), "11223312345678");
  EXPECT_EQ(Str(a[0].iban), "GB29NWBK60161331926819") << "the first identification of a kind wins";
  EXPECT_EQ(Str(a[0].masked_pan), "540905******0000");
  EXPECT_EQ(Str(a[0].owner_name), "Joint Owner A");
  EXPECT_EQ(Str(a[1].masked_pan), "411111******1111");
  EXPECT_EQ(Str(a[1].owner_name), "Card Holder");
  EXPECT_EQ(ToCanonicalJson(a[1]).find("4111111111111111"), std::string::npos);
}

TEST(UkObAccounts, IdsDependOnTheBankIdentifiers) {
  auto a = Accounts(R"({"Data":{"Account":[{"AccountId":"22289","Currency":"GBP"},{"AccountId":"22289","Currency":"GBP"},
    {"AccountId":"31820","Currency":"GBP"},{"AccountId":"NOTPROVIDED","Currency":"GBP"}]}})");
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].id, a[1].id);
  EXPECT_NE(a[0].id, a[2].id);
  EXPECT_FALSE(a[3].resource_id.has_value());
}

TEST(UkObAccounts, Errors) {
  EXPECT_EQ(AccountError(R"({"Account":[]})"), "Data: missing");
  EXPECT_EQ(AccountError(R"({"Data":{"Account":[{"AccountId":"1","Currency":"eur1"}]}})"),
            "Data.Account[0].Currency: not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(AccountError(R"({"Data":{"Account":[{"AccountId":1}]}})"), "Data.Account[0].AccountId: expected a string");
  EXPECT_EQ(AccountError(R"({"Data":{"Account":[{"AccountId":"1","Account":"x"}]}})"),
            "Data.Account[0].Account: expected an array");
  EXPECT_EQ(AccountError(R"({"Data":{"Account":[{"AccountId":"1","Account":[{"SchemeName":"IBAN","Identification":7}]}]}})"),
            "Data.Account[0].Account[0].Identification: expected a string");
}

TEST(UkObAccounts, EmptyListIsZeroAccounts) { EXPECT_TRUE(Accounts(R"({"Data":{"Account":[]}})").empty()); }

// ---------------------------------------------------------------------------------------------------------------
// Consents

Consent OneConsent(const std::string& body) {
  auto r = NormalizeConsent(body, Uk());
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : Consent{};
}

std::string ConsentError(const std::string& body) {
  auto r = NormalizeConsent(body, Uk());
  EXPECT_FALSE(r.has_value());
  return r ? "" : r.error().message;
}

std::string ConsentWithStatus(std::string_view status) {
  return R"({"Data":{"ConsentId":"urn-alphabank-intent-88379","Status":")" + std::string(status) +
         R"(","Permissions":["ReadAccountsBasic"]},"Risk":{}})";
}

struct StatusCase {
  const char* uk;
  ConsentStatus status;
};

class UkObConsentStatusTest : public ::testing::TestWithParam<StatusCase> {};

TEST_P(UkObConsentStatusTest, Maps) {
  const Consent c = OneConsent(ConsentWithStatus(GetParam().uk));
  EXPECT_EQ(c.status, std::optional<ConsentStatus>(GetParam().status));
  EXPECT_EQ(Str(c.bank_status), GetParam().uk);
}

INSTANTIATE_TEST_SUITE_P(V3Words, UkObConsentStatusTest,
                         ::testing::Values(StatusCase{"AwaitingAuthorisation", ConsentStatus::kReceived},
                                           StatusCase{"Authorised", ConsentStatus::kValid},
                                           StatusCase{"Rejected", ConsentStatus::kRejected},
                                           StatusCase{"Revoked", ConsentStatus::kRevoked},
                                           StatusCase{"Expired", ConsentStatus::kExpired}));

INSTANTIATE_TEST_SUITE_P(V4Codes, UkObConsentStatusTest,
                         ::testing::Values(StatusCase{"AWAU", ConsentStatus::kReceived},
                                           StatusCase{"AUTH", ConsentStatus::kValid},
                                           StatusCase{"RJCT", ConsentStatus::kRejected},
                                           StatusCase{"REJT", ConsentStatus::kRejected},
                                           StatusCase{"CANC", ConsentStatus::kRevoked},
                                           StatusCase{"EXPD", ConsentStatus::kExpired}));

TEST(UkObConsent, UnknownStatusIsAnError) {
  // REJT, which the official v4.0 "Status - RJCT" example sends, is accepted as rejected (see ConsentStatuses).
  EXPECT_EQ(ConsentError(ConsentWithStatus("authorised")), "Data.Status: unknown consent status");
  EXPECT_EQ(ConsentError(ConsentWithStatus("REVK")), "Data.Status: unknown consent status");
}

TEST(UkObConsent, ResponseFields) {
  const Consent c = OneConsent(R"({"Data":{"ConsentId":" urn-alphabank-intent-88379 ","Status":"Authorised",
    "StatusUpdateDateTime":"2017-05-02T00:05:00+00:00","CreationDateTime":"2017-05-02T00:00:00+01:00",
    "Permissions":["ReadAccountsDetail","ReadBalances"," "],
    "ExpirationDateTime":"2017-08-02T00:30:00+01:00",
    "TransactionFromDateTime":"2017-05-03T00:00:00.5+00:00","TransactionToDateTime":"2017-12-03T00:00:00Z",
    "StatusReason":[{"StatusReasonCode":"U038"}]},"Risk":{},"Links":{"Self":"https://x"},"Meta":{"TotalPages":1}})");
  EXPECT_EQ(Str(c.consent_id), "urn-alphabank-intent-88379");
  EXPECT_EQ(c.status, std::optional<ConsentStatus>(ConsentStatus::kValid));
  EXPECT_EQ(c.permissions, (std::vector<std::string>{"ReadAccountsDetail", "ReadBalances"}));
  EXPECT_EQ(Str(c.valid_until), "2017-08-02") << "the local date in the offset the bank sent";
  EXPECT_EQ(Str(c.created_datetime), "2017-05-01T23:00:00Z");
  EXPECT_EQ(Str(c.status_updated_datetime), "2017-05-02T00:05:00Z");
  EXPECT_EQ(Str(c.transaction_from_datetime), "2017-05-03T00:00:00.5Z");
  EXPECT_EQ(Str(c.transaction_to_datetime), "2017-12-03T00:00:00Z");
  EXPECT_EQ(Str(c.sca_method), "redirect");
  EXPECT_FALSE(c.sca_redirect || c.sca_oauth || c.sca_status || c.start_authorisation);
  EXPECT_FALSE(c.frequency_per_day || c.recurring || c.last_action_date);
}

TEST(UkObConsent, RequestBody) {
  const Consent c = OneConsent(R"({"Data":{"Permissions":["ReadAccountsBasic","ReadBalances"],
    "ExpirationDateTime":"2017-05-02T00:00:00+00:00","TransactionFromDateTime":"2017-05-03T00:00:00+00:00"},"Risk":{}})");
  EXPECT_FALSE(c.consent_id.has_value());
  EXPECT_FALSE(c.status.has_value());
  EXPECT_FALSE(c.bank_status.has_value());
  EXPECT_FALSE(c.sca_method.has_value());
  EXPECT_EQ(c.permissions, (std::vector<std::string>{"ReadAccountsBasic", "ReadBalances"}));
  EXPECT_EQ(Str(c.valid_until), "2017-05-02");
}

TEST(UkObConsent, Errors) {
  EXPECT_EQ(ConsentError(R"({"Risk":{}})"), "Data: missing");
  EXPECT_EQ(ConsentError(R"({"Data":{"Permissions":"ReadBalances"}})"), "Data.Permissions: expected an array");
  EXPECT_EQ(ConsentError(R"({"Data":{"Permissions":["ReadBalances",7]}})"), "Data.Permissions[1]: expected a string");
  EXPECT_EQ(ConsentError(R"({"Data":{"ExpirationDateTime":"2017-13-02T00:00:00+00:00"}})"),
            "Data.ExpirationDateTime: not a calendar date");
  EXPECT_EQ(ConsentError(R"({"Data":{"Status":1}})"), "Data.Status: expected a string");
}

}  // namespace
}  // namespace bankfeed
