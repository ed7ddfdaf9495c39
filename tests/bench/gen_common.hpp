// What the benchmarks' report generators share: a portable PRNG, a comma-managing JSON writer, word lists and the
// value makers (IBANs, amounts, dates, remittance texts). Header-only; test code.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bankfeed::bench {

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
  // In tenths of a percent, for the rarer cases.
  bool ChancePermille(unsigned permille) { return Below(1000) < permille; }
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

inline constexpr std::array<std::string_view, 24> kMerchants{
    "REWE Markt GmbH",           "Lidl Dienstleistung GmbH & Co. KG", "Deutsche Bahn AG",
    "Amazon EU S.\xc3\xa0 r.l.", "Stadtwerke M\xc3\xbcnchen GmbH",   "Vodafone GmbH",
    "Spotify AB",                "Netflix International B.V.",       "Allianz Versicherungs-AG",
    "Finanzamt K\xc3\xb6ln-Mitte", "Techniker Krankenkasse",         "B\xc3\xa4""ckerei M\xc3\xbcller",
    "Caf\xc3\xa9 de Flore",      "Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale", "TESCO STORES 3297",
    "Sainsbury's S/Mkt",         "Transport for London",             "British Gas",
    "EDF Energy",                "SNCF Voyageurs",                   "Carrefour Market",
    "Boulangerie Paul",          "Shell Station 4711",               "IKEA Deutschland GmbH & Co. KG"};

inline constexpr std::array<std::string_view, 16> kPeople{
    "John Miles",        "Paul Simpson",        "Claude Renault",   "Ana Mart\xc3\xadnez",
    "\xc5\x81ukasz Kowalski", "Heike M\xc3\xbcller", "Jean-Pierre Dupont", "Mrs Juniper",
    "Sophie Martin",     "Giulia Rossi",        "Pepe Martin",      "Emma O'Brien",
    "Mr Kevin",          "Fatma Y\xc4\xb1lmaz", "Lars Svensson",    "Noah Schmidt"};

inline constexpr std::array<std::string_view, 12> kMonths{"Januar", "Februar", "M\xc3\xa4rz",     "April",
                                                   "Mai",    "Juni",    "Juli",            "August",
                                                   "September", "Oktober", "November", "Dezember"};

inline constexpr std::array<std::string_view, 7> kBgCodes{"PMNT-ICDT-ESCT", "PMNT-RCDT-ESCT", "PMNT-IDDT-ESDD",
                                                   "PMNT-CCRD-POSD", "PMNT-CCRD-CWDL", "PMNT-ICDT-STDO",
                                                   "ACMT-MDOP-FEES"};
inline constexpr std::array<std::string_view, 5> kProprietary{"NTRF+116", "NDDT+105", "NMSC+005", "NSTO+152", "NCHG+808"};
inline constexpr std::array<std::string_view, 4> kForeign{"USD", "GBP", "CHF", "SEK"};
inline constexpr std::array<std::string_view, 6> kBics{"COBADEFFXXX", "DEUTDEFFXXX", "BNPAFRPPXXX",
                                                 "INGDDEFFXXX", "NWBKGB2LXXX", "RABONL2UXXX"};

// Concatenation by append. (g++ 12 at -O3 gives a false -Wrestrict on "literal" + std::string&&.)
inline std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (const std::string_view p : parts) s += p;
  return s;
}

// `prefix` followed by n random digits.
inline std::string Digits(Rng& rng, size_t n, std::string_view prefix = {}) {
  std::string s(prefix);
  for (size_t i = 0; i < n; ++i) s += static_cast<char>('0' + rng.Below(10));
  return s;
}

inline std::string Iban(Rng& rng) {
  switch (rng.Below(5)) {
    case 0: return Digits(rng, 23, "FR76");
    case 1: return Digits(rng, 2, "NL") + Digits(rng, 10, "RABO");
    case 2: return Digits(rng, 22, "ES");
    default: return Digits(rng, 20, "DE");
  }
}

// An unsigned amount: mostly small, sometimes large; two decimals, sometimes one or none.
inline std::string Amount(Rng& rng) {
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
inline void MoneyObject(Json& j, Rng& rng, std::string_view amount_key, std::string_view currency_key,
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
inline std::string DateOf(size_t day) {
  static constexpr int kDaysIn[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int d = static_cast<int>(day % 366);
  int m = 0;
  while (d >= kDaysIn[m]) d -= kDaysIn[m++];
  char buf[32];
  std::snprintf(buf, sizeof buf, "2024-%02d-%02d", m + 1, d + 1);
  return buf;
}

inline std::string DateTimeOf(Rng& rng, size_t day, std::string_view offset) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "T%02u:%02u:%02u", static_cast<unsigned>(rng.Below(24)),
                static_cast<unsigned>(rng.Below(60)), static_cast<unsigned>(rng.Below(60)));
  return DateOf(day) + buf + std::string(offset);
}

inline std::string Remittance(Rng& rng, std::string_view counterparty, size_t day) {
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

// How a generator gives a Berlin Group row its identifiers; the rest of the row is the same everywhere.
struct BerlinGroupRowIds {
  std::function<void(Json&, Rng&)> write_ids;                       // transactionId, entryReference (or none)
  std::function<std::optional<std::string>(Rng&)> details_href;     // _links.transactionDetails, or none
  bool pending_value_date_is_day = false;                           // a pending row's valueDate never lags
};

// One Berlin Group transaction object: amounts, counterparty, remittance in its three shapes, codes and links.
inline void WriteBerlinGroupRow(Json& j, Rng& rng, size_t day, bool booked, const BerlinGroupRowIds& ids) {
  const bool debit = rng.Chance(65);
  const bool direct_debit = debit && rng.Chance(20);
  const std::string_view other = rng.Chance(70) ? rng.Pick(kMerchants) : rng.Pick(kPeople);
  j.Object();
  ids.write_ids(j, rng);
  if (rng.Chance(60)) j.Field("endToEndId", rng.Chance(50) ? std::string("NOTPROVIDED") : Digits(rng, 14, "E2E-"));
  if (direct_debit) {
    j.Field("mandateId", Digits(rng, 8, "M-"));
    j.Field("creditorId", Digits(rng, 10, "DE98ZZZ0"));
  }
  if (booked) j.Field("bookingDate", DateOf(day));
  j.Field("valueDate", rng.Chance(2) ? DateTimeOf(rng, day, "+01:00") : DateOf(booked || !ids.pending_value_date_is_day ? day + rng.Below(2) : day));
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
    if (const std::optional<std::string> href = ids.details_href(rng)) {
      j.Key("_links");
      j.Object();
      j.Key("transactionDetails");
      j.Object();
      j.Field("href", *href);
      j.EndObject();
      j.EndObject();
    }
  }
  j.EndObject();
}

}  // namespace bankfeed::bench
