#include "adapters/common/json_reader.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "adapters/common/iso4217.hpp"
#include "bankfeed/ids.hpp"

namespace bankfeed::adapters {
namespace {

std::string_view ReasonFor(simdjson::error_code e) {
  switch (e) {
    case simdjson::INCORRECT_TYPE: return "wrong type";
    case simdjson::TAPE_ERROR:
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return "truncated or malformed JSON";
    case simdjson::UNCLOSED_STRING: return "truncated JSON (unclosed string)";
    case simdjson::EMPTY: return "empty document";
    case simdjson::UTF8_ERROR: return "invalid UTF-8";
    case simdjson::UNESCAPED_CHARS: return "unescaped control character in a string";
    case simdjson::STRING_ERROR: return "invalid string escape";
    case simdjson::DEPTH_ERROR: return "nesting too deep";
    case simdjson::CAPACITY: return "document too large";
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE: return "invalid number";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR: return "invalid literal";
    default: return "malformed JSON";
  }
}

// Bank text fields are short (Max140Text, Max70Text, ...). Anything far larger is not a value we should store or
// print; rejecting it keeps a hostile body from inflating every row it touches.
constexpr size_t kMaxStringBytes = 4096;
constexpr size_t kMaxJoinedBytes = 16384;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "15/11/2019" or "15-11-2019" (the profile's date_order: day-first) as "2019-11-15". Anything else is left alone.
bool DayFirstToIso(std::string_view s, std::array<char, 10>& iso) {
  if (s.size() != 10 || s[2] != s[5] || (s[2] != '/' && s[2] != '-')) return false;
  for (size_t i : {0, 1, 3, 4, 6, 7, 8, 9}) {
    if (!IsDigit(s[i])) return false;
  }
  const char out[10] = {s[6], s[7], s[8], s[9], '-', s[3], s[4], '-', s[0], s[1]};
  std::copy(std::begin(out), std::end(out), iso.begin());
  return true;
}

// "1,000.00" -> "1000.00": ',' only between groups of exactly three digits before any '.', with one to three digits
// in front. `out` receives the digits; false when the commas are not such a grouping.
bool StripThousands(std::string_view s, std::string& out) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  const size_t int_end = std::min(s.find('.'), s.size());
  size_t group = 0;
  bool comma = false;
  out.assign(s.substr(0, i));
  for (; i < int_end; ++i) {
    if (s[i] == ',') {
      if (group == 0 || (comma && group != 3) || (!comma && group > 3)) return false;
      comma = true;
      group = 0;
      continue;
    }
    ++group;
    out.push_back(s[i]);
  }
  if (comma && group != 3) return false;
  if (s.substr(int_end).find(',') != std::string_view::npos) return false;
  out.append(s.substr(int_end));
  return true;
}

}  // namespace

std::string JsonPath::ToString() const {
  if (depth_ == 0) return "$";
  std::string s;
  for (size_t i = 0; i < std::min(depth_, kMaxDepth); ++i) {
    const Seg& seg = segs_[i];
    if (seg.is_index) {
      s += '[';
      s += std::to_string(seg.index);
      s += ']';
    } else {
      if (!s.empty()) s += '.';
      // Keys come from the bank: keep the path printable and short, never a vehicle for data.
      const std::string_view k = seg.key.substr(0, 64);
      for (char c : k) s += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    }
  }
  if (depth_ > kMaxDepth) s += "...";
  return s;
}

tl::unexpected<Error> MapContext::Fail(std::string_view reason) const {
  std::string msg = path_.ToString();
  msg += ": ";
  msg += reason;
  return tl::unexpected<Error>(Error(ErrorCode::kInvalidInput, std::move(msg)));
}

tl::unexpected<Error> MapContext::Fail(simdjson::error_code e) const { return Fail(ReasonFor(e)); }

tl::unexpected<Error> MapContext::FailMissing(std::string_view key, std::string_view reason) const {
  std::string msg = path_.ToString();
  if (msg == "$") msg.clear();
  if (!msg.empty()) msg += '.';
  msg += key;
  msg += ": ";
  msg += reason;
  return tl::unexpected<Error>(Error(ErrorCode::kInvalidInput, std::move(msg)));
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

bool IsPlaceholder(std::string_view s) {
  static constexpr std::array<std::string_view, 8> kPlaceholders{"NOTPROVIDED", "NOT PROVIDED", "NONREF", "N/A",
                                                                  "NA",          "NONE",         "UNKNOWN", "-"};
  s = TrimSpace(s);
  if (s.size() > 12) return false;
  return std::any_of(kPlaceholders.begin(), kPlaceholders.end(), [s](std::string_view p) {
    return p.size() == s.size() && std::equal(p.begin(), p.end(), s.begin(), [](char a, char b) {
             return a == (b >= 'a' && b <= 'z' ? static_cast<char>(b - 'a' + 'A') : b);
           });
  });
}

bool IsNull(od::value& v) {
  bool is_null = false;
  return !v.is_null().get(is_null) && is_null;
}

Status ReadStringView(MapContext& ctx, od::value v, std::string_view& out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return ctx.Fail(e);
  if (type == od::json_type::null) {
    out = {};
    return {};
  }
  if (type != od::json_type::string) return ctx.Fail("expected a string");
  // A string without escapes is exactly its bytes between the quotes (simdjson's first pass has already checked
  // UTF-8 and control characters for the whole document, a raw NUL byte included), so it is viewed in place; only
  // a string with a backslash is unescaped into simdjson's string buffer, where \u0000 can make a NUL byte.
  const std::string_view token = v.raw_json_token();  // from the opening quote
  const char* const end = FindQuoteOrBackslash(token.data() + 1);
  std::string_view s;
  const bool escaped = *end != '"';
  if (!escaped) {
    s = std::string_view(token.data() + 1, static_cast<size_t>(end - token.data() - 1));
  } else if (auto e = v.get_string().get(s)) {
    return ctx.Fail(e);
  }
  if (s.size() > kMaxStringBytes) return ctx.Fail("string too long (at most 4096 bytes)");
  if (escaped && std::memchr(s.data(), '\0', s.size()) != nullptr) return ctx.Fail("NUL byte in a string");
  out = TrimSpace(s);
  return {};
}

Status ReadString(MapContext& ctx, od::value v, OptString& out) {
  std::string_view s;
  BANKFEED_RETURN_IF_ERROR(ReadStringView(ctx, v, s));
  if (s.empty()) {
    out.reset();
  } else {
    out.emplace(s);
  }
  return {};
}

Status ReadCode(MapContext& ctx, od::value v, OptString& out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return ctx.Fail(e);
  if (type != od::json_type::number) return ReadString(ctx, v, out);
  out.emplace(TrimSpace(v.raw_json_token()));
  return {};
}

Status ReadId(MapContext& ctx, od::value v, OptString& out) {
  std::string_view s;
  BANKFEED_RETURN_IF_ERROR(ReadStringView(ctx, v, s));
  if (s.empty() || IsPlaceholder(s)) {  // tested on the view: a placeholder is never copied
    out.reset();
  } else {
    out.emplace(s);
  }
  return {};
}

Status ReadNumberText(MapContext& ctx, od::value v, std::string_view& out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return ctx.Fail(e);
  if (type == od::json_type::number) {
    // The literal text, never a double: "-256.67" stays exactly that.
    out = TrimSpace(v.raw_json_token());
    return {};
  }
  if (type != od::json_type::string) return ctx.Fail("expected a decimal string or number");
  BANKFEED_RETURN_IF_ERROR(ReadStringView(ctx, v, out));
  if (out.empty()) return ctx.Fail("empty amount");
  return {};
}

Status ReadDecimal(MapContext& ctx, od::value v, std::optional<Decimal>& out) {
  if (IsNull(v)) {
    out.reset();
    return {};
  }
  std::string_view text;
  BANKFEED_RETURN_IF_ERROR(ReadNumberText(ctx, v, text));
  auto d = Decimal::Parse(text);
  if (!d) return ctx.Fail(d.error());
  out = *d;
  return {};
}

Status ReadBool(MapContext& ctx, od::value v, std::optional<bool>& out) {
  if (IsNull(v)) {
    out.reset();
    return {};
  }
  bool b;
  if (auto e = v.get_bool().get(b)) return e == simdjson::INCORRECT_TYPE ? ctx.Fail("expected a boolean") : ctx.Fail(e);
  out = b;
  return {};
}

Status ReadInt(MapContext& ctx, od::value v, std::optional<int>& out) {
  if (IsNull(v)) {
    out.reset();
    return {};
  }
  int64_t n;
  if (auto e = v.get_int64().get(n)) {
    return e == simdjson::INCORRECT_TYPE ? ctx.Fail("expected an integer") : ctx.Fail(e);
  }
  if (n < 0 || n > 1'000'000) return ctx.Fail("integer out of range");
  out = static_cast<int>(n);
  return {};
}

Status ReadDate(MapContext& ctx, od::value v, std::optional<Date>& date, std::optional<DateTime>* datetime) {
  std::string_view s;
  BANKFEED_RETURN_IF_ERROR(ReadStringView(ctx, v, s));
  if (s.empty()) {
    date.reset();
    if (datetime) datetime->reset();
    return {};
  }
  std::array<char, 10> iso;
  if (ctx.options().quirks.date_order == DateOrder::kDayFirst && DayFirstToIso(s, iso)) {
    s = std::string_view(iso.data(), iso.size());
  }
  auto parsed = ParseDateOrDateTime(s, ctx.options().timezone);
  if (!parsed) return ctx.Fail(parsed.error());
  date = parsed->date;
  if (datetime) *datetime = parsed->datetime;
  return {};
}

Status ReadDateTime(MapContext& ctx, od::value v, std::optional<DateTime>& out) {
  std::optional<Date> ignored;
  return ReadDate(ctx, v, ignored, &out);
}

Status ReadAmount(MapContext& ctx, od::value v, Decimal& out) {
  std::string_view text;
  BANKFEED_RETURN_IF_ERROR(ReadNumberText(ctx, v, text));
  std::string digits;
  if (ctx.options().quirks.thousands_separator && text.find(',') != std::string_view::npos) {
    if (!StripThousands(text, digits)) return ctx.Fail("commas that are not a thousands separator");
    text = digits;
  }
  auto d = Decimal::Parse(text);
  if (!d) return ctx.Fail(d.error());
  out = *d;
  return {};
}

Result<Currency> CurrencyFromText(std::string_view code) {
  if (const std::string_view letters = CurrencyForNumericCode(code); !letters.empty()) return Currency::Parse(letters);
  if (code.size() == 3) {  // "eur": the letters of a code in the wrong case are still the code
    std::array<char, 3> upper{};
    std::transform(code.begin(), code.end(), upper.begin(),
                   [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
    return Currency::Parse(std::string_view(upper.data(), upper.size()));
  }
  return Currency::Parse(code);
}

Status ReadCurrency(MapContext& ctx, od::value v, std::optional<Currency>& out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return ctx.Fail(e);
  std::string_view code;
  if (type == od::json_type::number) {  // an ISO 4217 numeric code sent as a JSON number: 978
    code = TrimSpace(v.raw_json_token());
    if (CurrencyForNumericCode(code).empty()) return ctx.Fail("not an ISO 4217 currency code");
  } else {
    BANKFEED_RETURN_IF_ERROR(ReadStringView(ctx, v, code));
  }
  if (code.empty()) {
    out.reset();
    return {};
  }
  auto c = CurrencyFromText(code);
  if (!c) return ctx.Fail(c.error());
  out = *c;
  return {};
}

Status ReadMoney(MapContext& ctx, od::value v, std::string_view amount_key, std::string_view currency_key,
                 Money& out, CurrencyFallback fallback) {
  bool have_amount = false;
  std::optional<Currency> currency;
  BANKFEED_RETURN_IF_ERROR(ForEachField(ctx, v, [&](std::string_view key, od::value field) -> Status {
    if (key == amount_key) {
      have_amount = true;
      return ReadAmount(ctx, field, out.amount);
    }
    if (key == currency_key) return ReadCurrency(ctx, field, currency);
    return {};
  }));
  if (!have_amount) return ctx.FailMissing(amount_key, "missing amount");
  if (!currency && fallback == CurrencyFallback::kAccount && ctx.options().account_currency) {
    auto c = Currency::Parse(*ctx.options().account_currency);
    if (!c) return ctx.FailMissing(currency_key, "missing, and the account's currency is not a currency code");
    currency = *c;
  }
  if (!currency) return ctx.FailMissing(currency_key, "missing currency");
  out.currency = *currency;
  return {};
}

Status AppendStrings(MapContext& ctx, od::value v, OptString& out) {
  // The parts are viewed in the document (valid while it lives) and joined into `out` with one allocation for a
  // handful of them, rather than one string per part and a reallocation per join.
  std::array<std::string_view, 8> parts;
  size_t count = 0;
  const auto join = [&] {
    if (count == 0) return;  // nothing to add: a null or empty text stays null
    size_t size = out ? out->size() : 0;
    for (size_t i = 0; i < count; ++i) size += (size > 0 ? 1 : 0) + parts[i].size();
    if (!out) out.emplace();
    out->reserve(size);
    for (size_t i = 0; i < count; ++i) {
      if (!out->empty()) out->push_back('\n');
      out->append(parts[i]);
    }
    count = 0;
  };
  size_t joined = out ? out->size() : 0;  // what `out` will hold, separators included
  const auto add = [&](od::value item) -> Status {
    std::string_view s;
    BANKFEED_RETURN_IF_ERROR(ReadStringView(ctx, item, s));
    if (s.empty()) return {};
    joined += (joined > 0 ? 1 : 0) + s.size();
    if (joined > kMaxJoinedBytes) return ctx.Fail("text too long (at most 16384 bytes joined)");
    if (count == parts.size()) join();
    parts[count++] = s;
    return {};
  };
  od::json_type type;
  if (auto e = v.type().get(type)) return ctx.Fail(e);
  if (type == od::json_type::array) {
    // An array of lines, or (some banks) an array holding arrays of lines: one level is flattened.
    BANKFEED_RETURN_IF_ERROR(ForEachElement(ctx, v, [&](size_t, od::value item) -> Status {
      od::json_type item_type;
      if (auto e = item.type().get(item_type)) return ctx.Fail(e);
      if (item_type != od::json_type::array) return add(item);
      return ForEachElement(ctx, item, [&](size_t, od::value line) { return add(line); });
    }));
  } else {
    BANKFEED_RETURN_IF_ERROR(add(v));
  }
  join();
  return {};
}

Status ReadStringMember(MapContext& ctx, od::value v, std::string_view key, OptString& out) {
  return ForEachFieldIfAny(ctx, v, [&](std::string_view k, od::value f) -> Status {
    if (k == key) return ReadString(ctx, f, out);
    return {};
  });
}

Status ReadConsentStatus(MapContext& ctx, od::value v, Consent& c,
                         std::optional<ConsentStatus> (*map)(std::string_view)) {
  BANKFEED_RETURN_IF_ERROR(ReadString(ctx, v, c.bank_status));
  if (!c.bank_status) return {};
  c.status = map(*c.bank_status);
  if (!c.status) return ctx.Fail("unknown consent status");
  return {};
}

Status TypeOf(MapContext& ctx, od::value& v, od::json_type& type) {
  if (auto e = v.type().get(type)) return ctx.Fail(e);
  return {};
}

void AdviseLargeArray(void* data, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr size_t kHugePage = size_t{2} << 20;
  if (bytes < 4 * kHugePage) return;
  const auto begin = reinterpret_cast<uintptr_t>(data);
  const uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);  // the whole huge pages inside the array
  const uintptr_t last = (begin + bytes) & ~(kHugePage - 1);
  if (last > first) (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

simdjson::error_code ValidateDocument(simdjson::padded_string_view json) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  return parser.parse(json.data(), json.size(), false).get(root);
}

od::parser& ThreadParser() {
  thread_local od::parser parser;
  return parser;
}

Result<bool> OpenList(MapContext& ctx, od::value v, od::array& arr) {
  if (IsNull(v)) return false;
  if (auto e = v.get_array().get(arr)) return e == simdjson::INCORRECT_TYPE ? ctx.Fail("expected an array") : ctx.Fail(e);
  return true;
}

Transaction& MapContext::NextScratchRow() {
  // Field by field, so that the strings keep their buffers from row to row.
  Transaction& t = scratch_;
  t.id.clear();
  t.account_id.reset();
  t.status = TransactionStatus::kBooked;
  t.amount = Money{};
  t.booking_date.reset();
  t.value_date.reset();
  t.transaction_date.reset();
  t.booking_datetime.reset();
  t.value_datetime.reset();
  t.transaction_id.reset();
  t.entry_reference.reset();
  t.end_to_end_id.reset();
  t.mandate_id.reset();
  t.creditor_id.reset();
  t.creditor.reset();
  t.debtor.reset();
  t.remittance.reset();
  t.remittance_reference.reset();
  t.bank_transaction_code.reset();
  t.proprietary_code.reset();
  t.merchant_category_code.reset();
  t.original_amount.reset();
  t.exchange_rate.reset();
  t.raw_json.clear();
  return t;
}

void MapContext::Refuse(const char* start, const Error& error, TransactionStatus list_status) {
  RefusedRow row;
  row.path = path_.ToString();
  row.error = error;
  row.list_status = list_status;
  if (start != nullptr && input_end_ != nullptr && start < input_end_) {
    row.raw_json = std::string(RawValueAt(start, input_end_));
  }
  options_.refused->push_back(std::move(row));
}

std::string_view RawValueAt(const char* start, const char* end) {
  // The value's own bytes: to the bracket that closes it, or for a scalar to the next ',' ']' '}' outside a string.
  int depth = 0;
  bool in_string = false;
  const char* p = start;
  for (; p < end; ++p) {
    const char c = *p;
    if (in_string) {
      if (c == '\\') {
        ++p;
      } else if (c == '"') {
        in_string = false;
        if (depth == 0) return {start, static_cast<size_t>(p + 1 - start)};
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) break;  // the container around a scalar
      if (--depth == 0) return {start, static_cast<size_t>(p + 1 - start)};
    } else if (c == ',' && depth == 0) {
      break;
    }
  }
  if (p > end) p = end;
  std::string_view s(start, static_cast<size_t>(p - start));
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

void MapContext::FinishRow(Transaction& t) {
  if (options_.account_id) t.account_id = options_.account_id;
  if (options_.assign_ids) ids_.Assign(t);
}

Status MapContext::FinishAccount(Account& a) const {
  if (options_.quirks.account_ids_change) {
    if (!a.iban && !a.bban && !a.masked_pan) {
      return Fail("no IBAN, BBAN or PAN to know the account by, and the bank's account ids change "
                  "(quirks.account_ids_change)");
    }
    a.resource_id_changes = true;
  }
  a.id = AccountIdFor(a);
  return {};
}

void ApplyCreditDebit(Money& m, bool debit) {
  if (debit != m.amount.IsNegative() && !m.amount.IsZero()) m.amount = m.amount.Negated();
}

}  // namespace bankfeed::adapters
