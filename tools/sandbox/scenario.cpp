// Scenario data: PSUs, accounts, balances and transactions, read strictly and checked for consistency.
#include "tools/sandbox/scenario.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "tools/sandbox/scenario_internal.hpp"

namespace bankfeed::sandbox {
namespace {

using config::MapReader;
using config::YamlContext;

constexpr size_t kMaxIdLength = 100;
constexpr std::string_view kBalanceTypes[] = {"CLBD", "XPCD", "OPBD", "ITAV", "ITBD", "FWAV"};

bool IsUnreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// Ids go into URL paths (resource ids) and JSON (transaction ids): printable ASCII, bounded.
void CheckId(MapReader& r, std::string_view key, const std::string& id, bool url_safe) {
  const bool ok = id.size() <= kMaxIdLength &&
                  std::all_of(id.begin(), id.end(), [&](char c) {
                    return url_safe ? IsUnreserved(c) : (c > 0x20 && c < 0x7f);
                  });
  if (!ok) {
    r.ctx().Fail(r.Node(key), config::JoinPath(r.path(), key),
                 url_safe ? "expected up to 100 characters A-Z a-z 0-9 - . _ ~"
                          : "expected up to 100 visible ASCII characters");
  }
}

void CheckScale(MapReader& r, std::string_view key, const Decimal& amount, const Currency& currency) {
  if (currency.empty() || amount.scale() <= currency.minor_units()) return;
  r.ctx().Fail(r.Node(key), config::JoinPath(r.path(), key),
               "more fraction digits than " + std::string(currency.code()) + " has (" +
                   std::to_string(currency.minor_units()) + ")");
}

std::string ReadIban(MapReader& r, std::string_view key, bool required) {
  auto iban = required ? r.RequiredString(key) : r.String(key);
  if (!iban) return {};
  if (!IsValidIban(*iban)) {
    r.ctx().Fail(r.Node(key), config::JoinPath(r.path(), key),
                 "expected an IBAN (ISO 13616: upper-case, no spaces, valid check digits)");
  }
  return *iban;
}

std::optional<Counterparty> ReadCounterparty(MapReader& parent) {
  if (!parent.Has("counterparty")) return std::nullopt;
  MapReader r = parent.Map("counterparty");
  Counterparty c;
  c.name = detail::CleanString(r, "name", false).value_or("");
  c.iban = ReadIban(r, "iban", false);
  r.Finish();
  if (c.name.empty() && c.iban.empty()) {
    r.ctx().Fail(parent.Node("counterparty"), r.path(), "expected a name or an iban");
  }
  return c;
}

ScenarioTransaction ReadTransaction(MapReader& r, const YAML::Node& self, const Currency& currency) {
  ScenarioTransaction t;
  t.id = r.RequiredString("id").value_or("");
  if (!t.id.empty()) CheckId(r, "id", t.id, false);
  if (!r.Has("status")) r.RequiredString("status");  // records "missing" at the row
  const auto status = r.Enum<TxStatus>("status", {{"booked", TxStatus::kBooked}, {"pending", TxStatus::kPending}});
  t.status = status.value_or(TxStatus::kBooked);
  t.booking_date = r.Date_("booking_date");
  const auto value_date = r.Date_("value_date");
  if (!r.Has("amount")) r.RequiredString("amount");
  const auto amount = r.DecimalValue("amount");
  t.amount = amount.value_or(Decimal());
  if (amount) CheckScale(r, "amount", t.amount, currency);
  t.counterparty = ReadCounterparty(r);
  t.remittance = detail::CleanString(r, "remittance", false).value_or("");
  t.books_on = r.Date_("books_on");

  std::optional<BookedVersion> booked;
  if (r.Has("booked")) {
    MapReader b = r.Map("booked");
    BookedVersion v;
    v.id = b.RequiredString("id").value_or("");
    if (!v.id.empty()) CheckId(b, "id", v.id, false);
    const auto booked_amount = b.DecimalValue("amount");
    v.amount = booked_amount.value_or(t.amount);
    if (booked_amount) CheckScale(b, "amount", v.amount, currency);
    const auto booking_date = b.Date_("booking_date");
    const auto booked_value_date = b.Date_("value_date");
    b.Finish();
    v.booking_date = booking_date.value_or(t.books_on.value_or(Date()));
    v.value_date = booked_value_date.value_or(value_date.value_or(Date()));
    if (booking_date && t.books_on && *booking_date > *t.books_on) {
      r.ctx().Fail(b.Node("booking_date"), config::JoinPath(b.path(), "booking_date"), "must not be after books_on");
    }
    booked = v;
  }

  const auto fail = [&](std::string_view key, std::string_view reason) {
    r.ctx().Fail(r.Node(key), config::JoinPath(r.path(), key), reason);
  };
  if (t.status == TxStatus::kBooked) {
    if (!t.booking_date && status && !r.Has("booking_date")) {
      r.ctx().Fail(self, config::JoinPath(r.path(), "booking_date"), "missing (a booked row needs a booking date)");
    }
    t.value_date = value_date.value_or(t.booking_date.value_or(Date()));
    if (t.books_on) fail("books_on", "only a pending row books later");
    if (booked) fail("booked", "only a pending row books later");
    return t;
  }
  if (t.booking_date) fail("booking_date", "a pending row has no booking date (use books_on and booked)");
  if (!value_date) {
    if (!r.Has("value_date")) {
      r.ctx().Fail(self, config::JoinPath(r.path(), "value_date"), "missing (a pending row needs a value date)");
    }
    return t;
  }
  t.value_date = *value_date;
  if (booked && !t.books_on) fail("booked", "needs books_on");
  if (t.books_on) {
    if (*t.books_on <= t.value_date) fail("books_on", "must be after value_date");
    if (!booked) booked = BookedVersion{t.id, t.amount, *t.books_on, t.value_date};
  }
  t.booked = booked;
  return t;
}

ScenarioBalance ReadBalance(MapReader& r, const Currency& currency) {
  ScenarioBalance b;
  b.type = r.RequiredString("type").value_or("");
  if (!b.type.empty() &&
      std::find(std::begin(kBalanceTypes), std::end(kBalanceTypes), b.type) == std::end(kBalanceTypes)) {
    r.ctx().Fail(r.Node("type"), config::JoinPath(r.path(), "type"),
                 "expected one of CLBD, XPCD, OPBD, ITAV, ITBD, FWAV");
  }
  if (!r.Has("amount")) r.RequiredString("amount");
  const auto amount = r.DecimalValue("amount");
  b.amount = amount.value_or(Decimal());
  if (amount) CheckScale(r, "amount", b.amount, currency);
  b.date = r.Date_("date");
  r.Finish();
  return b;
}

ScenarioAccount ReadAccount(MapReader& r) {
  ScenarioAccount a;
  a.resource_id = r.RequiredString("resource_id").value_or("");
  if (!a.resource_id.empty()) CheckId(r, "resource_id", a.resource_id, true);
  a.iban = ReadIban(r, "iban", true);
  if (auto code = r.RequiredString("currency")) {
    if (auto c = Currency::Parse(*code)) {
      a.currency = *c;
    } else {
      r.ctx().Fail(r.Node("currency"), config::JoinPath(r.path(), "currency"),
                   "expected an ISO 4217 currency code (three letters A-Z)");
    }
  }
  a.name = detail::CleanString(r, "name", false).value_or("");
  a.product = detail::CleanString(r, "product", false).value_or("");
  for (MapReader& b : r.MapList("balances")) a.balances.push_back(ReadBalance(b, a.currency));

  std::vector<MapReader> rows = r.MapList("transactions");
  const YAML::Node row_nodes = r.Node("transactions");
  std::set<std::string> ids;
  for (size_t i = 0; i < rows.size(); ++i) {
    MapReader& row = rows[i];
    ScenarioTransaction t = ReadTransaction(row, row_nodes[i], a.currency);
    row.Finish();
    if (!t.id.empty() && !ids.insert(t.id).second) {
      row.ctx().Fail(row.Node("id"), config::JoinPath(row.path(), "id"), "duplicate id in this account");
    }
    if (t.booked && t.booked->id != t.id && !t.booked->id.empty() && !ids.insert(t.booked->id).second) {
      MapReader b = row.Map("booked");
      row.ctx().Fail(b.Node("id"), config::JoinPath(b.path(), "id"), "duplicate id in this account");
    }
    a.transactions.push_back(std::move(t));
  }
  r.Finish();
  return a;
}

void Latest(Date& latest, const std::optional<Date>& d) {
  if (d && *d > latest) latest = *d;
}

Date LatestDate(const std::vector<Psu>& psus) {
  Date latest = Date::FromYmd(1970, 1, 1);
  for (const Psu& p : psus) {
    for (const ScenarioAccount& a : p.accounts) {
      for (const ScenarioBalance& b : a.balances) Latest(latest, b.date);
      for (const ScenarioTransaction& t : a.transactions) {
        Latest(latest, t.booking_date);
        Latest(latest, t.value_date);  // books_on is a future booking, not today's data: left out
      }
    }
  }
  return latest;
}

}  // namespace

namespace detail {

std::optional<std::string> CleanString(MapReader& reader, std::string_view key, bool required) {
  auto text = required ? reader.RequiredString(key) : reader.String(key);
  if (text && !IsCleanText(*text)) {
    reader.ctx().Fail(reader.Node(key), config::JoinPath(reader.path(), key),
                      "expected UTF-8 text without control characters");
    return std::nullopt;
  }
  return text;
}

}  // namespace detail

bool IsValidIban(std::string_view iban) {
  if (iban.size() < 15 || iban.size() > 34) return false;
  for (size_t i = 0; i < iban.size(); ++i) {
    const char c = iban[i];
    const bool upper = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
    if ((i < 2 && !upper) || (i >= 2 && i < 4 && !digit) || (i >= 4 && !upper && !digit)) return false;
  }
  // Move the first four characters to the end, letters to 10..35, and take the number mod 97.
  int remainder = 0;
  for (size_t k = 0; k < iban.size(); ++k) {
    const char c = iban[(k + 4) % iban.size()];
    if (c >= 'A' && c <= 'Z') {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    } else {
      remainder = (remainder * 10 + (c - '0')) % 97;
    }
  }
  return remainder == 1;
}

bool IsCleanText(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return false;
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((c & 0xe0) == 0xc0) {
      len = 2, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > text.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0)) {
      return false;  // overlong, out of range, a surrogate, or a C1 control
    }
    i += len;
  }
  return true;
}

bool Behaviour::Offers(ScaApproachKind a) const {
  return std::find(sca_approaches.begin(), sca_approaches.end(), a) != sca_approaches.end();
}

const Psu* Scenario::FindPsu(std::string_view id) const {
  for (const Psu& p : psus) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const ScenarioAccount* Scenario::FindAccount(std::string_view resource_id) const {
  const Psu* owner = OwnerOf(resource_id);
  if (owner == nullptr) return nullptr;
  for (const ScenarioAccount& a : owner->accounts) {
    if (a.resource_id == resource_id) return &a;
  }
  return nullptr;
}

const Psu* Scenario::OwnerOf(std::string_view resource_id) const {
  for (const Psu& p : psus) {
    for (const ScenarioAccount& a : p.accounts) {
      if (a.resource_id == resource_id) return &p;
    }
  }
  return nullptr;
}

// Whether some account has a row, or a pending row's booked version, with this id.
bool HasRowId(const std::vector<Psu>& psus, std::string_view id) {
  for (const Psu& p : psus) {
    for (const ScenarioAccount& a : p.accounts) {
      for (const ScenarioTransaction& t : a.transactions) {
        if (t.id == id || (t.booked && t.booked->id == id)) return true;
      }
    }
  }
  return false;
}

Result<Scenario> ParseScenario(std::string_view yaml_text, std::string_view source_name,
                               std::optional<std::string_view> expected_standard) {
  YamlContext ctx{std::string(source_name)};
  const YAML::Node root = ctx.Load(yaml_text);
  if (ctx.failed()) return tl::unexpected(*ctx.error());
  if (!root.IsMap()) {
    ctx.Fail(root, "", "expected a mapping with standard, psus and behaviour");
    return tl::unexpected(*ctx.error());
  }
  Scenario s;
  s.source = std::string(source_name);
  MapReader r(ctx, root, "");
  if (auto standard = r.RequiredString("standard")) {
    s.standard = *standard;
    if (s.standard != "berlin-group" && s.standard != "uk-ob" && s.standard != "stet") {
      ctx.Fail(r.Node("standard"), "standard", "expected one of berlin-group, uk-ob, stet");
    } else if (expected_standard && *expected_standard != s.standard) {
      ctx.Fail(r.Node("standard"), "standard",
               "is " + s.standard + " but the sandbox serves " + std::string(*expected_standard));
    }
  }
  if (!r.Has("psus")) ctx.Fail(root, "psus", "missing");
  std::vector<MapReader> psus = r.MapList("psus");
  if (r.Has("psus") && psus.empty() && !ctx.failed()) ctx.Fail(r.Node("psus"), "psus", "expected at least one PSU");
  std::set<std::string> psu_ids, resource_ids;
  for (MapReader& p : psus) {
    Psu psu;
    psu.id = p.RequiredString("id").value_or("");
    if (!psu.id.empty()) {
      CheckId(p, "id", psu.id, false);
      if (!psu_ids.insert(psu.id).second) ctx.Fail(p.Node("id"), config::JoinPath(p.path(), "id"), "duplicate id");
    }
    for (MapReader& a : p.MapList("accounts")) {
      psu.accounts.push_back(ReadAccount(a));
      const std::string& id = psu.accounts.back().resource_id;
      if (!id.empty() && !resource_ids.insert(id).second) {
        ctx.Fail(a.Node("resource_id"), config::JoinPath(a.path(), "resource_id"), "duplicate resource_id");
      }
    }
    p.Finish();
    s.psus.push_back(std::move(psu));
  }
  MapReader behaviour = r.Map("behaviour");
  detail::ReadBehaviour(behaviour, s.behaviour);
  if (s.behaviour.account_ids_change_every_days != 0 && s.standard != "uk-ob") {
    ctx.Fail(r.Node("behaviour")["account_ids_change_every_days"], "behaviour.account_ids_change_every_days",
             "only the uk-ob module changes account ids");
  }
  if (const YAML::Node b = r.Node("behaviour"); b && b.IsMap() && b["stet"] && s.standard != "stet") {
    ctx.Fail(r.Node("behaviour")["stet"], "behaviour.stet", "only valid in a standard: stet scenario");
  }
  for (const std::string& id : s.behaviour.wire.day_first_rows) {
    if (!HasRowId(s.psus, id)) {
      ctx.Fail(r.Node("behaviour")["wire"]["day_first_rows"], "behaviour.wire.day_first_rows",
               "no transaction (or booked version) has the id " + id);
      break;
    }
  }
  r.Finish();
  if (ctx.failed()) return tl::unexpected(*ctx.error());
  s.latest_date = LatestDate(s.psus);
  return s;
}

Result<Scenario> LoadScenarioFile(const std::string& path, std::optional<std::string_view> expected_standard) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return MakeError(ErrorCode::kNotFound, path + ": cannot be read");
  return ParseScenario(text.str(), path, expected_standard);
}

std::string WireAmount(const Money& amount, const WireOptions& wire) {
  std::string text = amount.ToString();
  if (!wire.thousands_separator) return text;
  const size_t digits_from = text.starts_with('-') ? 1 : 0;
  const size_t point = std::min(text.find('.'), text.size());
  for (size_t at = point; at > digits_from + 3; at -= 3) text.insert(at - 3, 1, ',');
  return text;
}

}  // namespace bankfeed::sandbox
