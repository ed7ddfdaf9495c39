#include "report_generator.hpp"

#include "gen_common.hpp"

#include <array>
#include <cstdio>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace bankfeed::bench {
namespace {

// ~500 rows a day, so 100 MB covers a year or so.
size_t DayOf(size_t row) { return row / 500; }

// The report's rows: ids for 95% of rows, numbered by row; a transactionDetails link with a random id.
void BerlinGroupRow(Json& j, Rng& rng, size_t row, bool booked) {
  const BerlinGroupRowIds ids{
      [row](Json& json, Rng& r) {
        if (r.Chance(95)) json.Field("transactionId", std::to_string(2024000000000 + row * 7 + r.Below(7)));
        if (r.Chance(40)) json.Field("entryReference", Digits(r, 12, "E"));
      },
      [](Rng& r) -> std::optional<std::string> {
        return Digits(r, 10, "/psd2/v1/accounts/3dc3d5b3-7023-4848-9853-f5400a64e80f/transactions/");
      },
      false};
  WriteBerlinGroupRow(j, rng, DayOf(row), booked, ids);
}

constexpr std::array<std::string_view, 6> kUkCodes{"ReceivedCreditTransfer", "IssuedCreditTransfer",
                                                   "IssuedDirectDebit",      "CardTransaction",
                                                   "CashWithdrawal",         "Fees"};
constexpr std::array<std::string_view, 4> kUkSubCodes{"DomesticCreditTransfer", "AutomaticTransfer",
                                                      "PointOfSale", "StandingOrder"};
constexpr std::array<std::string_view, 5> kMcc{"5411", "5812", "4111", "5541", "5999"};

void SortCodeAccount(Json& j, Rng& rng, std::string_view name) {
  j.Object();
  j.Field("SchemeName", "UK.OBIE.SortCodeAccountNumber");
  j.Field("Identification", Digits(rng, 14));
  j.Field("Name", name);
  j.EndObject();
}

void UkRow(Json& j, Rng& rng, size_t row) {
  const size_t day = DayOf(row);
  const bool debit = rng.Chance(65);
  const bool card = debit && rng.Chance(40);
  const bool v4 = rng.Chance(20);  // v4.0 sends ISO codes where v3.1 sends words
  const std::string_view other = rng.Chance(70) ? rng.Pick(kMerchants) : rng.Pick(kPeople);
  const bool booked = rng.Chance(95);
  j.Object();
  j.Field("AccountId", "22289");
  j.Field("TransactionId", std::to_string(7000000000 + row));
  if (rng.Chance(60)) j.Field("TransactionReference", Digits(rng, 6, "Ref "));
  j.Key("Amount");
  MoneyObject(j, rng, "Amount", "Currency", "GBP", false, 5);
  j.Field("CreditDebitIndicator", v4 ? (debit ? "DBIT" : "CRDT") : (debit ? "Debit" : "Credit"));
  j.Field("Status", v4 ? (booked ? "BOOK" : "PDNG") : (booked ? "Booked" : "Pending"));
  j.Field("BookingDateTime", DateTimeOf(rng, day, "+00:00"));
  if (rng.Chance(80)) j.Field("ValueDateTime", DateTimeOf(rng, day, "+00:00"));
  j.Field("TransactionInformation", card ? std::string(other) : Remittance(rng, other, day));
  if (rng.Chance(60)) {
    j.Key("BankTransactionCode");
    j.Object();
    j.Field("Code", rng.Pick(kUkCodes));
    j.Field("SubCode", rng.Pick(kUkSubCodes));
    j.EndObject();
  }
  if (rng.Chance(50)) {
    j.Key("ProprietaryBankTransactionCode");
    j.Object();
    j.Field("Code", card ? "CardPayment" : "Transfer");
    j.Field("Issuer", "AlphaBank");
    j.EndObject();
  }
  if (card) {
    j.Key("MerchantDetails");
    j.Object();
    j.Field("MerchantName", other);
    j.Field("MerchantCategoryCode", rng.Pick(kMcc));
    j.EndObject();
    j.Key("CardInstrument");
    j.Object();
    j.Field("CardSchemeName", rng.Chance(70) ? "VISA" : "MASTERCARD");
    j.Field("AuthorisationType", rng.Chance(60) ? "ContactLess" : "PIN");
    j.Field("Name", "MR J SMITH");
    j.Field("Identification", Digits(rng, 4, "************"));
    j.EndObject();
  } else {
    j.Key(debit ? "CreditorAccount" : "DebtorAccount");
    SortCodeAccount(j, rng, other);
  }
  if (rng.Chance(3)) {
    j.Key("CurrencyExchange");
    j.Object();
    j.Field("SourceCurrency", "USD");
    j.Field("TargetCurrency", "GBP");
    j.Field("UnitCurrency", "USD");
    j.Field("ExchangeRate", Digits(rng, 4, "0."));
    j.Key("InstructedAmount");
    MoneyObject(j, rng, "Amount", "Currency", "USD", false, 0);
    j.EndObject();
  }
  if (rng.Chance(50)) {
    j.Key("Balance");
    j.Object();
    j.Key("Amount");
    MoneyObject(j, rng, "Amount", "Currency", "GBP", false, 0);
    j.Field("CreditDebitIndicator", "Credit");
    j.Field("Type", "InterimBooked");
    j.EndObject();
  }
  j.EndObject();
}

void StetRow(Json& j, Rng& rng, size_t row) {
  const size_t day = DayOf(row);
  const bool debit = rng.Chance(65);
  const std::string_view other = rng.Chance(70) ? rng.Pick(kMerchants) : rng.Pick(kPeople);
  const unsigned status = static_cast<unsigned>(rng.Below(100));
  j.Object();
  if (rng.Chance(50)) j.Field("resourceId", Digits(rng, 10, "T"));
  j.Field("entryReference", Digits(rng, 8, "AF"));
  j.Key("transactionAmount");
  MoneyObject(j, rng, "amount", "currency", "EUR", false, 5);
  j.Field("creditDebitIndicator", debit ? "DBIT" : "CRDT");
  j.Field("status", status < 94 ? "BOOK" : status < 99 ? "PDNG" : "OTHR");
  j.Field("bookingDate", DateOf(day));
  if (rng.Chance(70)) j.Field("valueDate", DateOf(day + rng.Below(2)));
  if (rng.Chance(40)) j.Field("transactionDate", rng.Chance(50) ? DateOf(day) : DateTimeOf(rng, day, "+01:00"));
  j.Key("remittanceInformation");
  if (rng.Chance(60)) {
    j.Array();
    j.Str(Remittance(rng, other, day));
    j.EndArray();
  } else {
    j.Object();
    j.Key("unstructured");
    j.Array();
    for (size_t i = 0, n = 1 + rng.Below(2); i < n; ++i) j.Str(Remittance(rng, other, day));
    j.EndArray();
    j.EndObject();
  }
  j.Key(debit ? "creditor" : "debtor");
  j.Object();
  j.Field("name", other);
  j.EndObject();
  j.Key(debit ? "creditorAccount" : "debtorAccount");
  j.Object();
  j.Field("iban", Iban(rng));
  j.EndObject();
  j.EndObject();
}

}  // namespace

GeneratedReport GenerateBerlinGroup(size_t min_bytes, uint64_t seed) {
  GeneratedReport r;
  r.json.reserve(min_bytes + (1 << 16));
  Rng rng(seed);
  Json j(r.json);
  j.Object();
  j.Key("account");
  j.Object();
  j.Field("iban", "DE2310010010123456788");
  j.Field("currency", "EUR");
  j.EndObject();
  j.Key("transactions");
  j.Object();
  // About 5% of the rows are pending; they go last, as banks send them.
  const size_t pending_bytes = min_bytes / 20;
  j.Key("booked");
  j.Array();
  while (j.size() < min_bytes - pending_bytes || r.rows == 0) BerlinGroupRow(j, rng, r.rows++, true);
  j.EndArray();
  j.Key("pending");
  j.Array();
  while (j.size() < min_bytes) BerlinGroupRow(j, rng, r.rows++, false);
  j.EndArray();
  j.Key("_links");
  j.Object();
  j.Key("account");
  j.Object();
  j.Field("href", "/psd2/v1/accounts/3dc3d5b3-7023-4848-9853-f5400a64e80f");
  j.EndObject();
  j.EndObject();
  j.EndObject();
  j.EndObject();
  return r;
}

GeneratedReport GenerateUkOpenBanking(size_t min_bytes, uint64_t seed) {
  GeneratedReport r;
  r.json.reserve(min_bytes + (1 << 16));
  Rng rng(seed);
  Json j(r.json);
  j.Object();
  j.Key("Data");
  j.Object();
  j.Key("Transaction");
  j.Array();
  while (j.size() < min_bytes || r.rows == 0) UkRow(j, rng, r.rows++);
  j.EndArray();
  j.EndObject();
  j.Key("Links");
  j.Object();
  j.Field("Self", "https://api.alphabank.com/open-banking/v4.0/aisp/accounts/22289/transactions/");
  j.EndObject();
  j.Key("Meta");
  j.Object();
  j.Key("TotalPages");
  j.Raw("1");
  j.EndObject();
  j.EndObject();
  return r;
}

GeneratedReport GenerateStet(size_t min_bytes, uint64_t seed) {
  GeneratedReport r;
  r.json.reserve(min_bytes + (1 << 16));
  Rng rng(seed);
  Json j(r.json);
  j.Object();
  j.Key("transactions");
  j.Array();
  while (j.size() < min_bytes || r.rows == 0) StetRow(j, rng, r.rows++);
  j.EndArray();
  j.Key("_links");
  j.Object();
  j.Key("self");
  j.Object();
  j.Field("href", "v1/accounts/Alias1/transactions");
  j.EndObject();
  j.EndObject();
  j.EndObject();
  return r;
}

}  // namespace bankfeed::bench
