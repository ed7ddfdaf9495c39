#include "ingest_pages.hpp"

#include <array>
#include <cstdio>
#include <initializer_list>
#include <string_view>

namespace bankfeed::bench {
namespace {

// splitmix64, as in report_generator.cpp: identical output everywhere.
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

// A minimal JSON writer that manages commas; only valid JSON comes out.
class Json {
 public:
  explicit Json(std::string& out) : out_(out) {}
  void Object() { Open('{'); }
  void Array() { Open('['); }
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
  void Raw(std::string_view text) {  // a number, or an element written elsewhere
    Value();
    out_ += text;
  }
  void Field(std::string_view k, std::string_view s) {
    Key(k);
    Str(s);
  }

 private:
  void Open(char c) {
    Value();
    out_ += c;
    first_.push_back(true);
  }
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

std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (const std::string_view p : parts) s += p;
  return s;
}

std::string Digits(Rng& rng, size_t n, std::string_view prefix = {}) {
  std::string s(prefix);
  for (size_t i = 0; i < n; ++i) s += static_cast<char>('0' + rng.Below(10));
  return s;
}

std::string Iban(Rng& rng) {
  switch (rng.Below(5)) {
    case 0: return Digits(rng, 23, "FR76");
    case 1: return Cat({Digits(rng, 2, "NL"), Digits(rng, 10, "RABO")});
    case 2: return Digits(rng, 22, "ES");
    default: return Digits(rng, 20, "DE");
  }
}

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

void MoneyObject(Json& j, Rng& rng, std::string_view currency, bool negative, unsigned number_percent) {
  std::string amount;
  if (negative) amount += '-';
  amount += Amount(rng);
  j.Object();
  j.Field("currency", currency);
  j.Key("amount");
  if (rng.Chance(number_percent)) {
    j.Raw(amount);
  } else {
    j.Str(amount);
  }
  j.EndObject();
}

// Day 0..365 of 2024.
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
  return Cat({DateOf(day), buf, offset});
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

// One row as a JSON object. `id` empty: the bank sends no ids for it.
std::string Row(Rng& rng, size_t day, const std::string& id, bool booked, const std::string& resource_id) {
  std::string out;
  Json j(out);
  const bool debit = rng.Chance(65);
  const bool direct_debit = debit && rng.Chance(20);
  const std::string_view other = rng.Chance(70) ? rng.Pick(kMerchants) : rng.Pick(kPeople);
  j.Object();
  if (!id.empty()) {
    j.Field("transactionId", id);
    if (rng.Chance(40)) j.Field("entryReference", Digits(rng, 12, "E"));
  }
  if (rng.Chance(60)) j.Field("endToEndId", rng.Chance(50) ? std::string("NOTPROVIDED") : Digits(rng, 14, "E2E-"));
  if (direct_debit) {
    j.Field("mandateId", Digits(rng, 8, "M-"));
    j.Field("creditorId", Digits(rng, 10, "DE98ZZZ0"));
  }
  if (booked) j.Field("bookingDate", DateOf(day));
  j.Field("valueDate", rng.Chance(2) ? DateTimeOf(rng, day, "+01:00") : DateOf(booked ? day + rng.Below(2) : day));
  j.Key("transactionAmount");
  MoneyObject(j, rng, rng.Chance(97) ? "EUR" : rng.Pick(kForeign), debit, 10);
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
    MoneyObject(j, rng, source, false, 0);
  }
  const std::string side = debit ? "creditor" : "debtor";
  j.Field(side + "Name", other);
  j.Key(side + "Account");
  j.Object();
  j.Field("iban", Iban(rng));
  j.EndObject();
  if (rng.Chance(20)) j.Field(side + "Agent", rng.Pick(kBics));
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
  if (rng.Chance(20) && !id.empty()) {
    j.Key("_links");
    j.Object();
    j.Key("transactionDetails");
    j.Object();
    j.Field("href", Cat({"/psd2/v1/accounts/", resource_id, "/transactions/", id}));
    j.EndObject();
    j.EndObject();
  }
  j.EndObject();
  return out;
}

}  // namespace

AccountPages GenerateAccountPages(size_t account, size_t rows, size_t page_size, uint64_t seed) {
  AccountPages a;
  Rng rng(seed ^ (0x5bd1e995ULL * (account + 1)));
  char buf[64];
  std::snprintf(buf, sizeof buf, "DE%02u10010010%010zu", static_cast<unsigned>(10 + account % 90), account);
  a.iban = buf;
  std::snprintf(buf, sizeof buf, "3dc3d5b3-7023-4848-%04zx-%012zx", account % 0xffff, account * 2654435761u);
  a.resource_id = buf;
  if (page_size == 0) page_size = 1;

  // The rows in the order the bank sends them: booked oldest first, then pending.
  const size_t pending = rows >= 50 ? rows / 50 : 0;
  const size_t booked = rows - pending;
  std::vector<std::string> booked_rows, pending_rows;
  booked_rows.reserve(booked);
  size_t next_id = 1;
  const auto id = [&](bool with_id) {
    if (!with_id) return std::string();
    std::snprintf(buf, sizeof buf, "%zu%08zu", 1000 + account, next_id++);
    return std::string(buf);
  };
  while (booked_rows.size() < booked) {
    const size_t day = booked_rows.size() * 366 / booked;
    if (booked_rows.size() + 2 <= booked && rng.ChancePermille(5)) {  // a twin pair: no ids, sent twice
      booked_rows.push_back(Row(rng, day, {}, true, a.resource_id));
      booked_rows.push_back(booked_rows.back());
      ++a.twins;
      continue;
    }
    booked_rows.push_back(Row(rng, day, id(rng.Chance(95)), true, a.resource_id));
  }
  for (size_t i = 0; i < pending; ++i) {
    pending_rows.push_back(Row(rng, 363 + rng.Below(3), id(rng.Chance(95)), false, a.resource_id));
  }
  a.rows = rows;
  a.pending = pending;

  // Pages: booked rows in page_size slices; the pending rows fill the last slice's room and then their own.
  const size_t total_pages = rows == 0 ? 1 : (rows + page_size - 1) / page_size;
  size_t b = 0, p = 0;
  for (size_t page = 0; page < total_pages; ++page) {
    std::string out;
    out.reserve(page_size * 700 + 512);
    Json j(out);
    j.Object();
    j.Key("account");
    j.Object();
    j.Field("iban", a.iban);
    j.Field("currency", "EUR");
    j.EndObject();
    j.Key("transactions");
    j.Object();
    size_t room = page_size;
    j.Key("booked");
    j.Array();
    for (; room > 0 && b < booked_rows.size(); --room) j.Raw(booked_rows[b++]);
    j.EndArray();
    j.Key("pending");
    j.Array();
    for (; room > 0 && b == booked_rows.size() && p < pending_rows.size(); --room) j.Raw(pending_rows[p++]);
    j.EndArray();
    j.Key("_links");
    j.Object();
    j.Key("account");
    j.Object();
    j.Field("href", Cat({"/psd2/v1/accounts/", a.resource_id}));
    j.EndObject();
    if (page + 1 < total_pages) {
      j.Key("next");
      j.Object();
      std::snprintf(buf, sizeof buf, "&page=%zu", page + 2);
      j.Field("href", Cat({"/psd2/v1/accounts/", a.resource_id, "/transactions?bookingStatus=both&dateFrom=2024-01-01",
                           buf}));
      j.EndObject();
    }
    j.EndObject();
    j.EndObject();
    j.EndObject();
    a.bytes += out.size();
    a.pages.push_back(std::move(out));
  }

  std::string bal;
  Json j(bal);
  j.Object();
  j.Key("account");
  j.Object();
  j.Field("iban", a.iban);
  j.EndObject();
  j.Key("balances");
  j.Array();
  for (const std::string_view type : {"closingBooked", "interimAvailable"}) {
    j.Object();
    j.Key("balanceAmount");
    MoneyObject(j, rng, "EUR", false, 0);
    j.Field("balanceType", type);
    j.Field("referenceDate", DateOf(365));
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  a.balances = std::move(bal);
  return a;
}

}  // namespace bankfeed::bench
