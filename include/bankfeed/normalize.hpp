// bankfeed/normalize.hpp: one bank response body in, canonical records out.
//
// The pure mapping behind `bankfeed normalize`: no I/O, no network, deterministic. Bad data gives kInvalidInput
// with the JSON path and the reason, e.g. "transactions.booked[3].transactionAmount.amount: not a decimal".
//
//   bankfeed::NormalizeOptions opts;
//   opts.standard = bankfeed::Standard::kBerlinGroup;
//   auto txs = bankfeed::NormalizeTransactions(body, opts);
//   for (const auto& t : *txs) std::cout << bankfeed::ToCanonicalJson(t) << "\n";
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/datetime.hpp"
#include "bankfeed/model.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed {

enum class Standard { kBerlinGroup, kUkOpenBanking, kStet };

// "berlin-group", "uk-ob", "stet"
BANKFEED_EXPORT std::string_view StandardName(Standard s);
BANKFEED_EXPORT std::optional<Standard> ParseStandard(std::string_view name);

// How a bank writes values where the reading is ambiguous, so only its profile can say (profile `quirks:`; see
// specs/banks/README.md). What is unambiguous is accepted without a quirk (docs/CANONICAL.md, "Real banks' values").
enum class DateOrder {
  kIso,       // YYYY-MM-DD only
  kDayFirst,  // also DD/MM/YYYY and DD-MM-YYYY ("15/11/2019", "12-02-2018")
};
struct ValueQuirks {
  DateOrder date_order = DateOrder::kIso;
  // Amounts may group their integer digits by three with ',' ("1,000.00"). UK Open Banking always allows it.
  bool thousands_separator = false;
  // The bank's resource ids for an account change over time: accounts are known by their identification instead
  // (Account::resource_id_changes), and an account without an IBAN, BBAN or PAN is refused.
  bool account_ids_change = false;
  // What STET's transaction status OTHR means at this bank: information (the standard's reading, e.g. a future
  // standing order) or pending (banks that label their pending rows OTHR).
  TransactionStatus other_status = TransactionStatus::kInfo;
};

// A transaction row that could not be normalized, set aside with its error instead of failing the whole body
// (NormalizeOptions::refused). The body around it must still be well-formed: a syntax error anywhere (the whole
// document is checked once a row has been set aside), a wrong top-level shape or a list that is not an array still
// fails the call, and then no row of it is set aside.
struct RefusedRow {
  std::string path;  // the row's JSON path, "transactions.booked[3]"
  Error error;       // kInvalidInput, "<path>.<field>: <reason>" (never the value)
  std::string raw_json;  // the row's exact bytes, for quarantine; personal data: never log it
  TransactionStatus list_status = TransactionStatus::kBooked;  // the list it was in, where the standard has lists
};

struct NormalizeOptions {
  Standard standard = Standard::kBerlinGroup;
  std::optional<std::string> account_id;  // stamped on every transaction and balance
  TimeZone timezone;                      // for date-times sent without an offset
  bool keep_raw_json = true;              // keep each transaction's JSON for audit
  // Set each transaction's id (ids.hpp). A caller that assigns ids itself over several responses (every page of
  // one query, as the connectors do) turns this off, so that no row is hashed twice; ids are then left empty.
  bool assign_ids = true;
  ValueQuirks quirks;
  // The account's currency (ISO 4217 letters), where the caller knows it: a STET amount sent without a currency
  // takes it. Without it such an amount is refused.
  std::optional<std::string> account_currency;
  // When set, a transaction row that cannot be normalized is appended here and skipped; the other rows come out as
  // usual (ids of the good rows do not depend on the refused ones). When null, the first bad row fails the call.
  std::vector<RefusedRow>* refused = nullptr;
};

// `body` need not be padded or NUL-terminated; it is copied once into a padded buffer when needed.
BANKFEED_EXPORT Result<std::vector<Transaction>> NormalizeTransactions(std::string_view body,
                                                                       const NormalizeOptions& options);
BANKFEED_EXPORT Result<std::vector<Account>> NormalizeAccounts(std::string_view body, const NormalizeOptions& options);
BANKFEED_EXPORT Result<std::vector<Balance>> NormalizeBalances(std::string_view body, const NormalizeOptions& options);
BANKFEED_EXPORT Result<Consent> NormalizeConsent(std::string_view body, const NormalizeOptions& options);

// One row as RefusedRow::raw_json holds it (a single JSON object from a transactions body of `options.standard`;
// `list_status` says which Berlin Group list it came from), normalized on its own: how a quarantined row is tried
// again under a newer mapping or profile. The id is left empty whatever options.assign_ids says: a row's id depends
// on the rows around it (twins), so the caller assigns it. Errors name the path in the smallest body around the row
// ("transactions.booked[0].bookingDate: ..."), whatever its index was in the body it came from.
BANKFEED_EXPORT Result<Transaction> NormalizeTransactionRow(std::string_view row_json, TransactionStatus list_status,
                                                            const NormalizeOptions& options);

// Streams transactions instead of collecting them: `sink` gets each row as soon as it is complete, in the same order
// and with the same ids as NormalizeTransactions gives (the row object is reused; move from it or copy it). A sink
// error stops the walk and is returned. Rows already passed to the sink stay passed when a later row fails, so a
// caller that must not show a partial result checks the returned status before publishing.
//
// `body` is used in place, without a copy, when its capacity leaves kBodyPadding bytes past its size
// (body.reserve(size + kBodyPadding) before filling it); otherwise it is copied once.
inline constexpr size_t kBodyPadding = 64;
using TransactionSink = std::function<Status(Transaction&)>;
BANKFEED_EXPORT Status NormalizeTransactionsTo(const std::string& body, const NormalizeOptions& options,
                                               const TransactionSink& sink);

// The same over a body the caller holds elsewhere, for example a file mapped into memory: the kBodyPadding bytes
// after bytes.end() must be readable (their values do not matter; they are never part of the body), and the body is
// then used in place.
struct PaddedBody {
  std::string_view bytes;
};
BANKFEED_EXPORT Status NormalizeTransactionsTo(PaddedBody body, const NormalizeOptions& options,
                                               const TransactionSink& sink);

}  // namespace bankfeed
