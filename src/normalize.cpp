// The normalize entry points: each looks its standard's mapping up in the table of standards (standards.hpp).
#include "bankfeed/normalize.hpp"

#include <simdjson.h>

#include "standards.hpp"

namespace bankfeed {
namespace {

// simdjson needs SIMDJSON_PADDING readable bytes past the end; a string_view promises none, so copy once.
template <typename Fn>
auto Run(std::string_view body, const NormalizeOptions& options, Fn fn) {
  const simdjson::padded_string padded(body);
  return fn(simdjson::padded_string_view(padded), options);
}

}  // namespace

std::string_view StandardName(Standard s) { return EntryFor(s).name; }

std::optional<Standard> ParseStandard(std::string_view name) {
  for (const auto& e : Standards()) {
    if (e.name == name) return e.standard;
  }
  return std::nullopt;
}

Result<std::vector<Transaction>> NormalizeTransactions(std::string_view body, const NormalizeOptions& options) {
  return Run(body, options, EntryFor(options.standard).transactions);
}
Result<std::vector<Account>> NormalizeAccounts(std::string_view body, const NormalizeOptions& options) {
  return Run(body, options, EntryFor(options.standard).accounts);
}
Result<std::vector<Balance>> NormalizeBalances(std::string_view body, const NormalizeOptions& options) {
  return Run(body, options, EntryFor(options.standard).balances);
}
Result<Consent> NormalizeConsent(std::string_view body, const NormalizeOptions& options) {
  return Run(body, options, EntryFor(options.standard).consent);
}

static_assert(kBodyPadding >= simdjson::SIMDJSON_PADDING,
              "kBodyPadding is the padding simdjson reads past a body's end");

Status NormalizeTransactionsTo(PaddedBody body, const NormalizeOptions& options, const TransactionSink& sink) {
  const simdjson::padded_string_view json(body.bytes.data(), body.bytes.size(), body.bytes.size() + kBodyPadding);
  return EntryFor(options.standard).stream(json, options, sink);
}

Status NormalizeTransactionsTo(const std::string& body, const NormalizeOptions& options, const TransactionSink& sink) {
  const auto stream = EntryFor(options.standard).stream;
  if (body.capacity() - body.size() >= kBodyPadding) {
    return NormalizeTransactionsTo(PaddedBody{body}, options, sink);
  }
  return Run(body, options, [&](simdjson::padded_string_view json, const NormalizeOptions& o) {
    return stream(json, o, sink);
  });
}

Result<Transaction> NormalizeTransactionRow(std::string_view row_json, TransactionStatus list_status,
                                            const NormalizeOptions& options) {
  const StandardEntry& entry = EntryFor(options.standard);
  NormalizeOptions one = options;
  one.assign_ids = false;
  one.refused = nullptr;
  const std::string body = entry.wrap_row(row_json, list_status);
  BANKFEED_ASSIGN_OR_RETURN(auto rows, Run(body, one, entry.transactions));
  if (rows.size() != 1) {
    return MakeError(ErrorCode::kInvalidInput, "row: expected one transaction, found " + std::to_string(rows.size()));
  }
  return std::move(rows.front());
}

}  // namespace bankfeed
