// bankfeed/ids.hpp: deterministic canonical ids.
//
// A transaction's id is "tx_" + the first 128 bits (hex) of SHA-256 over its canonical content fields, its
// account_id and the bank's transaction_id, plus its occurrence index among identical rows. So the same input
// always gives the same ids, and twins (rows identical in every content field) get distinct ones in order.
#pragma once

#include <span>
#include <string>

#include "bankfeed/model.hpp"

namespace bankfeed {

// Sets `id` on every transaction; occurrence indexes count within the span, in order.
BANKFEED_EXPORT void AssignTransactionIds(std::span<Transaction> transactions);

// The content digest that twins share (hex, 64 digits); useful for reconciliation.
BANKFEED_EXPORT std::string TransactionContentDigest(const Transaction& t);

// "acc_" + 32 hex digits over the account's bank identifiers.
BANKFEED_EXPORT std::string AccountIdFor(const Account& a);

}  // namespace bankfeed
