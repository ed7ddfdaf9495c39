// Pure mapping of stet wire JSON to the canonical model (docs/CANONICAL.md). No I/O; what tests and fuzzers call.
// Internal header: never installed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "bankfeed/model.hpp"
#include "bankfeed/normalize.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::stet {

Result<std::vector<Transaction>> MapTransactions(simdjson::padded_string_view json, const NormalizeOptions& options);
// MapTransactions that hands each row to `sink` as soon as it is read (NormalizeTransactionsTo).
Status StreamTransactions(simdjson::padded_string_view json, const NormalizeOptions& options,
                          const TransactionSink& sink);
// The smallest transactions body around one row of the list `status`: how a quarantined row is normalized again.
std::string WrapTransactionRow(std::string_view row, TransactionStatus status);
Result<std::vector<Account>> MapAccounts(simdjson::padded_string_view json, const NormalizeOptions& options);
Result<std::vector<Balance>> MapBalances(simdjson::padded_string_view json, const NormalizeOptions& options);
Result<Consent> MapConsent(simdjson::padded_string_view json, const NormalizeOptions& options);

}  // namespace bankfeed::stet
