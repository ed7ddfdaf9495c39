#include "report_generator.hpp"

#include <array>
#include <cstdio>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace bankfeed::bench {
namespace {

// splitmix64: tiny, fast and identical everywhere, unlike std::uniform_int_distribution.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  bool Chance(unsigned percent) { return Below(100) < percent; }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Below(N)];
  }

 private:
  uint64_t state_;
};

// A minimal JSON writer that manages commas. The generator writes only valid JSON.
class Json {
 public:
  explicit Json(std::string& out) : out_(out) {}

  void Object() {
    Value();
    out_ += '{';
    first_.push_back(true);
  }
  void Array() {
    Value();
    out_ += '[';
    first_.push_back(true);
  }
  void EndObject() { End('}'); }
  void EndArray() { End(']'); }
  void Key(std::string_view k) {
    Comma();
    out_ += '"';
    out_ += k;
    out_ += "\":";
    after_key_ = true;
  }
  void Str(std::string_view s) {
    Value();
    out_ += '"';
    for (const char c : s) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
  }
  void Raw(std::string_view number) {
    Value();
    out_ += number;
  }
  void Field(std::string_view k, std::string_view s) {
    Key(k);
    Str(s);
  }
  size_t size() const { return out_.size(); }

 private:
  void Comma() {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
  void Value() {
    if (after_key_) {
      after_key_ = false;
    } else if (!first_.empty()) {
      Comma();
    }
  }
  void End(char c) {
    out_ += c;
    first_.pop_back();
  }

  std::string& out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

constexpr std::array<std::string_view, 24> kMerchants{
    "REWE Markt GmbH",           "Lidl Dienstleistung GmbH & Co. KG", "Deutsche Bahn AG",
    "Amazon EU S.\xc3\xa0 r.l.", "Stadtwerke M\xc3\xbcnchen GmbH",   "Vodafone GmbH",
    "Spotify AB",                "Netflix International B.V.",       "Allianz Versicherungs-AG",
    "Finanzamt K\xc3\xb6ln-Mitte", "Techniker Krankenkasse",         "B\xc3\xa4""ckerei M\xc3\xbcller",
    "Caf\xc3\xa9 de Flore",      "Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale", "TESCO STORES 3297",
    "Sainsbury's S/Mkt",         "Transport for London",             "British Gas",
    "EDF Energy",                "SNCF Voyageurs",                   "Carrefour Market",
    "Boulangerie Paul",          "Shell Station 4711",               "IKEA Deutschland GmbH & Co. KG"};

constexpr std::array<std::string_view, 16> kPeople{
    "John Miles",        "Paul Simpson",        "Claude Renault",   "Ana Mart\xc3\xadnez",
    "\xc5\x81ukasz Kowalski", "Heike M\xc3\xbcller", "Jean-Pierre Dupont", "Mrs Juniper",
    "Sophie Martin",     "Giulia Rossi",        "Pepe Martin",      "Emma O'Brien",
    "Mr Kevin",          "Fatma Y\xc4\xb1lmaz", "Lars Svensson",    "Noah Schmidt"};

constexpr std::array<std::string_view, 12> kMonths{"Januar", "Februar", "M\xc3\xa4rz",     "April",
                                                   "Mai",    "Juni",    "Juli",            "August",
                                                   "September", "Oktober", "November", "Dezember"};

constexpr std::array<std::string_view, 7> kBgCodes{"PMNT-ICDT-ESCT", "PMNT-RCDT-ESCT", "PMNT-IDDT-ESDD",
                                                   "PMNT-CCRD-POSD", "PMNT-CCRD-CWDL", "PMNT-ICDT-STDO",
                                                   "ACMT-MDOP-FEES"};
constexpr std::array<std::string_view, 5> kProprietary{"NTRF+116", "NDDT+105", "NMSC+005", "NSTO+152", "NCHG+808"};
constexpr std::array<std::string_view, 4> kForeign{"USD", "GBP", "CHF", "SEK"};
constexpr std::array<std::string_view, 6> kBics{"COBADEFFXXX", "DEUTDEFFXXX", "BNPAFRPPXXX",
                                                 "INGDDEFFXXX", "NWBKGB2LXXX", "RABONL2UXXX"};

// Concatenation by append. (g++ 12 at -O3 gives a false -Wrestrict on "literal" + std::string&&.)
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (const std::string_view p : parts) s += p;
  return s;
}

// `prefix` followed by n random digits.
std::string Digits(Rng& rng, size_t n, std::string_view prefix = {}) {
  std::string s(prefix);
  for (size_t i = 0; i < n; ++i) s += static_cast<char>('0' + rng.Below(10));
  return s;
}

std::string Iban(Rng& rng) {
  switch (rng.Below(5)) {
    case 0: return Digits(rng, 23, "FR76");
    case 1: return Digits(rng, 2, "NL") + Digits(rng, 10, "RABO");
    case 2: return Digits(rng, 22, "ES");
    default: return Digits(rng, 20, "DE");
  }
}

// An unsigned amount: mostly small, sometimes large; two decimals, sometimes one or none.
std::string Amount(Rng& rng) {
  const unsigned bucket = static_cast<unsigned>(rng.Below(100));
  const uint64_t euros = bucket < 70 ? 1 + rng.Below(200) : bucket < 95 ? 200 + rng.Below(2800) : 3000 + rng.Below(17000);
  const unsigned cents = static_cast<unsigned>(rng.Below(100));
  char buf[40];
  const unsigned style = static_cast<unsigned>(rng.Below(100));
  if (style < 5) {
    std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(euros));
  } else if (style < 15) {
    std::snprintf(buf, sizeof buf, "%llu.%u", static_cast<unsigned long long>(euros), cents / 10);
  } else {
    std::snprintf(buf, sizeof buf, "%llu.%02u", static_cast<unsigned long long>(euros), cents);
  }
  return buf;
}

// Writes {"<currency_key>":..,"<amount_key>":..}: the amount as a string, or as a JSON number in `number_percent` of
// rows (banks do both).
void MoneyObject(Json& j, Rng& rng, std::string_view amount_key, std::string_view currency_key,
                 std::string_view currency, bool negative, unsigned number_percent) {
  std::string amount;
  if (negative) amount += '-';
  amount += Amount(rng);
  j.Object();
  j.Field(currency_key, currency);
  j.Key(amount_key);
  if (rng.Chance(number_percent)) {
    j.Raw(amount);
  } else {
    j.Str(amount);
  }
  j.EndObject();
}

// Days 0..365 of 2024, rows spread evenly over the year.
std::string DateOf(size_t day) {
  static constexpr int kDaysIn[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int d = static_cast<int>(day % 366);
  int m = 0;
  while (d >= kDaysIn[m]) d -= kDaysIn[m++];
  char buf[32];
  std::snprintf(buf, sizeof buf, "2024-%02d-%02d", m + 1, d + 1);
  return buf;
}

std::string DateTimeOf(Rng& rng, size_t day, std::string_view offset) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "T%02u:%02u:%02u", static_cast<unsigned>(rng.Below(24)),
                static_cast<unsigned>(rng.Below(60)), static_cast<unsigned>(rng.Below(60)));
  return DateOf(day) + buf + std::string(offset);
}

std::string Remittance(Rng& rng, std::string_view counterparty, size_t day) {
  char buf[128];
  switch (rng.Below(8)) {
    case 0: std::snprintf(buf, sizeof buf, "Rechnung 2024-%05u", static_cast<unsigned>(rng.Below(100000))); break;
    case 1: std::snprintf(buf, sizeof buf, "Miete %s 2024", std::string(kMonths[day % 366 / 31]).c_str()); break;
    case 2: std::snprintf(buf, sizeof buf, "Invoice \"%u\" / customer %u", static_cast<unsigned>(rng.Below(9999)),
                          static_cast<unsigned>(rng.Below(99999))); break;
    case 3: std::snprintf(buf, sizeof buf, "SEPA-Lastschrift Mandat M-%06u", static_cast<unsigned>(rng.Below(999999))); break;
    case 4: return Cat({"Kartenzahlung ", DateOf(day), " ", counterparty});
    case 5: std::snprintf(buf, sizeof buf, "Gehalt %s", std::string(kMonths[day % 366 / 31]).c_str()); break;
    case 6: std::snprintf(buf, sizeof buf, "Erstattung Bestellnr. 302-%07u", static_cast<unsigned>(rng.Below(9999999))); break;
    default: return Cat({"Dauerauftrag ", counterparty});
  }
  return buf;
}

// ~500 rows a day, so 100 MB covers a year or so.
size_t DayOf(size_t row) { return row / 500; }

void BerlinGroupRow(Json& j, Rng& rng, size_t row, bool booked) {
  const size_t day = DayOf(row);
  const bool debit = rng.Chance(65);
  const bool direct_debit = debit && rng.Chance(20);
  const std::string_view other = rng.Chance(70) ? rng.Pick(kMerchants) : rng.Pick(kPeople);
  j.Object();
  if (rng.Chance(95)) j.Field("transactionId", std::to_string(2024000000000 + row * 7 + rng.Below(7)));
  if (rng.Chance(40)) j.Field("entryReference", Digits(rng, 12, "E"));
  if (rng.Chance(60)) j.Field("endToEndId", rng.Chance(50) ? std::string("NOTPROVIDED") : Digits(rng, 14, "E2E-"));
  if (direct_debit) {
    j.Field("mandateId", Digits(rng, 8, "M-"));
    j.Field("creditorId", Digits(rng, 10, "DE98ZZZ0"));
  }
  if (booked) j.Field("bookingDate", DateOf(day));
  j.Field("valueDate", rng.Chance(2) ? DateTimeOf(rng, day, "+01:00") : DateOf(day + rng.Below(2)));
  j.Key("transactionAmount");
  MoneyObject(j, rng, "amount", "currency", rng.Chance(97) ? "EUR" : rng.Pick(kForeign), debit, 10);
  if (rng.Chance(3)) {
    const std::string_view source = rng.Pick(kForeign);
    j.Key("currencyExchange");
    j.Array();
    j.Object();
    j.Field("sourceCurrency", source);
    j.Field("exchangeRate", Digits(rng, 4, "1."));
    j.Field("unitCurrency", source);
    j.Field("targetCurrency", "EUR");
    j.Field("quotationDate", DateOf(day));
    j.EndObject();
    j.EndArray();
    j.Key("instructedAmount");
    MoneyObject(j, rng, "amount", "currency", source, false, 0);
  }
  const std::string_view side = debit ? "creditor" : "debtor";
  j.Field(std::string(side) + "Name", other);
  j.Key(std::string(side) + "Account");
  j.Object();
  j.Field("iban", Iban(rng));
  j.EndObject();
  if (rng.Chance(20)) j.Field(std::string(side) + "Agent", rng.Pick(kBics));
  if (rng.Chance(3)) j.Field(debit ? "ultimateCreditor" : "ultimateDebtor", rng.Pick(kPeople));
  const unsigned remittance = static_cast<unsigned>(rng.Below(100));
  if (remittance < 70) {
    j.Field("remittanceInformationUnstructured", Remittance(rng, other, day));
  } else if (remittance < 90) {
    j.Key("remittanceInformationUnstructuredArray");
    j.Array();
    for (size_t i = 0, n = 2 + rng.Below(2); i < n; ++i) j.Str(Remittance(rng, other, day));
    j.EndArray();
  }
  if (rng.Chance(5)) {
    const std::string ref = Digits(rng, 12, "RF18");
    j.Key("remittanceInformationStructured");
    if (rng.Chance(50)) {
      j.Str(ref);
    } else {
      j.Object();
      j.Field("reference", ref);
      j.Field("referenceType", "SCOR");
      j.EndObject();
    }
  }
  if (rng.Chance(10)) j.Field("purposeCode", "GDDS");
  if (rng.Chance(80)) j.Field("bankTransactionCode", direct_debit ? "PMNT-IDDT-ESDD" : rng.Pick(kBgCodes));
  if (rng.Chance(50)) j.Field("proprietaryBankTransactionCode", rng.Pick(kProprietary));
  if (rng.Chance(20)) {
    j.Key("_links");
    j.Object();
    j.Key("transactionDetails");
    j.Object();
    j.Field("href", Digits(rng, 10, "/psd2/v1/accounts/3dc3d5b3-7023-4848-9853-f5400a64e80f/transactions/"));
    j.EndObject();
    j.EndObject();
  }
  j.EndObject();
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
