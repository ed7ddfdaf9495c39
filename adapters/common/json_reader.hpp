// Shared helpers for the pure mappings: simdjson on-demand traversal that tracks the JSON path, so every error says
// where it happened ("transactions.booked[3].transactionAmount.amount: not a decimal") without ever echoing a value.
//
// Internal header: never installed. Every function reads a value exactly once (on-demand values are single-use)
// and returns Status; the caller propagates with BANKFEED_RETURN_IF_ERROR.
#pragma once

#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bankfeed/datetime.hpp"
#include "bankfeed/ids.hpp"
#include "bankfeed/model.hpp"
#include "bankfeed/normalize.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::adapters {

namespace od = simdjson::ondemand;

class JsonPath {
 public:
  // The mappings only descend into fields they read, so paths are a few segments deep; a fixed array keeps
  // push/pop to a store and an increment on the hot path.
  static constexpr size_t kMaxDepth = 32;

  void PushKey(std::string_view key) { Push({key, 0, false}); }
  void PushIndex(size_t index) { Push({{}, index, true}); }
  void Pop() { --depth_; }
  std::string ToString() const;  // "$" for the root

 private:
  struct Seg {
    std::string_view key;  // views into the input or simdjson's string buffer: valid while the document lives
    size_t index;
    bool is_index;
  };
  void Push(Seg seg) {
    if (depth_ < kMaxDepth) segs_[depth_] = seg;
    ++depth_;
  }
  std::array<Seg, kMaxDepth> segs_;
  size_t depth_ = 0;
};

class MapContext {
 public:
  explicit MapContext(const NormalizeOptions& options, const TransactionSink* sink = nullptr)
      : options_(options),
        sink_(sink),
        first_refused_(options.refused != nullptr ? options.refused->size() : 0) {}

  const NormalizeOptions& options() const { return options_; }
  // Streaming: rows go to the sink one by one (AppendTransactions) instead of into the caller's vector.
  bool streaming() const { return sink_ != nullptr; }
  // The row object a streaming walk reuses, emptied for the next row (its strings keep their capacity).
  Transaction& NextScratchRow();
  Status Emit(Transaction& t) const { return (*sink_)(t); }
  // Sets the failed row at `start` aside in options().refused, with the error and the path of the row.
  void Refuse(const char* start, const Error& error, TransactionStatus list_status);
  // Whether this walk set rows aside, and forgetting them when the body fails as a whole after all.
  bool RefusedAny() const { return options_.refused != nullptr && options_.refused->size() > first_refused_; }
  void ForgetRefused() const {
    if (options_.refused != nullptr) options_.refused->resize(first_refused_);
  }
  void set_input_end(const char* end) { input_end_ = end; }
  JsonPath& path() { return path_; }
  od::document& document() { return *document_; }
  void set_document(od::document* d) { document_ = d; }

  // A transaction row is complete: stamp the options' account_id and, unless the options leave ids to the caller,
  // assign its id now, while the row is in cache.
  // Rows must be finished in their final order (identical rows keep their relative order through any later sort).
  void FinishRow(Transaction& t);
  // An account is complete: its id from its bank identifiers (AccountIdFor). For a bank whose account ids change
  // over time (quirks.account_ids_change), from its identification alone, and kInvalidInput when it has none.
  Status FinishAccount(Account& a) const;

  // kInvalidInput "<path>: <reason>".
  tl::unexpected<Error> Fail(std::string_view reason) const;
  // The same, with a reason from an Error the core returned (decimal, currency, date parsers).
  tl::unexpected<Error> Fail(const Error& inner) const { return Fail(inner.message); }
  tl::unexpected<Error> Fail(simdjson::error_code e) const;
  // "<path>.<key>: <reason>" for a key that should have been there.
  tl::unexpected<Error> FailMissing(std::string_view key, std::string_view reason = "missing") const;

 private:
  const NormalizeOptions& options_;
  const TransactionSink* sink_;
  size_t first_refused_;
  Transaction scratch_;
  const char* input_end_ = nullptr;  // the end of the document's bytes (its padding follows)
  JsonPath path_;
  od::document* document_ = nullptr;  // set by WithDocument for the document's lifetime
  TransactionIdAssigner ids_;
};

// RAII path segment.
class PathScope {
 public:
  PathScope(MapContext& ctx, std::string_view key) : path_(ctx.path()) { path_.PushKey(key); }
  PathScope(MapContext& ctx, size_t index) : path_(ctx.path()) { path_.PushIndex(index); }
  ~PathScope() { path_.Pop(); }
  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;

 private:
  JsonPath& path_;
};

std::string_view TrimSpace(std::string_view s);
// ASCII case-insensitive equality: code words banks send in another case ("CREDIT", "dbit").
bool EqualsNoCase(std::string_view a, std::string_view b);
// docs/CANONICAL.md's placeholder ids (NOTPROVIDED, NONREF, N/A, ...), case-insensitive after trimming.
bool IsPlaceholder(std::string_view s);

// Is the value JSON null? Does not consume a non-null value.
bool IsNull(od::value& v);

// A trimmed string; null, or empty after trimming, gives nullopt. Rejects other types and NUL bytes.
Status ReadString(MapContext& ctx, od::value v, OptString& out);
// ReadString without the copy: `out` views the trimmed string in the document's string buffer (valid while the
// document lives), and is empty where ReadString gives nullopt.
Status ReadStringView(MapContext& ctx, od::value v, std::string_view& out);
// ReadString, or a JSON number as its literal text: codes that some banks send as numbers (a bank transaction code,
// a merchant category code).
Status ReadCode(MapContext& ctx, od::value v, OptString& out);
// ReadString, then the placeholder rule.
Status ReadId(MapContext& ctx, od::value v, OptString& out);
// A string or a JSON number, as its literal text (never through double; a view into the document, valid while it
// lives). Error if null or missing.
Status ReadNumberText(MapContext& ctx, od::value v, std::string_view& out);
Status ReadDecimal(MapContext& ctx, od::value v, std::optional<Decimal>& out);
Status ReadBool(MapContext& ctx, od::value v, std::optional<bool>& out);
Status ReadInt(MapContext& ctx, od::value v, std::optional<int>& out);
// A date or a date-time; `datetime` may be null when the field has no date-time counterpart.
Status ReadDate(MapContext& ctx, od::value v, std::optional<Date>& date, std::optional<DateTime>* datetime);
Status ReadDateTime(MapContext& ctx, od::value v, std::optional<DateTime>& out);
// An amount: a decimal string or a JSON number; with the thousands_separator quirk, "1,000.00" too.
Status ReadAmount(MapContext& ctx, od::value v, Decimal& out);
// A currency: ISO 4217 letters, or its numeric code as a string or a JSON number ("978" is EUR). Null or empty
// gives nullopt.
Status ReadCurrency(MapContext& ctx, od::value v, std::optional<Currency>& out);
// The same on text: the letters of a numeric code, else the code itself, checked.
Result<Currency> CurrencyFromText(std::string_view code);
// Whether an amount sent without a currency takes the account's (NormalizeOptions::account_currency).
enum class CurrencyFallback { kNone, kAccount };
// An object {amount_key: "1.00" | 1.00, currency_key: "EUR"}; keys are compared exactly.
Status ReadMoney(MapContext& ctx, od::value v, std::string_view amount_key, std::string_view currency_key,
                 Money& out, CurrencyFallback fallback = CurrencyFallback::kNone);
// Appends a string, or every string of an array, to `out`, joined by "\n"; empty items are skipped.
Status AppendStrings(MapContext& ctx, od::value v, OptString& out);

// The first '"' or '\\' at or after p. The caller guarantees one exists in the document, and simdjson pads every
// document with SIMDJSON_PADDING (64) readable bytes, so a 16-byte block that starts at or before it stays in bounds.
inline const char* FindQuoteOrBackslash(const char* p) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (;; p += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int hits = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash)));
    if (hits != 0) return p + __builtin_ctz(static_cast<unsigned>(hits));
  }
#else
  while (*p != '"' && *p != '\\') ++p;
  return p;
#endif
}

// A field's key. Keys without escapes (all keys banks send) are viewed in place in the input; only a key with a
// backslash is unescaped into simdjson's string buffer.
inline Status FieldKey(MapContext& ctx, od::field& field, std::string_view& key) {
  const char* const begin = field.key().raw();  // just past the opening quote; the document has the closing one
  const char* const end = FindQuoteOrBackslash(begin);
  if (*end == '"') {
    key = std::string_view(begin, static_cast<size_t>(end - begin));
    return {};
  }
  if (auto e = field.unescaped_key().get(key)) return ctx.Fail(e);
  return {};
}

// key == lit, with the length test first and a memcmp of constant size the compiler inlines: the mappings test
// each field's key against a dozen or more names.
template <size_t N>
inline bool KeyIs(std::string_view key, const char (&lit)[N]) {
  return key.size() == N - 1 && std::memcmp(key.data(), lit, N - 1) == 0;
}

// Iterates an object's fields, pushing each key on the path. f(std::string_view key, od::value value) -> Status.
// A value f does not read is skipped.
template <typename F>
Status ForEachFieldOf(MapContext& ctx, od::object& obj, F&& f) {
  for (auto field_result : obj) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return ctx.Fail(e);
    std::string_view key;
    BANKFEED_RETURN_IF_ERROR(FieldKey(ctx, field, key));
    PathScope scope(ctx, key);
    BANKFEED_RETURN_IF_ERROR(f(key, field.value()));
  }
  return {};
}

template <typename F>
Status ForEachField(MapContext& ctx, od::value v, F&& f) {
  od::object obj;
  if (auto e = v.get_object().get(obj)) return e == simdjson::INCORRECT_TYPE ? ctx.Fail("expected an object") : ctx.Fail(e);
  return ForEachFieldOf(ctx, obj, std::forward<F>(f));
}

// ForEachField, where JSON null means the object is absent.
template <typename F>
Status ForEachFieldIfAny(MapContext& ctx, od::value v, F&& f) {
  if (IsNull(v)) return {};
  return ForEachField(ctx, v, std::forward<F>(f));
}

// An object (or null, meaning absent) of which only the string member `key` is kept, e.g. {"name": ...}.
Status ReadStringMember(MapContext& ctx, od::value v, std::string_view key, OptString& out);

// A consent status word: kept as sent in c.bank_status and mapped with `map`; an unknown word is an error.
Status ReadConsentStatus(MapContext& ctx, od::value v, Consent& c,
                         std::optional<ConsentStatus> (*map)(std::string_view));

// The type of a value without consuming it.
Status TypeOf(MapContext& ctx, od::value& v, od::json_type& type);

// Opens the optional list `v` into `arr`: false for JSON null (banks send null for optional lists); another type is
// "expected an array".
Result<bool> OpenList(MapContext& ctx, od::value v, od::array& arr);

// Iterates an array, pushing each index. f(size_t index, od::value value) -> Status. JSON null is an empty array
// (banks send null for optional lists).
template <typename F>
Status ForEachElement(MapContext& ctx, od::value v, F&& f) {
  od::array arr;
  BANKFEED_ASSIGN_OR_RETURN(const bool present, OpenList(ctx, v, arr));
  if (!present) return {};
  size_t i = 0;
  for (auto element_result : arr) {
    PathScope scope(ctx, i);
    od::value element;
    if (auto e = std::move(element_result).get(element)) return ctx.Fail(e);
    BANKFEED_RETURN_IF_ERROR(f(i, element));
    ++i;
  }
  return {};
}

// ForEachField that also keeps the object's exact bytes for audit when `raw` is not null. One pass: the object's
// end is where the document's iterator stands once its fields are read.
template <typename F>
Status ForEachFieldKeepingRaw(MapContext& ctx, od::value v, std::string* raw, F&& f) {
  const char* start = raw != nullptr ? v.raw_json_token().data() : nullptr;
  BANKFEED_RETURN_IF_ERROR(ForEachField(ctx, v, std::forward<F>(f)));
  if (raw == nullptr) return {};
  const char* end = nullptr;
  if (auto e = ctx.document().current_location().get(end)) return ctx.Fail(e);
  raw->assign(start, static_cast<size_t>(end - start));
  while (!raw->empty() && raw->back() != '}') raw->pop_back();  // white space before the next token
  return {};
}

// The bytes of the JSON value that starts at `start` (a container to its closing bracket, a scalar to its end),
// found by a scan that honours strings and escapes; never past `end`. For rows set aside after a failed read.
std::string_view RawValueAt(const char* start, const char* end);

// Asks the kernel to back a freshly reserved array of `bytes` with huge pages where it can (Linux transparent huge
// pages in "madvise" mode): a report's rows fill hundreds of MB, and faulting them in 4 KiB at a time costs more than
// filling them. Only for large arrays; nothing happens elsewhere or when the kernel says no.
void AdviseLargeArray(void* data, size_t bytes);

// Makes room for `rows` records in all, growing `out` at most once, and advises the kernel for a large array.
template <typename T>
void ReserveRows(std::vector<T>& out, size_t rows) {
  if (out.capacity() >= rows) return;
  out.reserve(rows);
  AdviseLargeArray(out.data(), out.capacity() * sizeof(T));
}

// ReserveRows for the elements of `arr` after those `out` holds (they are counted first).
template <typename T>
Status ReserveForElements(MapContext& ctx, od::array& arr, std::vector<T>& out) {
  size_t count = 0;
  if (auto e = arr.count_elements().get(count)) return ctx.Fail(e);
  ReserveRows(out, out.size() + count);
  return {};
}

// Whether the caller has already made room in the vector for an array's elements (a mapping that counts a report's
// lists together, so that they share one reservation), or AppendEach should count them first.
enum class Reserved { kNo, kYes };

// Appends one record per array element. Unless the caller reserved, the elements are counted first so the vector
// grows once: rows are large and a report can hold hundreds of thousands. f(T& record, od::value element) -> Status.
template <typename T, typename F>
Status AppendEach(MapContext& ctx, od::value v, std::vector<T>& out, F&& f, Reserved reserved = Reserved::kNo) {
  od::array arr;
  BANKFEED_ASSIGN_OR_RETURN(const bool present, OpenList(ctx, v, arr));
  if (!present) return {};
  if (reserved == Reserved::kNo) BANKFEED_RETURN_IF_ERROR(ReserveForElements(ctx, arr, out));
  size_t i = 0;
  for (auto element_result : arr) {
    PathScope scope(ctx, i++);
    od::value element;
    if (auto e = std::move(element_result).get(element)) return ctx.Fail(e);
    out.emplace_back();
    BANKFEED_RETURN_IF_ERROR(f(out.back(), element));
  }
  return {};
}

od::parser& ThreadParser();

template <typename F>
Status WithDocument(MapContext& ctx, simdjson::padded_string_view json, F&& f);

// Reads the array under the body's top-level `key` into `out`, one read(T&, od::value) per element; JSON null is an
// empty list. A body without the key is kInvalidInput "<key>: missing".
template <typename T, typename F>
Status ReadRootList(MapContext& ctx, simdjson::padded_string_view json, std::string_view key, std::vector<T>& out,
                    F&& read) {
  bool found = false;
  BANKFEED_RETURN_IF_ERROR(WithDocument(ctx, json, [&](od::value root) {
    return ForEachField(ctx, root, [&](std::string_view k, od::value list) -> Status {
      if (k != key) return {};
      found = true;
      if (IsNull(list)) return {};
      return AppendEach(ctx, list, out, read);
    });
  }));
  if (!found) return ctx.FailMissing(key);
  return {};
}

// Whether the whole document is well-formed JSON. The on-demand walk checks only what it reads, and after a row is
// set aside it goes on past bytes that might not be JSON at all; WithDocument then asks this.
simdjson::error_code ValidateDocument(simdjson::padded_string_view json);

// Parses `json` and calls f(od::value root), then checks nothing follows the root value.
// Reuses one parser per thread: the mappings are pure but allocation-free after warm-up.
template <typename F>
Status WithDocument(MapContext& ctx, simdjson::padded_string_view json, F&& f) {
  od::parser& parser = ThreadParser();
  od::document doc;
  // A UTF-8 byte order mark, which some banks' servers put before the JSON, is not part of it.
  if (json.size() >= 3 && std::memcmp(json.data(), "\xEF\xBB\xBF", 3) == 0) {
    json = simdjson::padded_string_view(json.data() + 3, json.size() - 3, json.capacity() - 3);
  }
  if (auto e = parser.iterate(json).get(doc)) return ctx.Fail(e);
  ctx.set_document(&doc);
  ctx.set_input_end(json.data() + json.size());
  od::value root;
  if (auto e = doc.get_value().get(root)) return ctx.Fail(e);
  if (Status s = f(root); !s) {
    ctx.ForgetRefused();
    return s;
  }
  // Past the root value the iterator must be out of tokens; anything else is trailing content.
  const char* location = nullptr;
  if (doc.current_location().get(location) != simdjson::OUT_OF_BOUNDS) {
    ctx.ForgetRefused();
    return ctx.Fail("unexpected content after the JSON value");
  }
  if (ctx.RefusedAny()) {
    if (auto e = ValidateDocument(json)) {
      ctx.ForgetRefused();  // the body is refused as a whole: no row of it is set aside on its own
      return ctx.Fail(e);
    }
  }
  return {};
}

// Appends one transaction per array element, each finished as it is read; or, when the context streams, hands each
// to the sink instead. When options().refused is set, a row whose read fails is set aside there and the walk goes
// on with the next element (on-demand skips whatever the failed read left of it); an error the document cannot
// recover from (malformed JSON) still ends the walk, at the next element. `list_status` is the list the rows are in.
template <typename F>
Status AppendTransactions(MapContext& ctx, od::value v, std::vector<Transaction>& out, F&& read,
                          Reserved reserved = Reserved::kNo, TransactionStatus list_status = TransactionStatus::kBooked) {
  od::array arr;
  BANKFEED_ASSIGN_OR_RETURN(const bool present, OpenList(ctx, v, arr));
  if (!present) return {};
  const bool streaming = ctx.streaming();
  const bool refusing = ctx.options().refused != nullptr;
  if (!streaming && reserved == Reserved::kNo) BANKFEED_RETURN_IF_ERROR(ReserveForElements(ctx, arr, out));
  size_t i = 0;
  for (auto element_result : arr) {
    PathScope scope(ctx, i++);
    od::value element;
    if (auto e = std::move(element_result).get(element)) return ctx.Fail(e);
    const char* const start = refusing ? element.raw_json_token().data() : nullptr;
    Transaction& t = streaming ? ctx.NextScratchRow() : out.emplace_back();
    if (Status s = read(t, element); !s) {
      if (!refusing) return s;
      ctx.Refuse(start, s.error(), list_status);
      if (!streaming) out.pop_back();
      continue;
    }
    ctx.FinishRow(t);
    if (streaming) BANKFEED_RETURN_IF_ERROR(ctx.Emit(t));
  }
  return {};
}

// A transactions mapping's two entry points over its body reader, read(MapContext&, padded_string_view,
// std::vector<Transaction>&) -> Status: every row collected, or every row handed to `sink` as it is read.
template <typename ReadBody>
Result<std::vector<Transaction>> CollectTransactions(simdjson::padded_string_view json, const NormalizeOptions& options,
                                                     ReadBody read) {
  MapContext ctx(options);
  std::vector<Transaction> txs;
  BANKFEED_RETURN_IF_ERROR(read(ctx, json, txs));
  return txs;
}
template <typename ReadBody>
Status SendTransactions(simdjson::padded_string_view json, const NormalizeOptions& options,
                        const TransactionSink& sink, ReadBody read) {
  MapContext ctx(options, &sink);
  std::vector<Transaction> unused;  // streaming: rows go to the sink, never here
  return read(ctx, json, unused);
}

// Signs an amount by its credit/debit indicator (UK OB, STET): the indicator decides, so a debit is negative even
// when the bank also sent '-', and a credit is positive even when it did.
void ApplyCreditDebit(Money& m, bool debit);

}  // namespace bankfeed::adapters
