// Invariant checks shared by the fuzz targets, so that each target stays a few lines (as simdjson's fuzz/FuzzUtils.h
// does for its targets).
//
// A target passes the bytes to one public function. When that function succeeds, the target checks what must hold
// for any output. A violated invariant calls __builtin_trap(). libFuzzer then saves the input as a crash, and the
// replay main dies with SIGILL in its ctest. The library never throws across its API, so there is no try/catch here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <simdjson.h>

#include "bankfeed/bankfeed.hpp"
#include "fuzz_target.hpp"

namespace bankfeed::fuzz {

inline void Check(bool ok) {
  if (!ok) __builtin_trap();
}

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Date-times without an offset are read in a real zone, so the mapping targets also cover DST gaps and overlaps.
inline const TimeZone& Berlin() {
  static const TimeZone zone = TimeZone::Locate("Europe/Berlin").value_or(TimeZone::Utc());
  return zone;
}

inline NormalizeOptions OptionsFor(Standard standard) {
  NormalizeOptions options;
  options.standard = standard;
  options.timezone = Berlin();
  return options;
}

inline bool IsLowerHex(std::string_view s) {
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// "tx_" / "acc_" + 32 lowercase hex digits.
inline void CheckId(std::string_view id, std::string_view prefix) {
  Check(id.size() == prefix.size() + 32 && id.starts_with(prefix) && IsLowerHex(id.substr(prefix.size())));
}

// Every canonical line is one valid JSON object. This catches escaping bugs, and also invalid UTF-8 that trimming
// or masking might leave by cutting a multi-byte character.
inline void CheckJsonObject(const std::string& line) {
  static simdjson::dom::parser parser;
  simdjson::dom::element doc;
  Check(!parser.parse(line).get(doc) && doc.is_object());
}

// docs/CANONICAL.md "Money": the currency is three letters A-Z. The printed amount has at least the minor-unit digits,
// is never "-0", and parses back to the same value.
inline void CheckMoney(const Money& m) {
  const std::string_view code = m.currency.code();
  for (const char c : code) Check(c >= 'A' && c <= 'Z');
  const std::string text = m.ToString();
  const auto back = Decimal::Parse(text);
  Check(back.has_value() && *back == m.amount);
  Check(!m.amount.IsZero() || text[0] != '-');
  const size_t point = text.find('.');
  const int minor = m.currency.minor_units();
  Check(minor == 0 || (point != std::string::npos && static_cast<int>(text.size() - point - 1) >= minor));
}

// Setting refused rows aside (the sync's quarantine) and streaming agree with the strict, collected mapping: the same
// rows with the same ids where it succeeds; where it fails on a row, that row is set aside and the same mapping
// refuses it again on its own. The value quirks run here too.
inline void CheckRefusedAndStreamed(Standard standard, const uint8_t* data, size_t size,
                                    const Result<std::vector<Transaction>>& strict) {
  NormalizeOptions options = OptionsFor(standard);
  options.quirks.date_order = DateOrder::kDayFirst;
  options.quirks.thousands_separator = (size % 2) == 0;
  std::vector<RefusedRow> refused;
  options.refused = &refused;
  const auto lenient = NormalizeTransactions(AsText(data, size), options);
  if (strict) Check(lenient.has_value());  // the quirks only read what strict mode refuses
  if (!lenient) return;
  if (!strict) Check(!lenient->empty() || !refused.empty());  // a row failed strict mode: taken or set aside
  for (const RefusedRow& r : refused) {
    Check(!r.raw_json.empty() && r.error.code == ErrorCode::kInvalidInput);
    Check(r.error.message.starts_with(r.path));
    Check(!NormalizeTransactionRow(r.raw_json, r.list_status, options).has_value());
  }
  // Streamed: the same lines, in the same order.
  const std::string body(AsText(data, size));
  std::vector<RefusedRow> streamed_refused;
  options.refused = &streamed_refused;
  size_t i = 0;
  std::string a, b;
  const Status streamed = NormalizeTransactionsTo(body, options, [&](Transaction& t) -> Status {
    Check(i < lenient->size());
    a.clear();
    b.clear();
    AppendCanonicalJson(a, t);
    AppendCanonicalJson(b, (*lenient)[i++]);
    Check(a == b);
    return {};
  });
  Check(streamed.has_value() && i == lenient->size() && streamed_refused.size() == refused.size());
}

inline void CheckTransactions(Standard standard, const uint8_t* data, size_t size) {
  const NormalizeOptions options = OptionsFor(standard);
  const auto txs = NormalizeTransactions(AsText(data, size), options);
  CheckRefusedAndStreamed(standard, data, size, txs);
  if (!txs) return;
  std::unordered_set<std::string> ids;
  std::string line;
  for (const Transaction& t : *txs) {
    CheckId(t.id, "tx_");
    Check(ids.insert(t.id).second);  // twins get distinct ids, and distinct rows never share one
    CheckMoney(t.amount);
    if (t.original_amount) CheckMoney(*t.original_amount);
    line.clear();
    AppendCanonicalJson(line, t);
    CheckJsonObject(line);
  }
  // Deterministic: the same bytes give the same ids (would catch hashing of uninitialised bytes).
  const auto again = NormalizeTransactions(AsText(data, size), options);
  Check(again.has_value() && again->size() == txs->size());
  for (size_t i = 0; i < txs->size(); ++i) Check((*again)[i].id == (*txs)[i].id);
}

inline void CheckAccounts(Standard standard, const uint8_t* data, size_t size) {
  const auto accounts = NormalizeAccounts(AsText(data, size), OptionsFor(standard));
  if (!accounts) return;
  std::string line;
  for (const Account& a : *accounts) {
    CheckId(a.id, "acc_");
    line.clear();
    AppendCanonicalJson(line, a);
    CheckJsonObject(line);
  }
}

inline bool IsBalanceCode(std::string_view type) {
  static constexpr std::string_view kCodes[] = {"CLBD", "XPCD", "OPBD", "ITAV", "ITBD", "FWAV",
                                                "CLAV", "OPAV", "INFO", "PRCD", "VALU", "OTHR"};
  for (const std::string_view code : kCodes) {
    if (code == type) return true;
  }
  return false;
}

inline void CheckBalances(Standard standard, const uint8_t* data, size_t size) {
  const auto balances = NormalizeBalances(AsText(data, size), OptionsFor(standard));
  if (!balances) return;
  std::string line;
  for (const Balance& b : *balances) {
    Check(IsBalanceCode(b.type));
    CheckMoney(b.amount);
    line.clear();
    AppendCanonicalJson(line, b);
    CheckJsonObject(line);
  }
}

}  // namespace bankfeed::fuzz
