// The explicit table of standards (no static self-registration, which static libraries silently drop).
// A new standard is a new adapters/<standard>/ folder and one row here.
#include "bankfeed/normalize.hpp"

#include <array>

#include <simdjson.h>

#include "adapters/berlin_group/mapping.hpp"
#include "adapters/stet/mapping.hpp"
#include "adapters/uk_ob/mapping.hpp"

namespace bankfeed {
namespace {

struct StandardEntry {
  Standard standard;
  std::string_view name;
  Result<std::vector<Transaction>> (*transactions)(simdjson::padded_string_view, const NormalizeOptions&);
  Result<std::vector<Account>> (*accounts)(simdjson::padded_string_view, const NormalizeOptions&);
  Result<std::vector<Balance>> (*balances)(simdjson::padded_string_view, const NormalizeOptions&);
  Result<Consent> (*consent)(simdjson::padded_string_view, const NormalizeOptions&);
  Status (*stream)(simdjson::padded_string_view, const NormalizeOptions&, const TransactionSink&);
  // The smallest transactions body around one row of the list `status` (a quarantined row tried again).
  std::string (*wrap_row)(std::string_view row, TransactionStatus status);
};

std::string WrapBerlinGroupRow(std::string_view row, TransactionStatus status) {
  const std::string_view list = status == TransactionStatus::kPending ? "pending"
                                : status == TransactionStatus::kInfo  ? "information"
                                                                      : "booked";
  return "{\"transactions\":{\"" + std::string(list) + "\":[" + std::string(row) + "]}}";
}
std::string WrapUkRow(std::string_view row, TransactionStatus) {
  return "{\"Data\":{\"Transaction\":[" + std::string(row) + "]}}";
}
std::string WrapStetRow(std::string_view row, TransactionStatus) {
  return "{\"transactions\":[" + std::string(row) + "]}";
}

constexpr std::array<StandardEntry, 3> kStandards{{
    {Standard::kBerlinGroup, "berlin-group", berlin_group::MapTransactions, berlin_group::MapAccounts,
     berlin_group::MapBalances, berlin_group::MapConsent, berlin_group::StreamTransactions, WrapBerlinGroupRow},
    {Standard::kUkOpenBanking, "uk-ob", uk_ob::MapTransactions, uk_ob::MapAccounts, uk_ob::MapBalances,
     uk_ob::MapConsent, uk_ob::StreamTransactions, WrapUkRow},
    {Standard::kStet, "stet", stet::MapTransactions, stet::MapAccounts, stet::MapBalances, stet::MapConsent,
     stet::StreamTransactions, WrapStetRow},
}};

const StandardEntry& EntryFor(Standard s) {
  for (const auto& e : kStandards) {
    if (e.standard == s) return e;
  }
  return kStandards[0];
}

// simdjson needs SIMDJSON_PADDING readable bytes past the end; a string_view promises none, so copy once.
template <typename Fn>
auto Run(std::string_view body, const NormalizeOptions& options, Fn fn) {
  const simdjson::padded_string padded(body);
  return fn(simdjson::padded_string_view(padded), options);
}

}  // namespace

std::string_view StandardName(Standard s) { return EntryFor(s).name; }

std::optional<Standard> ParseStandard(std::string_view name) {
  for (const auto& e : kStandards) {
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

static_assert(kBodyPadding >= simdjson::SIMDJSON_PADDING, "kBodyPadding is the padding simdjson reads past a body's end");

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
